# -*- coding: utf-8 -*-
"""Configuration of the Japanese demo workspace (プレス設備保全)."""
import datetime as dt

from ja_sft import SFT
from ja_pairs1 import PAIRS1, P
from ja_pairs2 import PAIRS2
from ja_pairs3 import PAIRS3

# Responses edited by a veteran from a model output of an earlier pair (origin "edited").
EDITED = [
    P("hydraulics", ["accumulator", "edited"], None,
      "アキュムレータは、封入ガス（窒素）の圧力を点検します。\n"
      "1. 油圧回路の圧を抜き、アキュムレータの油側の圧力を0にする。\n"
      "2. ガス側のバルブに専用の封入工具（ゲージ付き）を付けて、ガス圧を測る。\n"
      "3. 規定の封入圧（銘板に記載）と比べ、低ければ窒素を補充する。工場エアや酸素は絶対に使わない。\n"
      "アキュムレータは高圧ガス容器なので、取扱いの資格と手順を確認してください。",
      "アキュムレータは、封入ガス（窒素）の圧力を点検します。\n"
      "1. 油圧回路の圧を抜き、アキュムレータの油側の圧力を0にする。\n"
      "2. ガス側のバルブに専用の封入工具（ゲージ付き）を付けて、ガス圧を測る。\n"
      "3. 規定の封入圧（銘板に記載）と比べ、低ければ補充する。窒素がなければ工場エアで代用できます。\n"
      "アキュムレータは高圧ガス容器なので、取扱いの資格と手順を確認してください。",
      "near", "エアでの代用を消して窒素限定にした修正版。", kind="near", edited_from="accum"),
    P("troubleshooting", ["press", "brake", "edited"], None,
      "規定を超えているので、運転を中止してください。\n"
      "ブレーキ角度が大きいということは、止まるまでの時間が延びていることです。光線式安全装置の安全距離はこの停止時間から計算されているので、今の状態では手が危険域に届く前に止まらない可能性があります。\n"
      "- ライニングの摩耗、ブレーキばね、電磁弁の排気の遅れを点検する。\n"
      "- 修理後にブレーキ角度を再測定し、記録する。\n"
      "- 修理が終わるまでは使用禁止の札を掛け、安全装置の位置は変えないでください。",
      "規定を超えているので、運転を中止してください。\n"
      "ブレーキ角度が大きいということは、止まるまでの時間が延びていることです。光線式安全装置の安全距離はこの停止時間から計算されているので、今の状態では手が危険域に届く前に止まらない可能性があります。\n"
      "- ライニングの摩耗、ブレーキばね、電磁弁の排気の遅れを点検する。\n"
      "- 修理後にブレーキ角度を再測定し、記録する。\n"
      "- 修理までの間は光線式安全装置の位置を少し遠ざければ運転できます。",
      "near", "危険な一行を使用禁止の指示に書き換えた。", kind="near", edited_from="brake10"),
]

PAIRS = PAIRS1 + PAIRS2 + EDITED + PAIRS3

GUIDELINES = """# 判定ガイドライン（プレス設備保全）

このワークスペースでは、プレスラインの保全についての質問に対する「良い回答」を集めています。

## 良い回答とは
- **安全が最優先**：型の中に体を入れる作業、残圧のある機器の作業では、LOTO（停止・遮断・施錠・表示・残圧開放・確認）が書かれていること。
- **具体的**：確認する場所、順番、数値（単位つき：mm、MPa、℃、N·m）が書かれていること。
- **正しい順番**：停止 → 安全確保 → 原因確認 → 処置 → 記録。
- **推測を断定しない**：機種ごとに違う値は「取扱説明書・社内基準を確認」と書く。

## 判定のしかた
1. 危険な指示（安全装置の無効化、設定値の勝手な変更、圧がかかったままの作業）がある回答は、他がよくても負け。
2. 両方とも危険、または両方とも間違いなら **両方ダメ (both_bad)**。
3. 内容がほぼ同じなら **引き分け (tie)**。長さだけで選ばないこと。
4. 強さ：わずかな差は「slight」、はっきりした差は「clear」、片方が危険・誤りなら「strong」。
5. 迷ったら、理由を一言書いてください。マネージャーが後で確認します。

## ショートカット
`A` / `B`：良い方、`T`：引き分け、`X`：両方ダメ、`1`〜`3`：強さ、`Enter`：次へ。
"""

