#!/usr/bin/env python3
"""Generates the plain-text pretraining corpus for the tiny demo model, deterministically.

    python3 seed-data/corpus/generate.py        ->  seed-data/corpus/ja-maintenance.txt, en-maintenance.txt

What goes in (all original text written for this project):
  * hand-written manual sections, procedures and a glossary (below);
  * the approved/submitted SFT answers and the better response of every judged pair of the demo workspaces, as
    Q&A text, so that a model pretrained on the corpus has seen the answer style;
  * incident reports, handover notes and service tickets composed from hand-written scenarios (symptom, what was
    checked, cause, fix, prevention) with a seeded RNG choosing machines, dates, measured values and the wording.
Same inputs, same output: the RNG is seeded and nothing depends on time or environment.
"""
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))

import ja_content  # noqa: E402
import en_content  # noqa: E402

# ============================================================================================ Japanese
JA_GLOSSARY = [
    ("上死点", "スライドが最も上がった位置。通常はここでスライドを停止させる。"),
    ("下死点", "スライドが最も下がった位置。加工の力が最も大きくかかる。"),
    ("ダイハイト", "スライドが下死点にあるときの、スライド下面からボルスタ上面までの距離。型の閉じ高さに合わせて調整する。"),
    ("SPM", "1分間あたりのストローク数。生産速度の目安になる。"),
    ("寸動（インチング）", "ボタンを押している間だけスライドを少しずつ動かす運転。段取りや確認に使う。"),
    ("安全一行程", "起動ボタンを押すと1サイクルだけ動いて上死点で止まる運転。"),
    ("クラッチ・ブレーキ", "フライホイールの回転をクランク軸に伝えたり止めたりする装置。停止性能は安全距離に直結する。"),
    ("ブレーキ角度", "停止信号からスライドが止まるまでにクランクが回った角度。停止性能の管理に使う。"),
    ("カウンタバランス（バランサ）", "スライドと上型の重量をエア圧で支える装置。型ごとに圧力を合わせる。"),
    ("ギブ", "スライドを案内する摺動面。隙間が大きいと精度が落ち、小さいと発熱する。"),
    ("コンロッド", "クランク軸の回転をスライドの上下運動に変える連結棒。"),
    ("ボルスタ", "下型を取り付けるプレス下部の台。"),
    ("ダイクッション", "絞り加工でしわ押さえ力を与える装置。空圧式と油圧式がある。"),
    ("ノックアウト", "上型に残った製品を突き落とす装置。"),
    ("過負荷防止装置", "設定以上の荷重がかかったときにプレスを止める装置。油圧式が多い。"),
    ("荷重計（ロードモニタ）", "加工中の荷重を測って表示する装置。コーナーごとに表示するものが多い。"),
    ("光線式安全装置", "光線をさえぎると停止信号を出す安全装置。ライトカーテンとも呼ぶ。"),
    ("両手操作式安全装置", "両手で同時にボタンを押さないと起動しない安全装置。"),
    ("安全距離", "危険域から安全装置までの必要な距離。停止時間から計算する。"),
    ("安全ブロック", "型の間に入れてスライドの落下を防ぐ支え。インターロック付きのものが多い。"),
    ("LOTO", "ロックアウト・タグアウト。エネルギー源を遮断し、施錠と表示をして、作業中に設備が動かないようにする手順。"),
    ("残圧開放", "電源を切った後に残るエア・油圧の圧力を抜くこと。"),
    ("ハスプ", "一つの遮断器に複数の南京錠を掛けるための器具。"),
    ("ヒヤリハット", "けがには至らなかったが、ヒヤリとしたりハッとしたりした出来事。"),
    ("KY（危険予知）", "作業の前に危険を予想し、対策を決める活動。"),
    ("ロールフィーダ", "ロールで材料をはさんで一定の長さずつ送る装置。"),
    ("レベラ", "コイル材の巻き癖を矯正して平らにする装置。"),
    ("パイロットピン", "順送型で材料の位置を正確に決めるためのピン。"),
    ("リリース", "パイロットピンが入るときにフィーダのロールを開く動作。"),
    ("ミスフィード検出", "送り不良を検出してプレスを止める機能。金型保護に使う。"),
    ("トランスファプレス", "フィンガーでワークを工程から工程へ移しながら加工するプレス。"),
    ("順送型", "材料を送りながら複数の工程を一つの型で順に加工する型。"),
    ("クリアランス", "パンチとダイの隙間。板厚に対する割合で表すことが多い。"),
    ("バリ", "せん断で切り口に出る突起。刃先の摩耗やクリアランスの不良で大きくなる。"),
    ("ダレ", "せん断の切り口の、パンチ側にできる丸み。"),
    ("カス上がり", "抜いたカスがパンチに付いて型の上に上がってくる現象。"),
    ("スプリングバック", "曲げた材料が弾性で元に戻ろうとする現象。"),
    ("しわ押さえ", "絞り加工で材料のフランジ部を押さえ、しわを防ぐこと。"),
    ("かじり", "摺動面や型の表面で材料が溶着して傷が付く現象。"),
    ("ガイドポスト", "上型と下型の位置を合わせる柱。ブシュと組み合わせて使う。"),
    ("ストリッパ", "抜き加工の後、材料をパンチから外す板。"),
    ("ガススプリング", "窒素ガスを封入したばね。小型で大きな力が出る。"),
    ("シム", "高さを調整するための薄い板。"),
    ("初品検査", "段取り後の最初の製品を検査し、段取りが正しいことを確かめる検査。"),
    ("終品", "ロットの最後の製品。型の状態を知る手がかりになる。"),
    ("限度見本", "合格と不合格の境目を示す実物の見本。"),
    ("ミルシート", "材料メーカーが発行する材料の検査証明書。"),
    ("作動油", "油圧装置で力を伝える油。粘度グレード（VG）で区別する。"),
    ("アキュムレータ", "油圧を蓄える容器。窒素ガスが封入されている。"),
    ("リリーフ弁", "回路の圧力が設定値を超えないように油を逃がす弁。"),
    ("キャビテーション", "ポンプの吸込み不良で気泡が発生し、騒音や損傷を起こす現象。"),
    ("NAS等級", "作動油の汚染度を表す等級。数字が小さいほどきれい。"),
    ("集中給油装置", "ポンプで複数の給油箇所に自動的に油を送る装置。"),
    ("分配弁", "集中給油で油を各給油箇所に分ける弁。"),
    ("近接センサ", "金属が近づいたことを非接触で検出するセンサ。"),
    ("光電センサ", "光の遮断や反射で物体を検出するセンサ。"),
    ("エンコーダ", "回転角度を検出する装置。クランク角度の検出に使う。"),
    ("インバータ", "モータの回転数を制御する装置。"),
    ("絶縁抵抗", "電線や巻線と大地の間の抵抗。低下すると漏電の原因になる。"),
    ("特定自主検査", "動力プレスに法令で義務付けられた年1回の検査。有資格者が行う。"),
    ("TBM", "時間基準保全。決めた周期で点検・交換する保全。"),
    ("CBM", "状態基準保全。設備の状態を測って、劣化に応じて保全する方法。"),
    ("MTBF", "平均故障間隔。故障から次の故障までの平均時間。"),
    ("MTTR", "平均修理時間。故障してから直るまでの平均時間。"),
    ("なぜなぜ分析", "「なぜ」を繰り返して、対策が打てる原因まで掘り下げる方法。"),
]

