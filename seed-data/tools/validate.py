#!/usr/bin/env python3
"""Validates *.annotatedpo.jsonl files against docs/formats.md and prints statistics.

Usage: python3 seed-data/tools/validate.py [files...]   (default: seed-data/workspaces/*.annotatedpo.jsonl)
Exit status 1 if any file has an error.
"""
import collections
import datetime as dt
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

WS_KEYS = ["type", "name", "language", "overlapTarget", "guidelines", "categories"]
CAT_KEYS = ["name", "description", "sftTarget", "pairTarget"]
SFT_KEYS = ["type", "id", "category", "tags", "status", "authorId", "reviewComment", "messages", "createdAt", "updatedAt"]
PAIR_KEYS = ["type", "id", "category", "tags", "prompt", "responseA", "responseB", "authorId", "createdAt", "judgments"]
RESP_KEYS = ["text", "origin", "model", "run", "editedFromPairId"]
J_KEYS = ["id", "annotatorId", "verdict", "strength", "rationale", "shownOrder", "secondsSpent", "createdAt", "isFinal"]
STATUS = {"draft", "submitted", "approved", "rejected"}
ORIGIN = {"human", "model", "edited"}
VERDICT = {"a", "b", "tie", "both_bad"}
STRENGTH = {"slight", "clear", "strong"}
ORDER = {"ab", "ba"}


def ts(s):
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")


def validate(path):
    errors = []
    err = lambda ln, msg: errors.append("%s:%d: %s" % (os.path.basename(path), ln, msg))
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        err(1, "BOM present")
    text = raw.decode("utf-8")
    if "\\u3" in text or "\\u30" in text:
        err(0, "Japanese written as \\u escapes")
    lines = text.split("\n")
    if lines[-1] == "":
        lines = lines[:-1]
    objs = []
    for n, line in enumerate(lines, 1):
        try:
            objs.append((n, json.loads(line)))
        except Exception as e:
            err(n, "not JSON: %s" % e)
    if not objs:
        return errors, None
    n0, ws = objs[0]
    if ws.get("type") != "workspace":
        err(n0, "first line must be the workspace")
    if list(ws.keys()) != WS_KEYS:
        err(n0, "workspace keys %s" % list(ws.keys()))
    cats = set()
    for c in ws.get("categories", []):
        if list(c.keys()) != CAT_KEYS:
            err(n0, "category keys %s" % list(c.keys()))
        if c["name"] in cats:
            err(n0, "duplicate category %s" % c["name"])
        cats.add(c["name"])
        if not (isinstance(c["sftTarget"], int) and isinstance(c["pairTarget"], int)):
            err(n0, "targets must be integers")
    ids = set()
    jids = set()
    pair_ids = set()
    stats = collections.OrderedDict()
    sft_status = collections.Counter()
    sft_cat = collections.Counter()
    pair_cat = collections.Counter()
    n_ann = collections.Counter()
    verdicts = collections.Counter()
    latest_verdicts = collections.Counter()
    shown = collections.Counter()
    origins = collections.Counter()
    disagreements = 0
    finals = 0
    superseded = 0
    judgments = 0
    sys_count = multi = 0
    left_pick = collections.defaultdict(lambda: [0, 0])
    len_pick = [0, 0]  # latest verdict a/b: longer chosen, shorter chosen
    edited_refs = []
    seconds = []
    for n, o in objs[1:]:
        t = o.get("type")
        if t == "workspace":
            err(n, "second workspace line")
            continue
        if o.get("id") in ids:
            err(n, "duplicate id %s" % o.get("id"))
        ids.add(o.get("id"))
        if o.get("category") not in cats:
            err(n, "unknown category %s" % o.get("category"))
        if not isinstance(o.get("tags"), list) or not all(isinstance(x, str) for x in o.get("tags", [])):
            err(n, "tags must be a list of strings")
        if t == "sft":
            if list(o.keys()) != SFT_KEYS:
                err(n, "sft keys %s" % list(o.keys()))
            if o["status"] not in STATUS:
                err(n, "status %s" % o["status"])
            if o["status"] == "rejected" and not o["reviewComment"]:
                err(n, "rejected without reviewComment")
            sft_status[o["status"]] += 1
            sft_cat[o["category"]] += 1
            m = o["messages"]
            check_messages(m, n, err, need_last_assistant=True)
            if m and m[0]["role"] == "system":
                sys_count += 1
            if sum(1 for x in m if x["role"] == "user") >= 2:
                multi += 1
            if ts(o["updatedAt"]) < ts(o["createdAt"]):
                err(n, "updatedAt before createdAt")
        elif t == "pair":
            if list(o.keys()) != PAIR_KEYS:
                err(n, "pair keys %s" % list(o.keys()))
            pair_ids.add(o["id"])
            pair_cat[o["category"]] += 1
            check_messages(o["prompt"], n, err, need_last_assistant=False)
            if o["prompt"][-1]["role"] != "user":
                err(n, "prompt must end with a user turn")
            for side in ("responseA", "responseB"):
                r = o[side]
                if list(r.keys()) != RESP_KEYS:
                    err(n, "%s keys %s" % (side, list(r.keys())))
                if r["origin"] not in ORIGIN:
                    err(n, "origin %s" % r["origin"])
                origins[r["origin"]] += 1
                if not isinstance(r["text"], str) or not r["text"].strip():
                    err(n, "%s empty" % side)
                if r["origin"] == "model" and not r["model"]:
                    err(n, "model origin without model")
                if r["origin"] != "model" and (r["model"] or r["run"]):
                    err(n, "model/run set on non-model response")
                if r["origin"] == "edited":
                    if not r["editedFromPairId"]:
                        err(n, "edited without editedFromPairId")
                    edited_refs.append((n, r["editedFromPairId"]))
                elif r["editedFromPairId"] is not None:
                    err(n, "editedFromPairId on non-edited response")
            latest = {}
            final = None
            seen = collections.Counter()
            prev = None
            for j in o["judgments"]:
                judgments += 1
                if list(j.keys()) != J_KEYS:
                    err(n, "judgment keys %s" % list(j.keys()))
                if j["id"] in jids:
                    err(n, "duplicate judgment id %s" % j["id"])
                jids.add(j["id"])
                if j["verdict"] not in VERDICT:
                    err(n, "verdict %s" % j["verdict"])
                if j["verdict"] in ("tie", "both_bad"):
                    if j["strength"] is not None:
                        err(n, "strength must be null for %s" % j["verdict"])
                elif j["strength"] not in STRENGTH:
                    err(n, "strength %s" % j["strength"])
                if j["shownOrder"] not in ORDER:
                    err(n, "shownOrder %s" % j["shownOrder"])
                if not isinstance(j["secondsSpent"], (int, float)) or not (0 < j["secondsSpent"] <= 3600):
                    err(n, "secondsSpent %s" % j["secondsSpent"])
                if not isinstance(j["isFinal"], bool):
                    err(n, "isFinal must be boolean")
                if ts(j["createdAt"]) < ts(o["createdAt"]):
                    err(n, "judgment before pair createdAt")
                if prev and j["createdAt"] < prev:
                    err(n, "judgments not in time order")
                prev = j["createdAt"]
                verdicts[j["verdict"]] += 1
                seconds.append(j["secondsSpent"])
                if j["isFinal"]:
                    finals += 1
                    final = j
                    continue
                seen[j["annotatorId"]] += 1
                latest[j["annotatorId"]] = j
            superseded += sum(c - 1 for c in seen.values())
            n_ann[len(latest)] += 1
            vs = set(j["verdict"] for j in latest.values())
            for j in latest.values():
                latest_verdicts[j["verdict"]] += 1
                shown[(j["annotatorId"], j["shownOrder"])] += 1
                if j["verdict"] in ("a", "b"):
                    left = "a" if j["shownOrder"] == "ab" else "b"
                    left_pick[j["annotatorId"]][0 if j["verdict"] == left else 1] += 1
                    la, lb = len(o["responseA"]["text"]), len(o["responseB"]["text"])
                    if la != lb:
                        longer = "a" if la > lb else "b"
                        len_pick[0 if j["verdict"] == longer else 1] += 1
            if len(vs) > 1:
                disagreements += 1
            if final is not None and len(vs) <= 1:
                err(n, "final verdict on a pair without disagreement")
        else:
            err(n, "unknown type %s" % t)
    for n, ref in edited_refs:
        if ref not in pair_ids:
            err(n, "editedFromPairId %s does not exist" % ref)
    stats["workspace"] = ws.get("name")
    stats["categories"] = len(cats)
    stats["sft"] = sum(sft_status.values())
    stats["sft by status"] = dict(sft_status)
    stats["sft with system"] = sys_count
    stats["sft multi-turn"] = multi
    stats["sft by category"] = dict(sft_cat)
    stats["pairs"] = sum(n_ann.values())
    stats["pairs by category"] = dict(pair_cat)
    stats["response origins"] = dict(origins)
    stats["judgments (all, incl. superseded and final)"] = judgments
    stats["superseded judgments"] = superseded
    stats["manager final verdicts"] = finals
    stats["pairs by number of annotators"] = dict(sorted(n_ann.items()))
    stats["pairs with disagreement (latest verdicts)"] = disagreements
    stats["all verdicts"] = dict(verdicts)
    stats["latest verdicts"] = dict(latest_verdicts)
    stats["left-shown chosen / right-shown chosen per annotator"] = {k: tuple(v) for k, v in sorted(left_pick.items())}
    stats["longer chosen / shorter chosen"] = tuple(len_pick)
    stats["shownOrder ab/ba per annotator"] = {a: (shown[(a, "ab")], shown[(a, "ba")]) for a in sorted({k[0] for k in shown})}
    if seconds:
        stats["secondsSpent min/max"] = (min(seconds), max(seconds))
    return errors, stats


