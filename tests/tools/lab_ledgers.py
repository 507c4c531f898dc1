#!/usr/bin/python3
"""Write a class of Design Ledgers the way the labs' saving code writes them.

Usage: lab_ledgers.py [--students N] [--seed S] [--later-edition FILE] DIR

Each student works through the Volume I labs in a Marimo session, and every
save goes through Ledger.save below, which behaves as the first-pass labs'
DesignLedger does (written from the course's notes on the ledger schema,
not copied from the labs' code):

* the whole state is rewritten on every save with json.dump(state, f,
  indent=2) and its default settings, so a float that is not finite is
  written as the bare word NaN, Infinity or -Infinity;
* every save appends an entry; a save without a design appends nothing but
  still moves current_chapter; "chapter" is `chapter or current_chapter`;
* the save cell re-runs on every widget change, so a lab leaves several
  entries (the first often before the student answered), and a redone lab
  or a re-run cell repeats a chapter later in the history;
* the introduction lab saves chapter 0; Volume II labs save string
  chapters ("v2_01") and set current_chapter to that string;
* track stays null (the first-pass labs never set it) except for a few
  upper-case leftovers of the prototype; last_updated stays "".

Some labs store a ratio that comes out infinite or not a number (a speedup
over a zero time, a score of an empty set, a cadence with no drift): those
are the NaN and Infinity of a real file.  The same seed gives the same files.
--later-edition also writes one ledger of a later edition of the labs
(history keyed by step, current_step).
"""

import argparse
import json
import math
import os
import random

CONTEXTS = ["cloud", "edge", "mobile", "tiny"]
NAN = float("nan")
INF = float("inf")


class Ledger:
    """The state of ~/.mlsys/ledger.json and its save()."""

    def __init__(self, path):
        self.path = path
        self.state = {"track": None, "current_chapter": 0, "history": [],
                      "last_updated": ""}

    def save(self, chapter=None, design=None, track=None):
        if chapter is not None:
            self.state["current_chapter"] = chapter
        if track is not None:
            self.state["track"] = track
        if design:
            self.state["history"].append({
                "chapter": chapter or self.state["current_chapter"],
                "design": design,
            })
        with open(self.path, "w") as f:
            json.dump(self.state, f, indent=2)


def odd_float(rng, usual):
    """A lab's computed float: now and then not finite."""
    r = rng.random()
    if r < 0.04:
        return INF
    if r < 0.06:
        return NAN
    if r < 0.07:
        return -INF
    return usual


def lab_design(rng, ch, answered):
    """What lab ch saves: the LABS_SPEC keys and some of each lab's own."""
    ctx = rng.choice(CONTEXTS[:2] if ch % 2 else [CONTEXTS[0], CONTEXTS[2]])
    if not answered:
        # the first render: defaults, nothing answered yet
        d = {"context": ctx,
             "act1_prediction": rng.choice([None, "", "unanswered", "none"]),
             "act1_correct": False}
    else:
        d = {"context": ctx, "act1_prediction": rng.choice("ABCD"),
             "act1_correct": rng.random() < 0.6}
    if ch == 2:
        d["act2_result"] = odd_float(rng, round(rng.uniform(5, 50), 1))
        d["act2_decision"] = rng.choice(["edge_deploy", "cloud_ok"])
        d["bottleneck_type"] = rng.choice(["Memory-bound", "Compute-bound"])
    elif ch == 3:
        d["crossover_week"] = -1
        d["constraint_gates"] = rng.sample(
            ["memory_budget", "latency_budget", "staged_rollout"], 2)
    elif ch == 4:
        # no act1_prediction, no constraint_hit in this lab
        del d["act1_prediction"]
        d["gpu_util_at_start"] = odd_float(rng, round(rng.uniform(0.3, 92.1), 1))
        d["data_gravity_triggered"] = rng.random() < 0.5
        return d
    elif ch == 5:
        d["act2_result"] = round(rng.uniform(1, 900), 2)
        d["act2_decision"] = "batch=%d_channels=%d_16bit" % (
            rng.choice([1, 8, 32]), rng.choice([64, 256]))
        d["cache_miss_rate"] = odd_float(rng, round(rng.randint(0, 6) / 6, 2))
    elif ch == 6:
        d["act2_result"] = round(12 * 6 * rng.choice([512, 768]) ** 2 / 1e6, 6)
        d["quadratic_oom_triggered"] = rng.random() < 0.3
        return d
    elif ch == 10:
        d["act2_result"] = round(rng.uniform(1, 14), 2)
        d["act2_decision"] = rng.choice(["int8", "int4", "pruning_50", "none"])
    elif ch == 12:
        # a 0-1 score over a set the student may have left empty
        d["act2_result"] = odd_float(rng, round(rng.random(), 3))
    elif ch == 13:
        d["act2_result"] = 99999.0          # the lab's P99 always saturates
        d["p99_latency_ms"] = 99999.0
        d["act2_decision"] = "replicas=%d,batch=%d" % (
            rng.randint(1, 20), rng.randint(1, 32))
        d["slo_met"] = False
        d["constraint_hit"] = True
        return d
    elif ch == 14:
        t = odd_float(rng, round(rng.uniform(7, 90), 1))
        d["retraining_cadence_days"] = t
        d["act2_result"] = t
        d["act2_decision"] = "cloud_%.0fd_edge_%.0fd_mobile_%.0fd" % (
            (t, t, t) if math.isfinite(t) else (30, 30, 30))
    elif ch == 15:
        d["act2_result"] = odd_float(rng, round(rng.uniform(0, 30), 2))
        d["act2_decision"] = rng.choice(
            ["accuracy", "demographic_parity", "equalized_odds", "individual"])
    else:
        d["act2_result"] = round(rng.uniform(0, 100), 2)
        d["act2_decision"] = "choice_%d" % rng.randint(1, 4)
    d["constraint_hit"] = rng.random() < 0.4
    return d


