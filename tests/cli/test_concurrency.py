"""Concurrent `agentvm new`s serialise on the registry lock: nothing lost, nothing shared."""

from cli_sandbox import Sandbox, agentvm_process, complete

from agentvm.keys import HOST_KEY_FILE
from agentvm.registry import load
from agentvm.state import HOST_KEYS_DIR

PROCESSES = 20


def test_concurrent_news_get_distinct_addresses(sandbox: Sandbox) -> None:
    names = [f"vm{number}" for number in range(PROCESSES)]
    processes = [agentvm_process(sandbox, "new", name) for name in names]
    outcomes = [complete(process) for process in processes]

    assert [outcome.exit_code for outcome in outcomes] == [0] * PROCESSES, outcomes
    vms = load(sandbox.registry).vms  # loading checks the registry's consistency
    assert sorted(vms) == sorted(names)
    for field in ("index", "ip", "mac", "tap"):
        assert len({getattr(vm, field) for vm in vms.values()}) == PROCESSES, field
    assert sorted(vm.index for vm in vms.values()) == list(range(2, 2 + PROCESSES))
    for name in names:
        assert (sandbox.state_dir(name) / HOST_KEYS_DIR / HOST_KEY_FILE).is_file()
