"""Fixtures for the agentvm CLI tests.

Every test runs in a sandbox: its own flake directory (the working directory, holding
vms.toml), its own HOME (so the default state root ~/microvm is inside the sandbox) and a
PATH holding only the real ssh-keygen plus whatever fakes the test adds.
"""

import sys
from pathlib import Path

# Import agentvm from the source tree, installed or not; import the helpers beside this
# file under any pytest --import-mode.
_SOURCE = Path(__file__).resolve().parents[2] / "python" / "src"
for _path in (_SOURCE, Path(__file__).resolve().parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import pytest  # noqa: E402
from cli_sandbox import Runner, Sandbox, make_sandbox, run_in_process, run_subprocess  # noqa: E402


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    return make_sandbox(tmp_path, monkeypatch, source=_SOURCE)


@pytest.fixture(params=["in-process", "subprocess"])
def agentvm(request: pytest.FixtureRequest, sandbox: Sandbox) -> Runner:
    """Runs the CLI through typer's CliRunner, then again as `python -m agentvm`."""
    if request.param == "in-process":
        return run_in_process
    return lambda *args: run_subprocess(sandbox, *args)


@pytest.fixture
def with_demo(sandbox: Sandbox) -> Sandbox:
    """The sandbox with one VM, `demo`, so the registry and the state root exist."""
    assert run_in_process("new", "demo").exit_code == 0
    return sandbox
