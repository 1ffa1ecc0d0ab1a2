#!/usr/bin/env python3
"""Builds the demo workspaces (seed-data/workspaces/*.annotatedpo.jsonl) deterministically.

Texts, categories and the "correct" answer of every pair are hand-written in ja_content.py / en_content.py.
Everything else -- which side a response is shown as (A/B), origins, which annotators judged a pair, the order it
was shown in, time stamps, seconds spent, deliberate disagreements, superseded verdicts and manager final verdicts --
is drawn from a seeded RNG, so running this script twice gives byte-identical files.

Usage: python3 seed-data/tools/build.py
"""
import datetime as dt
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def work_time(rng, day0, span_days, tz_offset_h):
    """A time stamp during local working hours (08:30-17:30 local), as UTC."""
    d = day0 + dt.timedelta(days=rng.randrange(span_days))
    while d.weekday() >= 5 and rng.random() < 0.85:  # mostly weekdays
        d += dt.timedelta(days=1)
    minutes = rng.randrange(8 * 60 + 30, 17 * 60 + 30)
    local = dt.datetime(d.year, d.month, d.day) + dt.timedelta(minutes=minutes, seconds=rng.randrange(60))
    return local - dt.timedelta(hours=tz_offset_h)


def in_work_hours(rng, t, tz_offset_h):
    """Moves a UTC time stamp into local working hours (08:30-17:30, Mon-Fri) if it falls outside them."""
    local = t + dt.timedelta(hours=tz_offset_h)
    start = local.replace(hour=8, minute=30, second=0)
    end = local.replace(hour=17, minute=30, second=0)
    if local < start:
        local = start + dt.timedelta(minutes=rng.randrange(0, 240), seconds=rng.randrange(60))
    elif local > end:
        local = start + dt.timedelta(days=1, minutes=rng.randrange(0, 240), seconds=rng.randrange(60))
    while local.weekday() >= 5:
        local += dt.timedelta(days=1)
    return local - dt.timedelta(hours=tz_offset_h)


def side_letters(text, good_side):
    """Rationales are written with A = the better response and B = the worse one; map them to the sides drawn."""
    if good_side == "a" or not text:
        return text
    return re.sub(r"(?<![A-Za-z])([AB])(?=[はがのもより])", lambda m: "B" if m.group(1) == "A" else "A", text)


def msgs(system, turns):
    out = []
    if system:
        out.append({"role": "system", "content": system})
    for role, content in turns:
        out.append({"role": role, "content": content})
    return out


