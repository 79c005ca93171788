"""A tiny, deterministic DDP training job (gloo, CPU) for ptsim's PyTorch scenarios.

Every rank reads the launch environment that the training-operator (or torchrun)
sets: RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT. The ranks train a small MLP on
synthetic regression data for --steps steps with DistributedDataParallel.

Determinism: the model starts from --seed, and the batch of step s on rank r is
drawn from a generator seeded with (seed, s, r). So a run that is interrupted
and resumed from a checkpoint sees exactly the same data as an uninterrupted
one, and ends with the same parameters.

Checkpoints: rank 0 writes <checkpoint-dir>/ckpt-<step>.pt after every
--checkpoint-every steps (write to a temporary file, then rename, so that a kill
never leaves half a checkpoint). On start, rank 0 picks the newest checkpoint
and tells the other ranks which one, so that all ranks resume from the same
step even if they start at different times.

Result: at the end rank 0 writes --result, a JSON file with the final parameters
(and the step this incarnation resumed from).

Run it with /usr/bin/python3 (Debian's python3-torch).
"""

import argparse
import datetime
import glob
import json
import os
import re

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

IN_FEATURES = 8
HIDDEN = 16
BATCH = 32


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--checkpoint-dir", required=True)
    p.add_argument("--checkpoint-every", type=int, default=50)
    p.add_argument("--result", required=True, help="JSON file rank 0 writes at the end")
    return p.parse_args()


def make_model(seed):
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(IN_FEATURES, HIDDEN),
        torch.nn.Tanh(),
        torch.nn.Linear(HIDDEN, 1),
    )


def make_batch(seed, step, rank):
    """The batch of `step` on `rank`: a pure function of (seed, step, rank)."""
    g = torch.Generator().manual_seed(seed * 1_000_000_007 + step * 1_000 + rank)
    # The target function is fixed by the seed alone.
    w = torch.Generator().manual_seed(seed)
    true_w = torch.randn(IN_FEATURES, 1, generator=w)
    x = torch.randn(BATCH, IN_FEATURES, generator=g)
    y = torch.sin(x @ true_w) + 0.05 * torch.randn(BATCH, 1, generator=g)
    return x, y


def checkpoint_path(directory, step):
    return os.path.join(directory, f"ckpt-{step:06d}.pt")


def newest_checkpoint_step(directory):
    """The step of the newest complete checkpoint in `directory`, or 0."""
    steps = [0]
    for path in glob.glob(os.path.join(directory, "ckpt-*.pt")):
        m = re.fullmatch(r"ckpt-(\d+)\.pt", os.path.basename(path))
        if m:
            steps.append(int(m.group(1)))
    return max(steps)


def atomic_write(path, write):
    """Calls write(tmp_path), then renames tmp_path to path."""
    tmp = f"{path}.tmp.{os.getpid()}"
    write(tmp)
    os.replace(tmp, path)


def main():
    args = parse_args()
    rank = int(os.environ["RANK"])
    world = int(os.environ["WORLD_SIZE"])
    # A peer that dies makes the others fail (connection closed) instead of hanging.
    dist.init_process_group("gloo", init_method="env://", rank=rank, world_size=world,
                            timeout=datetime.timedelta(seconds=60))

    model = make_model(args.seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)

    # Rank 0 decides where to resume from; everyone loads that checkpoint.
    start = torch.tensor([0])
    if rank == 0:
        os.makedirs(args.checkpoint_dir, exist_ok=True)
        start[0] = newest_checkpoint_step(args.checkpoint_dir)
    dist.broadcast(start, src=0)
    start = int(start[0])
    if start > 0:
        state = torch.load(checkpoint_path(args.checkpoint_dir, start))
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
    # Scenarios watch this line (torchrun sets TORCHELASTIC_RESTART_COUNT).
    how = f"resumes from checkpoint step {start}" if start > 0 else "starts from scratch"
    restarts = os.environ.get("TORCHELASTIC_RESTART_COUNT", "-")
    print(f"rank {rank}/{world} {how} (torchelastic restart count {restarts})", flush=True)

    # DDP averages the gradients over the ranks with an allreduce. By default it
    # rebuilds its gradient buckets once, after the first iteration, in the order
    # the gradients became ready. gloo sums each element of a bucket in an order
    # that depends on where the element sits in the bucket, so the first step
    # after a resume would add the ranks' gradients in another order than the
    # same step of an uninterrupted run: about 1e-7 apart, which grows over the
    # remaining steps. find_unused_parameters=True turns the rebuild off (torch
    # 1.13 Reducer::should_rebuild_buckets), so every incarnation uses the same
    # buckets and a resumed run ends bit-identical to an uninterrupted one. (torch
    # then warns once that it found no unused parameters: expected here.)
    ddp = DistributedDataParallel(model, find_unused_parameters=True)
    for step in range(start + 1, args.steps + 1):
        x, y = make_batch(args.seed, step, rank)
        loss = F.mse_loss(ddp(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"step {step} loss {loss.item():.6f}", flush=True)
        if rank == 0 and step % args.checkpoint_every == 0:
            state = {"step": step, "model": model.state_dict(),
                     "optimizer": optimizer.state_dict()}
            atomic_write(checkpoint_path(args.checkpoint_dir, step),
                         lambda tmp: torch.save(state, tmp))

    dist.barrier()
    if rank == 0:
        result = {
            "steps": args.steps,
            "world_size": world,
            "resumed_from": start,
            "params": {name: t.flatten().tolist() for name, t in model.state_dict().items()},
        }
        os.makedirs(os.path.dirname(os.path.abspath(args.result)), exist_ok=True)

        def write_json(tmp):
            with open(tmp, "w") as f:
                json.dump(result, f, indent=1)

        atomic_write(args.result, write_json)
        print(f"rank 0 wrote {args.result}", flush=True)
    dist.destroy_process_group()
    print(f"rank {rank} done", flush=True)


if __name__ == "__main__":
    main()