def capstone_design(rng, labs_done):
    n = rng.randint(1, 8)
    q = rng.choice(["fp16", "int8", "int4"])
    serving = rng.choice(["static", "dynamic", "continuous"])
    return {
        "context": "all",
        "cloud_hardware": "H100x%d" % n,
        "quantization_strategy": q,
        "serving_strategy": serving,
        "total_cost_per_req": odd_float(rng, round(3.0 / 3600 / n / 100, 6)),
        "p99_latency_ms": odd_float(rng, round(rng.uniform(40, 900), 2)),
        "tier_assignments": {"cloud": q,
                             "edge": rng.choice(["fp16", "int8", "int4"]),
                             "mobile": rng.choice(["int8", "int4", "ternary"]),
                             "tiny": "ternary (sub-model)"},
        "retraining_cadence_days": rng.randint(1, 90),
        "fairness_threshold_pct": rng.randint(0, 20),
        "act1_prediction": rng.choice(
            ["memory_bw", "queuing", "serial_fraction", "drift", "none"]),
        "act1_correct": False,
        "act2_prediction": rng.choice(
            ["cloud_oom", "edge_latency", "mobile_oom", "tiny_oom", "none"]),
        "act2_correct": False,
        "act2_result": "infeasible",
        "act2_decision": "H100x%d_%s_%s" % (n, q, serving),
        "constraint_hit": True,
        "system_valid": False,
        "labs_completed": labs_done,
        "pct_correct": round(rng.uniform(0, 100), 1),
        "weakest_invariant": rng.choice(["Iron Law", "Memory Wall", "Drift"]),
    }


def work_through_the_labs(rng, ledger):
    if rng.random() < 0.1:
        ledger.save(track=rng.choice(["CLOUD", "EDGE", "TINY"]))
    if rng.random() < 0.8:                  # the introduction lab
        ledger.save(chapter=0, design={
            "deployment_context": rng.choice(CONTEXTS),
            "check1_answer": rng.choice("ABCD"), "check1_correct": True,
            "check2_selections": ["quantization", "edge_deploy"],
            "check3_answer": "D", "check3_correct": True})
    done = set()
    last = rng.randint(3, 15)
    for ch in range(1, last + 1):
        if rng.random() < 0.15:             # a lab whose save never ran
            ledger.save(chapter=ch)
            continue
        for k in range(rng.randint(1, 4)):  # the save cell re-runs
            ledger.save(chapter=ch, design=lab_design(rng, ch, k > 0))
        done.add(ch)
        if rng.random() < 0.15:             # a cell re-run in a later lab
            ledger.save(chapter=ch, design=lab_design(rng, ch, True))
    for ch in rng.sample(sorted(done), min(2, len(done))):
        if rng.random() < 0.5:              # a lab redone at the end
            ledger.save(chapter=ch, design=lab_design(rng, ch, True))
    if rng.random() < 0.3:                  # Volume II, string chapters
        for v in ["v2_01", "v2_17"][:rng.randint(1, 2)]:
            ledger.save(chapter=v, design={
                "context": "cloud", "act1_prediction": "B",
                "act1_correct": True, "act2_result": odd_float(rng, 0.82),
                "constraint_hit": False})
    if rng.random() < 0.85:                 # the capstone, saved as it is tuned
        for _ in range(rng.randint(1, 3)):
            ledger.save(chapter=16, design=capstone_design(rng, len(done)))


def later_edition(path):
    """A ledger as the later mlsysim editions write it: keyed by step."""
    state = {"track": "cloud", "current_step": 16, "history": {
        "1": {"schema_version": 1, "lab_id": "v1_01", "track_id": "cloud",
              "evidence": {}},
        "16": {"schema_version": 1, "lab_id": "v1_16", "track_id": "cloud",
               "evidence": {}, "recommendation": "H100x4 int4"}},
        "last_updated": ""}
    with open(path, "w") as f:
        json.dump(state, f, indent=2)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=24)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--later-edition", metavar="FILE")
    ap.add_argument("dir")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    rng = random.Random(a.seed)
    for i in range(1, a.students + 1):
        work_through_the_labs(
            rng, Ledger(os.path.join(a.dir, "student%03d.json" % i)))
    if a.later_edition:
        later_edition(a.later_edition)


if __name__ == "__main__":
    main()
