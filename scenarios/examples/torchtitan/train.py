"""A stand-in for torchtitan's trainer, without torch (torch 2 is not installed
here). It checks the environment torch 2's torchrun gives a worker, then meets
the other ranks at the store torchrun shares with its workers
(TORCHELASTIC_USE_AGENT_STORE=True), speaking torch 2's TCPStore protocol
itself: VALIDATE with the magic number, PING, SET and WAIT under the
/worker/attempt_<n>/ prefix a worker's init_process_group uses
(torch/csrc/distributed/c10d/TCPStoreBackend.hpp). Prints one line per step."""
import os
import socket
import struct

env = os.environ
rank, local_rank = int(env["RANK"]), int(env["LOCAL_RANK"])
world = int(env["WORLD_SIZE"])
assert env["ROLE_NAME"] == "rank", env["ROLE_NAME"]
assert env["TORCHELASTIC_USE_AGENT_STORE"] == "True", env["TORCHELASTIC_USE_AGENT_STORE"]
assert env["TORCH_NCCL_ASYNC_ERROR_HANDLING"] == "1"

store = socket.create_connection((env["MASTER_ADDR"], int(env["MASTER_PORT"])), timeout=30)


def send(*parts):
    store.sendall(b"".join(parts))


def string(text):
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def recv(n):
    data = b""
    while len(data) < n:
        chunk = store.recv(n - len(data))
        if not chunk:
            raise SystemExit("the store closed the connection")
        data += chunk
    return data


send(b"\x00", struct.pack("<I", 0x3C85F7CE))  # VALIDATE
send(b"\x0d", struct.pack("<I", 1000 + rank))  # PING
assert struct.unpack("<I", recv(4))[0] == 1000 + rank
prefix = "/worker/attempt_" + env["TORCHELASTIC_RESTART_COUNT"] + "/"
send(b"\x01", string(prefix + "rank" + str(rank)), string("ready"))  # SET
keys = [string(prefix + "rank" + str(r)) for r in range(world)]
send(b"\x06", struct.pack("<Q", world), *keys)  # WAIT for every rank
assert recv(1) == b"\x00"  # STOP_WAITING

for step in range(1, 4):
    print(f"step {step} loss {1.0 / step:.3f} (rank {rank}, local_rank {local_rank}, "
          f"world {world})", flush=True)