JA_SECTIONS = [
    ("プレス作業の基本", [
        "プレス作業では、金型の間に体の一部を入れないことが最も大切である。材料の供給や製品の取出しは、できる限り自動化するか、手工具を使って行う。",
        "安全装置は、作業者を守る最後の手段である。安全装置が作業の邪魔になると感じたときは、無効にするのではなく、班長や保全に相談して、作業方法や装置の配置を見直す。",
        "いつもと違う音、匂い、振動に気付いたら、運転を止めて確認する。止めた人を責めない職場であることが、事故を防ぐ一番の近道である。",
    ]),
    ("始業点検の進め方", [
        "始業点検は、点検表の順に行う。まず安全装置の作動を確認し、次にエア圧、給油、寸動での異音の有無を確認する。",
        "点検表には、丸を付けるだけでなく、測った値を記入する。値を記入することで、少しずつ変化していることに気付ける。",
        "異常を見つけたら、運転を始める前に班長へ報告する。判断に迷うときは、運転しないことを選ぶ。",
    ]),
    ("段取り替えの手順", [
        "段取り替えは、段取り表の確認から始める。型番、ダイハイト、バランサ圧、SPM、クッション圧、送り長さを事前に確認し、必要な工具とボルトをそろえておく。",
        "型を外すときも付けるときも、スライドの下に手を入れる前にはLOTOと安全ブロックを行う。寸動中に型の位置を直すことは絶対にしない。",
        "型を取り付けたら、寸動で1サイクル回して干渉がないことを確かめ、試し打ちをして初品検査を行う。初品検査に合格するまでは量産に入らない。",
    ]),
    ("油圧装置の管理", [
        "作動油は、量・温度・汚れの三つを管理する。油面計で量を確認し、油温を毎日記録し、半年ごとに油の分析をする。",
        "油温は30〜55℃程度に保つのが望ましい。60℃を超える状態が続くと、油の劣化が早くなり、シールも傷む。",
        "油圧配管を外すときは、ポンプを止め、アキュムレータの圧を抜き、圧力計が0を示すことを確かめてから作業する。高圧の油が皮膚に刺さると重傷になる。",
    ]),
    ("金型の保全", [
        "金型は、ショット数と品質の両方を見ながら保全する。研磨の周期をショット数で決めておき、バリが大きくなったら周期の前でも研磨する。",
        "研磨した後は、シムで高さを戻し、脱磁してから使う。研磨量と累計の研磨量は型台帳に記録し、使用限度に近づいたら部品を手配する。",
        "型を保管するときは、カスと油汚れを取り、防錆油を塗り、ばねに負荷がかからないようにしてから棚に戻す。",
    ]),
    ("電気・センサの基本", [
        "センサが反応しないときは、交換する前に、表示灯、検出距離、配線、電源の順に確認する。表示灯が点くのに信号が来ない場合は、配線か制御側の問題である。",
        "制御盤の中で作業するときは、主電源を切るだけでなく、検電器で電圧がないことを確かめる。インバータのコンデンサには、電源を切った後も電圧が残る。",
        "安全に関わるセンサやスイッチは、同じ型式のものに交換する。インターロックを配線で短絡させることは、どんな理由があっても行わない。",
    ]),
    ("品質検査の考え方", [
        "検査は、不良を見つけるだけでなく、工程の変化に早く気付くために行う。初品、量産中の抜き取り、終品の三つを欠かさない。",
        "不合格品を見つけたら、まず隔離し、いつから出ているかを確かめ、対象の範囲を止める。原因の調査はその後に行う。",
        "測定は、測る位置、測定器、測定力を決めて、誰が測っても同じ結果になるようにする。測定器の校正期限も定期的に確認する。",
    ]),
    ("引継ぎと報告", [
        "引継ぎでは、設備の状態、発生したトラブルと処置、品質の保留品、LOTO中の設備の四つを必ず伝える。口頭だけでなく引継ぎ簿に書く。",
        "報告書には、事実、原因、処置、再発防止を分けて書く。数値と時刻を入れると、読んだ人が判断しやすい。",
        "同じ故障が他の設備でも起きる可能性があるときは、同型機への横展開を報告書に書いておく。",
    ]),
]