def build(cfg):
    rng = random.Random(cfg["seed"])
    lines = []
    lines.append({
        "type": "workspace",
        "name": cfg["name"],
        "language": cfg["language"],
        "overlapTarget": 2,
        "guidelines": cfg["guidelines"],
        "categories": cfg["categories"],
    })
    cat_names = {c["name"] for c in cfg["categories"]}
    authors = cfg["annotators"]
    tz = cfg["tz"]
    day0 = cfg["start"]

    # ---------------- SFT ----------------
    sft = cfg["sft"]
    n = len(sft)
    # statuses: explicit ones (rejected) stay; pick submitted/draft among the later-written examples
    idx = [i for i, s in enumerate(sft) if not s.get("status")]
    late = idx[len(idx) // 3:]
    rng.shuffle(late)
    n_sub, n_draft = cfg["sft_submitted"], cfg["sft_draft"]
    status = {}
    for i in late[:n_sub]:
        status[i] = "submitted"
    for i in late[n_sub:n_sub + n_draft]:
        status[i] = "draft"
    approved_comments = cfg["approved_comments"]
    for i, s in enumerate(sft):
        assert s["cat"] in cat_names, s["cat"]
        st = s.get("status") or status.get(i, "approved")
        author = s.get("author") or authors[rng.randrange(len(authors))]
        # written in order over ~5 weeks, with jitter
        base = day0 + dt.timedelta(days=int(i * cfg["sft_days"] / n))
        created = work_time(rng, base, 3, tz)
        if st == "approved":
            updated = created + dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5), minutes=rng.randint(0, 59))
        elif st == "rejected":
            updated = created + dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(1, 5))
        elif st == "submitted":
            updated = created + dt.timedelta(hours=rng.randint(0, 3), minutes=rng.randint(1, 59))
        else:
            updated = created + dt.timedelta(minutes=rng.randint(0, 40))
        review = s.get("review")
        if review is None and st == "approved" and rng.random() < 0.12:
            review = approved_comments[rng.randrange(len(approved_comments))]
        if st in ("draft", "submitted"):
            review = None
        if "turns" in s:
            turns = []
            for u, a in s["turns"]:
                turns += [("user", u), ("assistant", a)]
        else:
            turns = [("user", s["q"]), ("assistant", s["a"])]
        lines.append({
            "type": "sft",
            "id": "sft-%04d" % (i + 1),
            "category": s["cat"],
            "tags": s.get("tags", []),
            "status": st,
            "authorId": author,
            "reviewComment": review,
            "messages": msgs(s.get("sys"), turns),
            "createdAt": iso(created),
            "updatedAt": iso(updated),
        })

    # ---------------- pairs ----------------
    pairs = cfg["pairs"]
    m = len(pairs)
    keys = {}
    for i, p in enumerate(pairs):
        if p.get("key"):
            keys[p["key"]] = i
    pid = lambda i: "pair-%04d" % (i + 1)

    # how many annotators judge each pair
    order = list(range(m))
    rng.shuffle(order)
    n_none, n_one, n_three = cfg["pairs_none"], cfg["pairs_one"], cfg["pairs_three"]
    n_ann = {}
    for k, i in enumerate(order):
        if k < n_none:
            n_ann[i] = 0
        elif k < n_none + n_one:
            n_ann[i] = 1
        elif k < n_none + n_one + n_three:
            n_ann[i] = 3
        else:
            n_ann[i] = 2
    # recently written pairs are the ones nobody has judged yet: swap the "none" onto the latest pairs
    none_set = sorted(i for i in n_ann if n_ann[i] == 0)
    latest = list(range(m - n_none, m))
    for a_, b_ in zip(none_set, latest):
        n_ann[a_], n_ann[b_] = n_ann[b_], n_ann[a_]

    multi = [i for i in range(m) if n_ann[i] >= 2]
    # deliberate disagreements: prefer the genuinely hard ones (near-identical, tie, both_bad) then random
    hard = [i for i in multi if pairs[i].get("kind") in ("near", "tie", "both_bad")]
    easy = [i for i in multi if i not in hard]
    rng.shuffle(hard)
    rng.shuffle(easy)
    n_dis = cfg["disagreements"]
    dis = set(hard[: n_dis // 2] + easy[: n_dis - min(len(hard), n_dis // 2)])
    dis_list = sorted(dis)
    rng.shuffle(dis_list)
    finals = set(dis_list[: cfg["finals"]])
    n_super = cfg["superseded"]
    judged = [i for i in range(m) if n_ann[i] >= 1 and i not in dis]
    rng.shuffle(judged)
    superseded = set(judged[:n_super])

    models = cfg["models"]
    bias_annotator = cfg["left_bias"]
    jid = [0]
    balance = {a: 0 for a in authors}

    def next_jid():
        jid[0] += 1
        return "j-%05d" % jid[0]

    def secs(kind):
        base = {"near": 95, "tie": 80, "both_bad": 70}.get(kind, 45)
        v = rng.lognormvariate(0, 0.55) * base
        return round(min(240.0, max(15.0, v)), 1)

    out_pairs = []
    for i, p in enumerate(pairs):
        assert p["cat"] in cat_names, p["cat"]
        kind = p.get("kind", "normal")
        good_side = "a" if rng.random() < 0.5 else "b"
        if p.get("good_side"):
            good_side = p["good_side"]
        author = p.get("author") or authors[rng.randrange(len(authors))]
        created = work_time(rng, day0 + dt.timedelta(days=cfg["pair_day0"] + int(i * cfg["pair_days"] / m)), 2, tz)
        # prompt
        if p.get("edited_from"):
            src = pairs[keys[p["edited_from"]]]
            prompt_sys, prompt_turns = src.get("sys"), src["prompt_turns"] if "prompt_turns" in src else [("user", src["q"])]
        else:
            prompt_sys = p.get("sys")
            prompt_turns = p["prompt_turns"] if "prompt_turns" in p else [("user", p["q"])]
        prompt = msgs(prompt_sys, prompt_turns)
        # origins
        run = "run-%d" % rng.randint(1, cfg["runs"])
        model_bad = models[rng.randrange(len(models))]
        if p.get("edited_from"):
            good = {"text": p["good"], "origin": "edited", "model": None, "run": None,
                    "editedFromPairId": pid(keys[p["edited_from"]])}
            bad = {"text": p["bad"], "origin": "model", "model": model_bad, "run": run, "editedFromPairId": None}
        else:
            r = rng.random()
            if r < 0.62:
                model_good = models[rng.randrange(len(models))]
                good = {"text": p["good"], "origin": "model", "model": model_good, "run": run, "editedFromPairId": None}
            else:
                good = {"text": p["good"], "origin": "human", "model": None, "run": None, "editedFromPairId": None}
            if p.get("bad_human") or (r >= 0.62 and rng.random() < 0.15):
                bad = {"text": p["bad"], "origin": "human", "model": None, "run": None, "editedFromPairId": None}
            else:
                bad = {"text": p["bad"], "origin": "model", "model": model_bad, "run": run, "editedFromPairId": None}
        ra, rb = (good, bad) if good_side == "a" else (bad, good)
        other = "b" if good_side == "a" else "a"
        correct = {"tie": "tie", "both_bad": "both_bad"}.get(kind, good_side)

        # judgments
        k = n_ann[i]
        cand = [a for a in authors if a != author] if k < len(authors) else list(authors)
        rng.shuffle(cand)
        anns = cand[:k]
        if i in dis and bias_annotator in authors and bias_annotator not in anns and rng.random() < 0.5 and k >= 2:
            anns[-1] = bias_annotator
        judgments = []
        t = created + dt.timedelta(hours=rng.randint(2, 30))
        flip_who = anns[-1] if i in dis else None
        for who in anns:
            t = t + dt.timedelta(hours=rng.randint(1, 60), minutes=rng.randint(0, 59))
            t = min(t, cfg["judge_end"] - dt.timedelta(hours=rng.randint(1, 48)))
            if t < created:
                t = created + dt.timedelta(hours=1)
            t = in_work_hours(rng, t, tz)
            left_bias = who == bias_annotator
            # The app randomises the order. We draw it so that, for annotators without bias, the number of times
            # the better answer happened to be on the left stays close to the number of times it was on the right;
            # for the biased annotator the better answer lands on the left a bit more often, and his own
            # deliberate mistakes (below) pick the left side.
            if correct in ("a", "b"):
                bal = balance[who]
                p_left = 0.6 if left_bias else (0.3 if bal > 2 else 0.7 if bal < -2 else 0.5)
                good_left = rng.random() < p_left
                shown = "ab" if (correct == "a") == good_left else "ba"
                balance[who] += 1 if good_left else -1
            else:
                shown = "ab" if rng.random() < 0.5 else "ba"
            left = "a" if shown == "ab" else "b"
            verdict = correct
            if who == flip_who:
                # a deliberate disagreement
                if kind == "tie":
                    verdict = left if left_bias else rng.choice(["a", "b"])
                elif kind == "both_bad":
                    verdict = rng.choice(["tie", other])
                elif kind == "near":
                    verdict = left if left_bias else other
                else:
                    verdict = left if (left_bias and left == other) else rng.choice([other, other, "tie"])
                if verdict == correct:
                    verdict = other if kind not in ("tie", "both_bad") else "a"
            elif left_bias and kind in ("tie", "near") and rng.random() < 0.7 and i not in dis and k == 1:
                verdict = left  # single judge, nobody to disagree with: shows up only in position bias
            strength = None
            if verdict in ("a", "b"):
                if kind == "near" or verdict != correct:
                    strength = rng.choice(["slight", "slight", "clear"])
                elif p.get("mode") in ("unsafe", "wrong", "halluc"):
                    strength = rng.choice(["strong", "strong", "clear"])
                else:
                    strength = rng.choice(["slight", "clear", "clear", "clear", "strong"])
            rationale = None
            if rng.random() < 0.5:
                why = side_letters(p.get("why"), good_side)
                if verdict == correct and why and not any(j["rationale"] == why for j in judgments):
                    rationale = why
                else:
                    if verdict != correct:
                        key = "dis_tie" if verdict in ("tie", "both_bad") else "dis"
                    else:
                        key = kind if kind in ("tie", "both_bad") else p.get("mode", "vague")
                    pool = cfg["rationales"][key]
                    rationale = pool[rng.randrange(len(pool))]
            if i in superseded and who == anns[0]:
                # an earlier verdict that the annotator later changed
                first = rng.choice([v for v in ("a", "b", "tie") if v != verdict])
                judgments.append({
                    "id": next_jid(), "annotatorId": who, "verdict": first,
                    "strength": None if first == "tie" else "slight", "rationale": None,
                    "shownOrder": shown, "secondsSpent": secs(kind), "createdAt": iso(t), "isFinal": False})
                t = t + dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6))
                t = in_work_hours(rng, min(t, cfg["judge_end"]), tz)
                shown = "ab" if rng.random() < 0.5 else "ba"
            judgments.append({
                "id": next_jid(), "annotatorId": who, "verdict": verdict, "strength": strength,
                "rationale": rationale, "shownOrder": shown, "secondsSpent": secs(kind),
                "createdAt": iso(t), "isFinal": False})
        if i in finals:
            t = max(dt.datetime.strptime(j["createdAt"], "%Y-%m-%dT%H:%M:%SZ") for j in judgments)
            t = in_work_hours(rng, t + dt.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 4)), tz)
            mv = correct
            judgments.append({
                "id": next_jid(), "annotatorId": "manager", "verdict": mv,
                "strength": None if mv in ("tie", "both_bad") else "clear",
                "rationale": cfg["final_rationale"], "shownOrder": "ab",
                "secondsSpent": round(rng.uniform(60, 200), 1), "createdAt": iso(t), "isFinal": True})
        judgments.sort(key=lambda j: j["createdAt"])
        out_pairs.append({
            "type": "pair",
            "id": pid(i),
            "category": p["cat"],
            # tags that would give the answer away to annotators stay in the source only
            "tags": [t for t in p.get("tags", []) if t not in ("both-bad", "tie", "short", "edited")],
            "prompt": prompt,
            "responseA": ra,
            "responseB": rb,
            "authorId": author,
            "createdAt": iso(created),
            "judgments": judgments,
        })
    lines += out_pairs
    path = os.path.join(ROOT, "workspaces", cfg["file"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for obj in lines:
            f.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    print("wrote", path, len(lines), "lines")


def main():
    names = sys.argv[1:] or ["ja_content", "en_content"]
    for name in names:
        try:
            mod = __import__(name)
        except ImportError as e:
            print("skip", name, e)
            continue
        build(mod.CONFIG)


if __name__ == "__main__":
    main()
