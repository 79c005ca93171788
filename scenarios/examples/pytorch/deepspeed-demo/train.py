"""A stand-in for train_bert_ds.py (the upstream deepspeed-demo's program),
launched the way DeepSpeed's examples launch theirs: `torchrun train.py
--checkpoint_dir DIR`. It does what such a script does with torch.distributed
before DeepSpeed takes over: deepspeed.init_distributed() calls
init_process_group with env:// on the variables torchrun sets, then the ranks
agree on a value with an allreduce. No DeepSpeed, model or dataset: ptsim
checks the launch, not the training. CPU only (gloo)."""
import argparse
import os

import torch
import torch.distributed as dist


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint_dir", required=True)
    args = parser.parse_args()

    dist.init_process_group("gloo", init_method="env://")
    rank, world = dist.get_rank(), dist.get_world_size()
    local_rank = int(os.environ["LOCAL_RANK"])
    print(f"[Rank {rank}] local_rank {local_rank} world_size {world} "
          f"checkpoint_dir {args.checkpoint_dir}", flush=True)
    # Like a data-parallel step: every rank contributes, every rank gets the sum.
    grad = torch.tensor([float(rank + 1)])
    dist.all_reduce(grad)
    expected = world * (world + 1) / 2
    assert grad.item() == expected, (grad.item(), expected)
    print(f"[Rank {rank}] allreduce sum {int(grad.item())}", flush=True)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