# Incident scenarios: machine kind, symptom, checks (with value ranges), cause, fix, prevention.
JA_SCEN = [
    dict(eq="クランクプレス", sym="下死点付近で打音が出るようになった",
         chk=["コンロッド連結部のガタをダイヤルゲージで測ったところ{v:.2f}mmあった", "ギブの隙間は四隅とも規定内だった"],
         v=(0.30, 0.60), cause="ボールシートの摩耗", fix="ボールシートの隙間を調整した", prev="月次点検に連結部のガタ測定を追加する"),
    dict(eq="クランクプレス", sym="停止位置が上死点からばらつくようになった",
         chk=["ブレーキ角度を測定したところ{v:.0f}°で、前回より大きくなっていた", "クラッチ・ブレーキのエア圧は規定どおりだった"],
         v=(12, 25), cause="ブレーキライニングの摩耗", fix="ブレーキライニングを交換し、ブレーキ角度を再測定した", prev="ブレーキ角度の測定を週1回にする"),
    dict(eq="ロールフィーダ", sym="送りピッチが時々短くなった",
         chk=["10ショットの送り長さを実測したところ、最大{v:.1f}mm短かった", "ロール表面に油膜が付いていた"],
         v=(0.2, 1.2), cause="ロール表面の油汚れによる滑り", fix="ロールを脱脂し、押付け圧を見直した", prev="ロールの清掃を始業点検の項目に入れる"),
    dict(eq="集中給油装置", sym="給油圧異常の警報が出た",
         chk=["タンクの油量は十分だった", "スライド周りの可動ホースに擦れによる亀裂があり、油が漏れていた"],
         v=None, cause="可動ホースの擦れによる破損", fix="ホースを交換し、保護スリーブを取り付けた", prev="可動ホースの点検を月次点検に追加する"),
    dict(eq="油圧ユニット", sym="油温が{v:.0f}℃まで上がった",
         chk=["オイルクーラのフィンに粉じんが詰まっていた", "リリーフ弁の設定圧は規定どおりだった"],
         v=(58, 66), cause="オイルクーラの目詰まりによる冷却不足", fix="クーラのフィンを清掃した", prev="クーラの清掃周期を3か月から1か月に短くする"),
    dict(eq="油圧ポンプ", sym="ガラガラという異音が出た",
         chk=["吸込みストレーナが汚れで詰まっていた", "タンク内の油に細かい泡が多かった"],
         v=None, cause="吸込みストレーナの詰まりによるキャビテーション", fix="ストレーナを清掃し、作動油を補充した", prev="ストレーナの清掃を半年ごとの定期点検に入れる"),
    dict(eq="トランスファプレス", sym="フィンガーがワークをつかみ損ねて停止した",
         chk=["第{n}工程の前の型でワークが浮いていた", "ノックアウトピンのスプリングが1本折れていた"],
         v=None, cause="ノックアウトピンのスプリング折損によるワークの浮き", fix="同じ型のスプリングを全数交換した", prev="型の定期点検でスプリングの自由長を測る"),
    dict(eq="クランクプレス", sym="メインモータが起動時にトリップした",
         chk=["フライホイールブレーキが解放されず引きずっていた", "モータの絶縁抵抗は{v:.0f}MΩで問題なかった"],
         v=(20, 200), cause="フライホイールブレーキの解放不良", fix="ブレーキの電磁弁を交換した", prev="起動時のモータ電流を記録し、傾向を見る"),
    dict(eq="順送型", sym="打ち抜き品のバリが急に大きくなった",
         chk=["バリ高さは{v:.2f}mmで、規格を超えていた", "第2工程のパンチの刃先に欠けがあった"],
         v=(0.10, 0.25), cause="パンチ刃先の欠け", fix="パンチを交換し、ダイの刃先を0.1mm研磨した", prev="バリ高さの測定を2時間ごとから1時間ごとにする"),
    dict(eq="絞り型", sym="製品の角に割れが出た",
         chk=["ダイ肩R部にかじり傷があった", "プレス油の塗布ロールの一部が詰まっていた"],
         v=None, cause="塗布ロールの詰まりによる潤滑不足と、それによるかじり", fix="R部を磨き直し、塗布ロールを清掃した", prev="塗布ロールの点検を段取りごとに行う"),
    dict(eq="曲げ型", sym="曲げ角度が規格から外れた",
         chk=["角度を測ったところ{v:.1f}°だった", "材料ロットが前日から替わっていた"],
         v=(90.7, 91.6), cause="材料ロット替えによるスプリングバックの変化", fix="ダイハイトを0.05mmずつ下げて調整し、規格内に戻した", prev="ロット替え時の角度確認を作業標準に書く"),
    dict(eq="近接センサ", sym="金型保護センサが反応しなくなった",
         chk=["表示灯は点灯しており、センサ自体は正常だった", "コネクタ部のケーブルが切粉で傷つき断線していた"],
         v=None, cause="切粉によるケーブルの断線", fix="ケーブルを交換し、保護チューブを付けた", prev="コネクタ周りにカバーを付ける"),
    dict(eq="光電センサ", sym="夕方だけ誤動作した",
         chk=["受光部に窓からの西日が当たっていた"],
         v=None, cause="外乱光", fix="受光部にフードを付けた", prev="同じ向きに付いている他のセンサも確認する"),
    dict(eq="インバータ", sym="過電流のアラームで停止した",
         chk=["アラーム履歴から、加速中に発生していたことが分かった", "加速時間の設定が{v:.1f}秒に短縮されていた"],
         v=(0.5, 1.5), cause="加速時間の設定変更", fix="加速時間を元の値に戻した", prev="パラメータの変更は記録と承認を必須にする"),
    dict(eq="制御盤", sym="夏場にPLCが誤動作した",
         chk=["盤内温度が{v:.0f}℃になっていた", "盤のファンのフィルタが目詰まりしていた"],
         v=(42, 50), cause="フィルタの目詰まりによる盤内温度の上昇", fix="フィルタを交換した", prev="夏場はフィルタの点検を2週間ごとにする"),
    dict(eq="ダイクッション", sym="絞り品にしわが出た",
         chk=["クッション圧が設定より{v:.2f}MPa低かった", "クッションシリンダのパッキンからエアが漏れていた"],
         v=(0.05, 0.15), cause="クッションシリンダのパッキン劣化", fix="パッキンを交換した", prev="クッション圧を始業点検で記録する"),
    dict(eq="油圧シリンダ", sym="ロッド部から油がにじむようになった",
         chk=["ロッド表面に細かい傷があった"],
         v=None, cause="ロッドの傷によるパッキンの損傷", fix="ロッドとパッキンを交換した", prev="ロッドのカバー（じゃばら）を取り付ける"),
    dict(eq="クランクプレス", sym="クランク軸受の温度が{v:.0f}℃まで上がった",
         chk=["その軸受への給油配管がつぶれていた", "分配弁は正常に作動していた"],
         v=(62, 72), cause="給油配管のつぶれによる給油不足", fix="配管を交換し、手差しで給油してから温度を監視した", prev="軸受温度を毎日同じ時刻に記録する"),
    dict(eq="ベルト", sym="フライホイールの立上りが遅く、ベルトから鳴きが出た",
         chk=["ベルトのたわみが規定より大きかった", "ベルト側面にテカリがあった"],
         v=None, cause="ベルトの伸びによる滑り", fix="ベルトを全数交換し、30分運転後に張りを再調整した", prev="ベルトの張りを3か月ごとに測る"),
    dict(eq="非常停止回路", sym="非常停止ボタンの1つが押しても効かなかった",
         chk=["ボタンの接点ブロックが外れかかっていた"],
         v=None, cause="接点ブロックの取付不良", fix="接点ブロックを交換し、全ての非常停止ボタンを点検した", prev="非常停止の作動確認を始業点検で全ボタンについて行う"),
    dict(eq="ガイドポスト", sym="金型のガイドポストがかじった",
         chk=["給油の記録が2日分抜けていた"],
         v=None, cause="給油忘れ", fix="オイルストーンで修正し、給油した", prev="給油を段取りチェックリストに入れる"),
    dict(eq="レベラ", sym="材料に反りが残った",
         chk=["出口側の押し込み量が材料替えの後も前の設定のままだった"],
         v=None, cause="材料替え時の設定変更漏れ", fix="材料に合わせて押し込み量を設定した", prev="材料ごとの設定値を段取り表に載せる"),
    dict(eq="過負荷防止装置", sym="荷重が低いのに過負荷で停止した",
         chk=["油量が下限に近く、エアが混入していた"],
         v=None, cause="油量不足とエアの混入", fix="作動油を補充し、エア抜きを行った", prev="油量の確認を週次点検に入れる"),
    dict(eq="両手操作ボタン", sym="片方のボタンを押しただけで起動しかけた",
         chk=["片方のボタンがテープで押された状態に固定されていた"],
         v=None, cause="安全装置の無効化", fix="テープを外し、作業者と班長で作業方法を話し合った", prev="ボタンの位置を作業しやすい高さに変更する"),
]