def check_messages(m, n, err, need_last_assistant):
    if not isinstance(m, list) or not m:
        err(n, "messages empty")
        return
    for k, x in enumerate(m):
        if list(x.keys()) != ["role", "content"]:
            err(n, "message keys %s" % list(x.keys()))
        if x["role"] not in ("system", "user", "assistant"):
            err(n, "role %s" % x["role"])
        if x["role"] == "system" and k != 0:
            err(n, "system message not first")
        if not isinstance(x["content"], str) or not x["content"].strip():
            err(n, "empty message")
    body = [x["role"] for x in m if x["role"] != "system"]
    for k, r in enumerate(body):
        want = "user" if k % 2 == 0 else "assistant"
        if r != want:
            err(n, "turns must alternate user/assistant")
            break
    if need_last_assistant and m[-1]["role"] != "assistant":
        err(n, "last message must be assistant")


def main():
    files = sys.argv[1:] or sorted(glob.glob(os.path.join(ROOT, "workspaces", "*.annotatedpo.jsonl")))
    bad = False
    for f in files:
        errors, stats = validate(f)
        print("==", os.path.relpath(f, os.path.dirname(ROOT)))
        for e in errors[:50]:
            print("  ERROR", e)
        if errors:
            bad = True
            print("  %d errors" % len(errors))
        else:
            print("  OK")
        if stats:
            for k, v in stats.items():
                print("  %s: %s" % (k, v))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