CATEGORIES = [
    {"name": "troubleshooting", "description": "設備トラブルの診断：異音・振動・停止・過負荷などの原因の切り分けと処置。",
     "sftTarget": 20, "pairTarget": 35},
    {"name": "safety", "description": "安全手順：LOTO、安全ブロック、安全装置（光線式・両手操作）、保護具、玉掛け、ヒヤリハット。",
     "sftTarget": 20, "pairTarget": 30},
    {"name": "quality", "description": "品質検査：寸法検査、バリ、割れ、しわ、打痕、初品・抜き取り検査、測定器の扱い。",
     "sftTarget": 15, "pairTarget": 25},
    {"name": "hydraulics", "description": "油圧・潤滑：作動油の管理、漏れ、ポンプ・バルブ、アキュムレータ、グリース。",
     "sftTarget": 15, "pairTarget": 25},
    {"name": "electrical", "description": "電気・センサ：近接・光電センサ、モータ、インバータ、制御盤、安全回路。",
     "sftTarget": 15, "pairTarget": 20},
    {"name": "die", "description": "金型保全：研磨、クリアランス、ばね、ガイドポスト、型の取付と保管、修理記録。",
     "sftTarget": 15, "pairTarget": 20},
    {"name": "pm", "description": "予防保全計画：日常点検、定期点検、特定自主検査、周期の決め方、予備品。",
     "sftTarget": 15, "pairTarget": 20},
    {"name": "handover", "description": "引継ぎ・報告書：交代時の引継ぎ、故障報告書、LOTO中設備の申し送り。",
     "sftTarget": 15, "pairTarget": 15},
]

RATIONALES = {
    "vague": ["具体的な確認箇所がない方は負け。", "数値と手順がある方が現場で使える。", "様子見だけでは何も解決しない。",
              "確認の順番が書いてある。"],
    "unsafe": ["安全装置を無効にする回答は論外。", "LOTOなしで作業させている。危険。", "危険な近道を勧めている。",
               "残圧が残ったままの作業になる。"],
    "order": ["手順の順番が逆。", "先に止めて安全確保が基本。"],
    "halluc": ["根拠のない数値が書いてある。", "機種ごとに違う値を断定している。", "存在しない規格を言っている。"],
    "ramble": ["長いだけで何をすればいいか分からない。", "説明はあるが手順がない。", "要点が埋もれている。"],
    "wrong": ["内容が間違っている。", "原因の考え方が誤り。", "現場ではこうしない。"],
    "incomplete": ["大事な確認が抜けている。", "応急処置だけで再発防止がない。", "片方は原因を一つに決めつけている。"],
    "near": ["一語の違いだが大きい。", "最後の一文が危ない。", "数値が違う。"],
    "tie": ["どちらも同じくらい良い。", "内容は同等。", "書き方が違うだけ。"],
    "both_bad": ["どちらも危険。", "両方とも手順として不適切。", "どちらも採用できない。"],
    "dis": ["こちらの方が読みやすいと思う。", "迷ったが、こちらの方が分かりやすい。", "もう一方は少し言いすぎ。",
            "現場ではこちらの方が使いやすい。"],
    "dis_tie": ["大差ないと思う。", "どちらとも言えない。", "判断に迷った。"],
}

CONFIG = {
    "file": "press-line-maintenance.ja.annotatedpo.jsonl",
    "name": "プレス設備保全",
    "language": "ja",
    "seed": 20261012,
    "tz": 9,  # JST
    "start": dt.datetime(2026, 10, 5),
    "sft_days": 35,
    "pair_day0": 7,
    "pair_days": 21,
    "judge_end": dt.datetime(2026, 11, 6, 9, 0),
    "guidelines": GUIDELINES,
    "categories": CATEGORIES,
    "annotators": ["tanaka", "suzuki", "sato", "yamamoto"],
    "left_bias": "yamamoto",
    "sft": SFT,
    "sft_submitted": 8,
    "sft_draft": 4,
    "approved_comments": ["数値があって分かりやすい。承認します。", "良い例です。", "LOTOの記載がありOK。",
                          "手順の順番が明確で良い。"],
    "pairs": PAIRS,
    "pairs_none": 10,
    "pairs_one": 16,
    "pairs_three": 22,
    "disagreements": 13,
    "finals": 3,
    "superseded": 5,
    "models": ["SmolLM2-360M-Instruct", "Qwen2.5-0.5B-Instruct", "SmolLM2-135M-Instruct"],
    "runs": 6,
    "rationales": RATIONALES,
    "final_rationale": "ガイドラインに照らして判断。安全面と手順の正しさを優先。",
}