JA_NAMES = ["田中", "鈴木", "佐藤", "山本", "高橋", "伊藤", "渡辺", "中村", "小林", "加藤"]
JA_SHIFTS = [("日勤", "夜勤"), ("夜勤", "日勤"), ("1直", "2直"), ("2直", "3直"), ("3直", "1直")]


def ja_fill(s, rng, sc):
    v = sc.get("v")
    val = rng.uniform(*v) if v else 0
    return s.format(v=val, n=rng.randint(2, 5)), val


def ja_report(rng, sc, k):
    no = rng.randint(1, 12)
    ton = rng.choice([80, 110, 150, 200, 300, 400, 600])
    mon = rng.choice([4, 5, 6, 7, 8, 9, 10, 11])
    if "夏場" in sc["sym"]:
        mon = rng.choice([6, 7, 8, 9])
    day = rng.randint(1, 28)
    hh, mm = rng.randint(0, 23), rng.choice([0, 5, 10, 15, 20, 25, 30, 40, 45, 50])
    shots = rng.randint(5, 400) * 1000
    mins = rng.choice([15, 20, 25, 30, 40, 45, 60, 75, 90, 120, 180])
    name = rng.choice(JA_NAMES)
    sym, _ = ja_fill(sc["sym"], rng, sc)
    checks = [ja_fill(c, rng, sc)[0] for c in sc["chk"]]
    form = rng.randrange(4)
    if form == 0:
        return ("【設備故障報告】\n設備：%d号機 %s（%dトンライン）\n発生日時：%d月%d日 %02d:%02d（累計%d,000ショット時点）\n"
                "現象：%s。\n調査：LOTOを実施したうえで点検した。%s。\n原因：%sと判断した。\n処置：%s。寸動で1サイクル確認後、生産を再開した。停止時間は%d分。\n"
                "再発防止：%s。同型機にも展開する。\n報告者：%s\n" % (
                    no, sc["eq"], ton, mon, day, hh, mm, shots // 1000, sym, "。".join(checks), sc["cause"],
                    sc["fix"], mins, sc["prev"], name))
    if form == 1:
        sh = rng.choice(JA_SHIFTS)[0]
        lead = rng.choice(["オペレータから連絡を受けて現場に向かった。", "巡回中に気付いた。", "班長からの依頼で確認した。"])
        return ("%d月%d日の%s、%d号機の%sで%s。%s停止してLOTOを行い、点検を始めた。%s。このことから、%sが原因と考えられる。"
                "%s。停止時間は合計%d分だった。今後は%s。（%s）\n" % (
                    mon, day, sh, no, sc["eq"], sym, lead, "。また、".join(checks), sc["cause"], sc["fix"], mins,
                    sc["prev"], name))
    if form == 2:
        a, b = rng.choice(JA_SHIFTS)
        remain = rng.choice(["現在は通常運転中。", "念のため次の直でも様子を見てください。", "部品の予備が残り1個なので発注をお願いします。",
                             "SPMを下げて運転中。元に戻すかは班長判断。"])
        return ("引継ぎ事項（%s→%s）\n・%d号機（%s）：%s。%s。%s\n・原因は%s。詳細は故障報告書に記載。\n・LOTO中の設備：%s\n記入：%s\n" % (
            a, b, no, sc["eq"], sym, sc["fix"], remain, sc["cause"], rng.choice([
                "なし", "なし", "%d号機（金型修理中、錠：%s）" % (rng.randint(1, 12), rng.choice(JA_NAMES)),
                "%d号機（ベルト交換中、錠：%s・%s）" % (rng.randint(1, 12), rng.choice(JA_NAMES), rng.choice(JA_NAMES))]), name))
    q = rng.choice(["%sで%s。何を確認すればよいですか。", "%sの調子が悪く、%s。原因として何が考えられますか。",
                    "%sについて相談です。%s。どこから見ればいいでしょうか。"])
    first = rng.choice(["まず運転を止めてLOTOを行い、安全を確保してから点検します。",
                        "点検の前に、必ず停止とLOTOをしてください。",
                        "最初に設備を止め、エネルギー源を遮断して施錠します。"])
    past = rng.choice(["過去の事例では、", "以前%d号機で同じ現象が出たときは、" % no, "私が経験した例では、"])
    return ("質問：" + (q % (sc["eq"], sym)) + "\n回答：" + first + past + "%s。"
            "原因は%sでした。そのときは、%s。再発防止として、%sことをおすすめします。\n" % (
                "。また、".join(checks), sc["cause"], sc["fix"], sc["prev"]))


