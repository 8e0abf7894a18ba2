"""Times `agentvm new` against a bare ssh-keygen, and `agentvm list` with 250 VMs.

Not a test: it prints figures and their ratios to the targets, `new` at most 3x a bare
`ssh-keygen -t ed25519` measured in the same run and `list` of 250 VMs within 0.2 s.
Both commands run as real processes, as a user would start them; the interpreter's own
start-up and the in-process cost of `new` are printed too, to show where time goes.

    python bench/cli.py [--rounds N]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "python" / "src"
sys.path.insert(0, str(SOURCE))

from agentvm.lifecycle import NewVm, create_vm, list_vms  # noqa: E402
from agentvm.network import Network, address_of, mac_of, tap_of  # noqa: E402
from agentvm.registry import Registry, save  # noqa: E402
from agentvm.vm import Egress, Vm  # noqa: E402

NEW_TARGET_RATIO = 3.0
LIST_TARGET_SECONDS = 0.2
LISTED_VMS = 250


def median_seconds(rounds: int, action: Callable[[int], object]) -> float:
    timings = []
    for round_number in range(rounds):
        start = time.perf_counter()
        action(round_number)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def run(command: list[str | Path]) -> None:
    environment = {**os.environ, "PYTHONPATH": str(SOURCE)}
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment)


def registry_of(count: int, state_root: Path) -> Registry:
    """``count`` VMs on a /16, written the way `agentvm new` would record them."""
    network = Network("microbr", IPv4Network("10.83.0.0/16"), IPv4Address("10.83.0.1"))
    vms = {}
    for index in range(2, 2 + count):
        name = f"vm{index}"
        vms[name] = Vm(
            name=name, index=index, ip=address_of(network, index), mac=mac_of(index),
            tap=tap_of(index), vcpu=4, mem=4096, user="bench", uid=1000, gid=100,
            state_dir=state_root / name, workspace=state_root / name / "workspace",
            egress=Egress.INTERNET, allow=(),
        )  # fmt: skip
    return Registry(network, vms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="timed runs per figure")
    rounds = parser.parse_args().rounds
    ssh_keygen = shutil.which("ssh-keygen")
    if ssh_keygen is None:
        sys.exit("bench: ssh-keygen is not on PATH")
    agentvm = [sys.executable, "-m", "agentvm"]
    if os.geteuid() == 0:  # agentvm refuses VMs owned by root: act as `sudo` from nobody
        os.environ.setdefault("SUDO_USER", "nobody")

    with tempfile.TemporaryDirectory(prefix="agentvm-bench.") as scratch:
        root = Path(scratch)
        keygen = median_seconds(
            rounds,
            lambda n: run([ssh_keygen, "-q", "-t", "ed25519", "-N", "", "-f", root / f"key{n}"]),
        )
        interpreter = median_seconds(rounds, lambda _n: run([sys.executable, "-c", "pass"]))
        cli_import = median_seconds(
            rounds, lambda _n: run([sys.executable, "-c", "import agentvm.cli"])
        )
        new = median_seconds(
            rounds,
            lambda n: run([*agentvm, "new", f"cli{n}", "--registry", root / "cli.toml",
                           "--state-dir", root / "cli-state"]),
        )  # fmt: skip
        new_in_process = median_seconds(
            rounds,
            lambda n: create_vm(root / "logic.toml", NewVm(f"logic{n}", root / "logic-state")),
        )
        save(root / "list.toml", registry_of(LISTED_VMS, root / "list-state"), None)
        listing = median_seconds(
            rounds, lambda _n: run([*agentvm, "list", "--registry", root / "list.toml"])
        )
        listing_in_process = median_seconds(rounds, lambda _n: list_vms(root / "list.toml"))

    ratio = new / keygen
    print(f"median of {rounds} runs each")
    print(f"  ssh-keygen -t ed25519 (bare)       {keygen * 1000:7.1f} ms")
    print(f"  python -c pass (interpreter floor) {interpreter * 1000:7.1f} ms")
    print(f"  import agentvm.cli (typer floor)   {cli_import * 1000:7.1f} ms")
    print(f"  agentvm new (process)              {new * 1000:7.1f} ms  "
          f"= {ratio:.1f}x ssh-keygen   target <= {NEW_TARGET_RATIO:.0f}x  "
          f"{'met' if ratio <= NEW_TARGET_RATIO else 'MISSED'}")  # fmt: skip
    print(f"  agentvm new (in process, no start) {new_in_process * 1000:7.1f} ms  "
          f"= {new_in_process / keygen:.1f}x ssh-keygen")  # fmt: skip
    print(f"  agentvm list, {LISTED_VMS} VMs (process)   {listing * 1000:7.1f} ms  "
          f"= {listing / LIST_TARGET_SECONDS:.2f}x the {LIST_TARGET_SECONDS} s target  "
          f"{'met' if listing <= LIST_TARGET_SECONDS else 'MISSED'}")  # fmt: skip
    print(f"  agentvm list, {LISTED_VMS} VMs (in process) {listing_in_process * 1000:5.1f} ms")


if __name__ == "__main__":
    main()
