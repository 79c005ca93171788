"""Compares the final parameters of two ddp_train.py runs.

    compare_results.py REFERENCE CANDIDATE [--atol X] [--expect-resumed]

REFERENCE and CANDIDATE are result files written by ddp_train.py (--result),
or ptsim run directories, in which case the result is read from the
persistentVolumeClaim ddp-ckpt: <run dir>/volumes/default/ddp-ckpt/result.json.

Exit status 0 when both runs trained the same number of steps in the same world
size and every parameter differs by at most --atol (default 0: bit-identical,
which ddp_train.py achieves for a resumed run, see its comment on
find_unused_parameters); 1 otherwise. With --expect-resumed, the candidate's
last incarnation must have resumed from a checkpoint and the reference's must
have started from scratch, so that an equality that merely comes from
retraining from scratch does not pass.

Needs only the standard library.
"""

import argparse
import json
import os
import sys


def load(path):
    if os.path.isdir(path):
        path = os.path.join(path, "volumes", "default", "ddp-ckpt", "result.json")
    with open(path) as f:
        return path, json.load(f)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("reference")
    p.add_argument("candidate")
    p.add_argument("--atol", type=float, default=0.0)
    p.add_argument("--expect-resumed", action="store_true")
    args = p.parse_args()

    problems = []
    try:
        ref_path, ref = load(args.reference)
        cand_path, cand = load(args.candidate)
    except (OSError, ValueError) as e:
        print(f"FAIL: cannot read a result: {e}")
        return 1
    print(f"reference: {ref_path} (resumed from step {ref['resumed_from']})")
    print(f"candidate: {cand_path} (resumed from step {cand['resumed_from']})")

    for key in ("steps", "world_size"):
        if ref[key] != cand[key]:
            problems.append(f"{key} differs: {ref[key]} vs {cand[key]}")
    if args.expect_resumed:
        if ref["resumed_from"] != 0:
            problems.append("the reference run resumed from a checkpoint; it should not have")
        if cand["resumed_from"] <= 0:
            problems.append("the candidate run did not resume from a checkpoint")
    if sorted(ref["params"]) != sorted(cand["params"]):
        problems.append(f"parameter names differ: {sorted(ref['params'])} vs {sorted(cand['params'])}")

    worst, worst_name, count = 0.0, None, 0
    for name, values in ref["params"].items():
        other = cand["params"].get(name, [])
        if len(other) != len(values):
            problems.append(f"{name}: {len(values)} values vs {len(other)}")
            continue
        for a, b in zip(values, other):
            count += 1
            d = abs(a - b)
            if d != d:  # NaN: never equal
                d = float("inf")
            if d > worst:
                worst, worst_name = d, name
    where = f" (in {worst_name})" if worst_name else ""
    print(f"max |difference| over {count} parameters: {worst!r}{where}; tolerance {args.atol!r}")
    if worst > args.atol:
        problems.append(f"the final parameters differ by up to {worst!r} > {args.atol!r}")

    for problem in problems:
        print(f"FAIL: {problem}")
    if not problems:
        print("PASS: the final parameters are equal")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