JA_LOG_ITEMS = [
    ("クラッチ・ブレーキエア圧", "MPa", (0.45, 0.56), 2, (0.48, 0.55)),
    ("バランサエア圧", "MPa", (0.30, 0.52), 2, (0.30, 0.52)),
    ("ブレーキ角度", "°", (6, 16), 0, (0, 12)),
    ("クランク軸受温度", "℃", (32, 66), 0, (0, 60)),
    ("作動油温", "℃", (28, 62), 0, (25, 55)),
    ("フライホイール軸受振動", "mm/s", (0.8, 4.8), 1, (0, 3.5)),
    ("メインモータ電流", "A", (38, 70), 0, (0, 62)),
    ("給油タンク油量", "%", (35, 95), 0, (40, 100)),
]


def ja_log(rng):
    no = rng.randint(1, 12)
    mon, day = rng.choice([9, 10, 11]), rng.randint(1, 28)
    who = rng.choice(JA_NAMES)
    lines = ["【週次点検記録】%d号機　%d月%d日　点検者：%s" % (no, mon, day, who)]
    notes = []
    for name, unit, rng_v, dec, ok in rng.sample(JA_LOG_ITEMS, rng.randint(4, 7)):
        v = round(rng.uniform(*rng_v), dec)
        good = ok[0] <= v <= ok[1]
        lines.append("・%s：%s%s（%s）" % (name, ("%." + str(dec) + "f") % v, unit, "良" if good else "要観察"))
        if not good:
            notes.append(name)
    if notes:
        lines.append("所見：%sが管理値を外れている。%s" % ("、".join(notes), rng.choice([
            "次回点検まで毎日測定して傾向を確認する。", "班長に報告済み。保全で原因を調査する。",
            "前回値と比較し、悪化していれば計画停止で点検する。"])))
    else:
        lines.append("所見：" + rng.choice(["異常なし。", "全項目管理値内。前回値からの大きな変化なし。", "異常なし。給油タンクに補充した。"]))
    return "\n".join(lines) + "\n"


def ja_corpus(rng):
    out = []
    out.append("# プレス設備保全 用語集\n")
    for term, d in JA_GLOSSARY:
        out.append("%s：%s" % (term, d))
    out.append("")
    for title, paras in JA_SECTIONS:
        out.append("# " + title + "\n")
        out.extend(paras)
        out.append("")
    cfg = ja_content.CONFIG
    qa = qa_items(cfg)
    rng.shuffle(qa)
    out.append("# 現場の質問と回答集\n")
    for q, a in qa:
        out.append("質問：" + q + "\n回答：" + a + "\n")
    out.append("# 故障事例と引継ぎの記録\n")
    reports = []
    seen = set()
    for k in range(len(JA_SCEN) * 10):
        sc = JA_SCEN[k % len(JA_SCEN)]
        r = ja_report(rng, sc, k)
        if r not in seen:
            seen.add(r)
            reports.append(r)
    for k in range(120):
        reports.append(ja_log(rng))
    rng.shuffle(reports)
    out.extend(reports)
    return "\n".join(out) + "\n"


# ============================================================================================ English
EN_GLOSSARY = [
    ("Bottom dead centre (BDC)", "The lowest point of the slide's stroke, where the forming force is highest."),
    ("Top dead centre (TDC)", "The highest point of the stroke; the press normally stops here."),
    ("Shut height", "The distance from the bolster to the slide at bottom dead centre, set to match the closed die."),
    ("Strokes per minute (SPM)", "How many times the slide cycles per minute."),
    ("Inching", "Moving the slide in small steps while a button is held, for setup and checks."),
    ("Counterbalance", "Air cylinders that carry the weight of the slide and upper die; set per die."),
    ("Brake monitor", "A function that measures each stopping time and locks the press if it exceeds the limit."),
    ("Stopping time", "The time from the stop signal until the slide stands still; the basis of the safety distance."),
    ("Safety distance", "The minimum distance between a protective device and the hazard, calculated from the stopping time."),
    ("Light curtain", "A set of light beams that stops the press when interrupted."),
    ("Muting", "Temporarily suppressing a protective device during a safe part of the cycle; only as designed and validated."),
    ("Lock-out/tag-out (LOTO)", "Isolating and locking every energy source, and tagging it, before work on a machine."),
    ("Safety block", "A block placed between the dies to stop the slide from coming down during work."),
    ("Tonnage monitor", "Measures the forming force per corner during every stroke."),
    ("Following error", "The difference between commanded and actual position of a servo axis."),
    ("Braking resistor", "Dissipates the energy a servo motor returns while decelerating."),
    ("DC bus", "The internal DC voltage of a drive; it rises when a motor regenerates."),
    ("Photo-eye", "A photoelectric sensor that detects parts by interrupting or reflecting light."),
    ("Jam timer", "The time a conveyor zone may stay occupied before the controller raises a jam alarm."),
    ("Gib", "The sliding guide surfaces of the slide; their clearance affects accuracy and heat."),
    ("RMA", "Return merchandise authorisation: the reference under which a part is sent back for repair."),
    ("Field service", "A visit by a vendor engineer to the customer's site."),
    ("Commissioning", "The start-up of a new machine on site, including tuning and safety tests."),
    ("Die protection", "Sensors in the die that stop the press when a part or strip is not where it should be."),
    ("MTBF", "Mean time between failures."),
    ("MTTR", "Mean time to repair."),
]

EN_SECTIONS = [
    ("Working safely on presses", [
        "Nobody puts a hand or any part of the body between the dies while the press can move. Loading and unloading "
        "are automated or done with hand tools.",
        "Protective devices are the last line of defence. If a device gets in the way of the work, change the work "
        "method or the layout; never mute, bridge or move the device.",
        "Before anyone works in the die area, every energy source is locked out: the main disconnect, the air supply "
        "with its dump valve, the hydraulic overload system and, with safety blocks, gravity.",
    ]),
    ("Daily checks", [
        "At the start of each shift, test the light curtain with the test rod at the top, middle and bottom of the "
        "field, press every emergency stop once, and check the two-hand control.",
        "Read the air pressure at the clutch and brake, check the lubrication tank level, and inch one full stroke "
        "listening for unusual noise.",
        "Write the values down, not just ticks. A value written every day shows a slow trend long before it becomes an "
        "alarm.",
    ]),
    ("Die change", [
        "Start from the die record in LineView: shut height, counterbalance pressure, tonnage limits, motion profile "
        "and die protection windows.",
        "Lock out before reaching under the slide. Never correct the die position while inching.",
        "After clamping, inch one full stroke, check the shut height, and only then run the first part. Inspect the "
        "first part before production.",
    ]),
    ("Working a support ticket", [
        "Collect the serial number, software version, alarm code and text, the time, and what the machine was doing. "
        "Repeat back what you understood before you start.",
        "Work from the most likely and cheapest check to the least likely. Write down what was checked and the result, "
        "so the next person doesn't repeat it.",
        "Escalate to field service when safety functions are involved, when mechanical damage is suspected, or when two "
        "remote sessions haven't found the cause.",
    ]),
]

EN_SCEN = [
    dict(eq="HX-250 servo press", sym="tripped E-217 following error after a new motion profile was loaded",
         chk=["the load ratio in the dwell segment was {v:.0f}%", "the old profile ran without alarms"], v=(105, 130),
         cause="a dwell at bottom dead centre that asked for more torque than the axis has",
         fix="we shortened the dwell and reduced the acceleration of the return stroke",
         prev="the customer will check the load ratio on the profile screen before saving new profiles"),
    dict(eq="HX-400 servo press", sym="showed DC bus overvoltage on fast return strokes",
         chk=["the braking resistor measured {v:.0f} ohm against 20 ohm on the drawing", "its thermal switch was open"],
         v=(35, 80), cause="a failed braking resistor", fix="the resistor was replaced under warranty",
         prev="the resistor check was added to the annual service list"),
    dict(eq="CX conveyor controller", sym="raised zone jam alarms with nothing on the belt",
         chk=["the zone photo-eye lens was covered in oil mist", "the sensor LED flickered with the zone empty"],
         v=None, cause="a dirty photo-eye", fix="the lens and reflector were cleaned and the sensor realigned",
         prev="cleaning the photo-eyes was added to the weekly checks"),
    dict(eq="HX-250 servo press", sym="locked out on the brake monitor at {v:.0f} ms against a 200 ms limit",
         chk=["the brake air supply was correct", "the dual valve exhaust silencer was clogged"], v=(205, 230),
         cause="a clogged exhaust silencer slowing the brake", fix="the silencer was replaced and the stopping time re-measured by our engineer",
         prev="the silencer is now on the six-monthly service list"),
    dict(eq="LineView HMI", sym="lost PLC communication several times per shift",
         chk=["the Ethernet cable was crushed where it ran along the press frame"], v=None,
         cause="a damaged network cable", fix="the cable was replaced and rerouted in a conduit",
         prev="the customer will route network cables away from moving parts and power wiring"),
    dict(eq="HX-250 servo press", sym="made a knocking noise at bottom dead centre after a die change",
         chk=["the counterbalance pressure was still set for the previous, lighter die"], v=None,
         cause="a counterbalance pressure that did not match the die", fix="the pressure was set from the die record",
         prev="the counterbalance value is now loaded automatically from the LineView die record"),
    dict(eq="CX conveyor", sym="had its belt tracking to one side",
         chk=["the tail pulley was {v:.1f} mm out of square", "there was build-up on the pulley"], v=(2, 6),
         cause="a misaligned tail pulley", fix="the pulley was cleaned and realigned in quarter turns",
         prev="belt tracking is now part of the monthly checks"),
    dict(eq="HX-250 gearbox", sym="showed metal particles in the oil sample",
         chk=["the sample had {v:.0f} ppm iron", "one bearing showed early pitting on inspection"], v=(120, 400),
         cause="bearing wear", fix="the bearing was replaced during a planned stop",
         prev="oil samples are now taken every 2,000 hours"),
    dict(eq="drive cabinet", sym="had drive overtemperature alarms in the afternoon",
         chk=["the cabinet reached {v:.0f} °C", "the filter mats were clogged with oil"], v=(42, 51),
         cause="blocked filter mats", fix="oil-mist filter mats were fitted",
         prev="the customer is quoting a closed-loop cabinet cooler"),
    dict(eq="lubrication pump", sym="reported low level with a half-full tank",
         chk=["the float switch was stuck in old grease"], v=None,
         cause="a sticking float switch", fix="the float was cleaned and the tank refilled with the correct grade",
         prev="the tank is now cleaned at every refill"),
    dict(eq="HX-150 servo press", sym="lost the encoder signal (E-104) intermittently",
         chk=["coolant had entered the encoder connector at the motor"], v=None,
         cause="coolant in the encoder connector", fix="the connector was dried, resealed and fitted with a boot",
         prev="the coolant nozzle was moved away from the motor"),
    dict(eq="light curtain", sym="stopped the press with nobody nearby",
         chk=["a reflective guard panel was bouncing beams around the curtain"], v=None,
         cause="reflection from a new stainless steel panel", fix="the panel was replaced with a matt one and the curtain tested with the test rod",
         prev="reflective surfaces near curtains are checked after any layout change"),
]

EN_SCEN += [
    dict(eq="HX-250 servo press", sym="tripped the tonnage overload on the left rear corner",
         chk=["the peak was {v:.0f} t against a 60 t corner limit", "a slug had been pulled back onto the die face"], v=(64, 80),
         cause="slug pulling at station 3", fix="the punch was reground and a kicker pin punch fitted",
         prev="the die shop will check station 3 punches at every die change"),
    dict(eq="CX conveyor", sym="stopped on an emergency stop that nobody had pressed",
         chk=["a pull-cord switch had been tripped by a part falling against the cord"], v=None,
         cause="a part catching the pull cord", fix="a guard rail was fitted below the cord and the safety circuit reset",
         prev="the customer will look at why parts fall off at that transfer point"),
    dict(eq="HX-400 servo press", sym="showed shut height drifting by {v:.2f} mm during the shift",
         chk=["the slide adjustment brake was not holding", "the motor brake air gap was out of tolerance"], v=(0.05, 0.30),
         cause="a worn slide adjustment motor brake", fix="the brake was adjusted and the shut height checked over a full shift",
         prev="the brake air gap is now checked at the annual service"),
    dict(eq="die protection system", sym="stopped the press at random on the part-out sensor",
         chk=["the sensor window started {v:.0f} degrees too early for the new faster profile"], v=(8, 25),
         cause="a timing window that was not adapted to the new motion profile", fix="the window was moved in the die record",
         prev="die protection windows are reviewed whenever a profile is changed"),
    dict(eq="LineView HMI", sym="showed the wrong die name after a die change",
         chk=["the die had been selected by number from an old printed list"], v=None,
         cause="an outdated die list at the press", fix="the printed list was removed and the die selected from the library",
         prev="only the LineView die library is used to select dies"),
    dict(eq="HX-150 servo press", sym="ran with a squeal from the slide guides",
         chk=["two lubrication lines to the gibs were blocked", "gib clearance was within limits"], v=None,
         cause="blocked lubrication lines", fix="the lines were cleared and the metering units replaced",
         prev="the lubrication check now includes the flow indicators at the gibs"),
    dict(eq="servo drive", sym="would not enable after a power cut",
         chk=["the drive's safe torque off input was open", "a safety relay had not been reset"], v=None,
         cause="a safety relay left in the tripped state", fix="the relay was reset from the line panel",
         prev="the restart instructions on the panel now include the relay reset"),
    dict(eq="CX conveyor", sym="had a gearmotor running {v:.0f} °C hotter than the others",
         chk=["the belt was overtensioned", "the gearbox oil level was correct"], v=(12, 25),
         cause="excessive belt tension", fix="the belt was re-tensioned to the elongation in the manual",
         prev="belt tension is set with the marks method, not by feel"),
]

EN_SECTIONS += [
    ("Lubrication", [
        "The automatic lubrication system feeds the gibs, the connection and the bearings in short cycles. A low-level or "
        "pressure alarm means some points are not getting oil, so find the cause before you keep running.",
        "Use only the grade printed on the tank. Mixing greases with different thickeners can make them run or harden.",
        "More is not better: an overfilled bearing runs hot. Follow the quantities in the lubrication chart.",
    ]),
    ("Reading the tonnage monitor", [
        "The monitor shows the peak force per corner for every stroke. Compare it with the value from earlier runs of the "
        "same die rather than only with the limit.",
        "A peak creeping up over a shift often means tooling wear or a lubrication problem; a sudden jump on one corner "
        "usually means a slug, a double blank or a misfed strip.",
        "Limits are set per die in the die record. Raising them needs a reason and the die designer's agreement.",
    ]),
    ("Talking to a customer whose line is down", [
        "Start with the impact: acknowledge that the line is stopped and what that costs them.",
        "Give facts, not guesses: what has been ruled out, what is left, and what the next step is.",
        "Give a time for the next update and keep it, even if there is nothing new to report.",
    ]),
]

EN_CUSTOMERS = ["Norbrook Metal", "Ellison Stamping", "Rivergate Components", "Tamsin Parts", "Oakhurst Pressings",
                "Vale Automotive", "Brightwell Fabrication", "Carrow Industries"]
EN_ENGINEERS = ["Alice", "Bob", "Chen", "Dana", "Marek", "Priya", "Tom"]


def en_fill(s, rng, sc):
    v = sc.get("v")
    return s.format(v=rng.uniform(*v) if v else 0)


def en_report(rng, sc, k):
    cust = rng.choice(EN_CUSTOMERS)
    eng = rng.choice(EN_ENGINEERS)
    t = 24000 + k * 7 + rng.randint(0, 6)
    mon = rng.choice(["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"])
    day = rng.randint(1, 28)
    hours = rng.choice([1, 2, 3, 4, 6, 8, 12, 24, 36])
    sym = en_fill(sc["sym"], rng, sc)
    checks = [en_fill(c, rng, sc) for c in sc["chk"]]
    form = rng.randrange(5)
    if form == 4:
        opener = rng.choice(["Call with %s about their %s." % (cust, sc["eq"]), "%s reported a problem on their %s." % (cust, sc["eq"]),
                             "Remote session for %s (%s)." % (cust, sc["eq"])])
        return ("%s It %s. %s We walked through the checks together: %s. %s That pointed to %s, so %s. %s\n" % (
            opener, sym, rng.choice(["The operator had already reset it twice.", "Nothing had been changed recently, they said.",
                                     "It had started after the last maintenance stop.", "They sent the alarm log before the call."]),
            "; ".join(checks), rng.choice(["", "The rest of the line looked normal. ", "The alarm history confirmed it. "]).strip(),
            sc["cause"], sc["fix"], rng.choice(["Ticket closed.", "We'll check back in a week.",
                                                 "The customer confirmed the fix the next morning.",
                                                 "Follow-up: " + sc["prev"] + "."])))
    if form == 0:
        return ("Ticket %d - %s\nMachine: %s\nReported: %d %s. The customer's %s %s.\nFindings: after lock-out we found that %s.\n"
                "Cause: %s.\nResolution: %s. Downtime %d h.\nFollow-up: %s.\nEngineer: %s\n" % (
                    t, cust, sc["eq"], day, mon, sc["eq"], sym, ", and ".join(checks), sc["cause"], sc["fix"], hours,
                    sc["prev"], eng))
    if form == 1:
        return ("On %d %s, %s called because their %s %s. %s asked for the alarm log and a description of the last "
                "changes. On site, with the machine locked out, we found that %s. The cause was %s; %s. The line was "
                "down for %d hours in total, and %s.\n" % (
                    day, mon, cust, sc["eq"], sym, eng, " and ".join(checks), sc["cause"], sc["fix"], hours, sc["prev"]))
    if form == 2:
        return ("Shift note - %s\n- %s: %s. %s. Running normally since.\n- Root cause: %s.\n- Open item: %s.\n" % (
            cust, sc["eq"], sym, sc["fix"][0].upper() + sc["fix"][1:], sc["cause"], sc["prev"]))
    q = rng.choice(["Q: Our %s %s. What should we check?", "Q: Our %s %s. Where do we start?",
                    "Q: Any idea why our %s %s?"]) % (sc["eq"], sym)
    first = rng.choice(["Stop the machine and lock it out first.", "First make it safe: stop and lock out.",
                        "Before anything else, lock out the machine."])
    return ("%s\nA: %s In a similar case, %s. The cause turned out to be %s, and %s. To keep it from coming back, %s.\n" % (
        q, first, " and ".join(checks), sc["cause"], sc["fix"], sc["prev"]))


EN_LOG_ITEMS = [
    ("Clutch/brake air", "bar", (4.6, 5.6), 1, (4.8, 5.5)),
    ("Counterbalance air", "bar", (3.0, 5.2), 1, (3.0, 5.2)),
    ("Stopping time", "ms", (150, 208), 0, (0, 200)),
    ("Gearbox oil temperature", "°C", (35, 72), 0, (0, 65)),
    ("Main bearing vibration", "mm/s", (0.9, 4.6), 1, (0, 3.5)),
    ("Cabinet temperature", "°C", (24, 44), 0, (0, 40)),
    ("Lube tank level", "%", (30, 95), 0, (40, 100)),
]


def en_log(rng):
    cust = rng.choice(EN_CUSTOMERS)
    lines = ["Service log - %s, HX-%d, %s %d" % (cust, rng.choice([150, 250, 400]),
                                                rng.choice(["March", "June", "September", "November"]), rng.randint(1, 28))]
    flagged = []
    for name, unit, rv, dec, ok in rng.sample(EN_LOG_ITEMS, rng.randint(4, 6)):
        v = round(rng.uniform(*rv), dec)
        good = ok[0] <= v <= ok[1]
        lines.append("- %s: %s %s (%s)" % (name, ("%." + str(dec) + "f") % v, unit, "ok" if good else "watch"))
        if not good:
            flagged.append(name.lower())
    lines.append("Notes: " + ("%s outside the normal range; %s" % (", ".join(flagged), rng.choice([
        "customer will log it daily until the next visit.", "quoted a follow-up visit.", "compare with last month's value."]))
        if flagged else rng.choice(["all values normal.", "no findings.", "all within limits, filters replaced."])))
    return "\n".join(lines) + "\n"


def en_corpus(rng):
    out = ["# Glossary\n"]
    for term, d in EN_GLOSSARY:
        out.append("%s: %s" % (term, d))
    out.append("")
    for title, paras in EN_SECTIONS:
        out.append("# " + title + "\n")
        out.extend(paras)
        out.append("")
    qa = qa_items(en_content.CONFIG)
    rng.shuffle(qa)
    out.append("# Support questions and answers\n")
    for q, a in qa:
        out.append("Q: " + q + "\nA: " + a + "\n")
    out.append("# Service reports and shift notes\n")
    reports, seen = [], set()
    for k in range(len(EN_SCEN) * 22):
        r = en_report(rng, EN_SCEN[k % len(EN_SCEN)], k)
        if r not in seen:
            seen.add(r)
            reports.append(r)
    reports += [en_log(rng) for _ in range(150)]
    rng.shuffle(reports)
    out.extend(reports)
    return "\n".join(out) + "\n"


# ============================================================================================ shared
def qa_items(cfg):
    """The answers a model should learn to write: non-rejected SFT answers and better responses of pairs."""
    items = []
    for s in cfg["sft"]:
        if s.get("status") == "rejected":
            continue
        if "turns" in s:
            for u, a in s["turns"]:
                items.append((u, a))
        else:
            items.append((s["q"], s["a"]))
    seen = set()
    by_key = {p.get("key"): p for p in cfg["pairs"] if p.get("key")}
    for p in cfg["pairs"]:
        if p.get("kind") == "both_bad":
            continue
        src = by_key.get(p.get("edited_from")) if p.get("edited_from") else p
        q = src["prompt_turns"][-1][1] if "prompt_turns" in src else src["q"]
        if p["good"] in seen:
            continue
        seen.add(p["good"])
        items.append((q, p["good"]))
    return items


def main():
    for name, fn, seed in (("ja-maintenance.txt", ja_corpus, 7101), ("en-maintenance.txt", en_corpus, 7102)):
        text = fn(random.Random(seed))
        path = os.path.join(HERE, name)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print("wrote", path, len(text.encode("utf-8")), "bytes")


if __name__ == "__main__":
    main()
