"""The sandbox the CLI tests run in, two ways of running the CLI, and tree snapshots."""

import os
import pwd
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from typer.testing import CliRunner

from agentvm.cli import app


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return self.stderr.splitlines()


Runner = Callable[..., Outcome]


@dataclass(frozen=True)
class Sandbox:
    root: Path
    flake: Path  # the working directory; holds the default registry
    home: Path
    bin: Path  # the only directory on PATH
    source: Path  # python/src, for subprocesses
    host_path: str  # PATH as the tests found it
    user: pwd.struct_passwd  # who the VMs belong to

    def host_tool(self, name: str) -> str:
        """The host's ``name`` (the sandbox's PATH hides it); skip the test without it."""
        tool = shutil.which(name, path=self.host_path)
        if tool is None:
            pytest.skip(f"{name} is not on PATH")
        return tool

    @property
    def registry(self) -> Path:
        return self.flake / "vms.toml"

    @property
    def state_root(self) -> Path:
        return self.home / "microvm"

    def state_dir(self, name: str) -> Path:
        return self.state_root / name

    def project(self) -> Path:
        """A directory of the user's own, outside the state root, to share as a workspace."""
        path = self.root / "project"
        path.mkdir()
        os.chown(path, self.user.pw_uid, self.user.pw_gid)
        return path

    def fake_tool(self, name: str, script: str) -> Path:
        """Put an executable shell script called ``name`` first on PATH."""
        path = self.bin / name
        path.write_text(f"#!/bin/sh\n{script}\n")
        path.chmod(0o755)
        return path

    def registry_document(self) -> dict[str, Any]:
        return tomllib.loads(self.registry.read_text())

    def rewrite_registry(self, change: Callable[[dict[str, Any]], object]) -> None:
        document = self.registry_document()
        change(document)
        self.registry.write_text(tomli_w.dumps(document))


def make_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: Path) -> Sandbox:
    """A sandbox whose VMs belong to the user running the tests.

    As root the tests act as `sudo` run by `nobody`: agentvm refuses VMs owned by root.
    """
    ssh_keygen = shutil.which("ssh-keygen")
    if ssh_keygen is None:
        pytest.skip("the CLI tests need the real ssh-keygen on PATH")
    running_as_root = os.geteuid() == 0
    sandbox = Sandbox(
        root=tmp_path,
        flake=tmp_path / "flake",
        home=tmp_path / "home",
        bin=tmp_path / "bin",
        source=source,
        host_path=os.environ.get("PATH", os.defpath),
        user=pwd.getpwnam("nobody") if running_as_root else pwd.getpwuid(os.getuid()),
    )
    for directory in (sandbox.flake, sandbox.home, sandbox.bin):
        directory.mkdir()
        os.chown(directory, sandbox.user.pw_uid, sandbox.user.pw_gid)
    (sandbox.bin / "ssh-keygen").symlink_to(ssh_keygen)
    monkeypatch.chdir(sandbox.flake)
    monkeypatch.setenv("HOME", str(sandbox.home))
    monkeypatch.setenv("PATH", str(sandbox.bin))
    # Under sudo the default ~/microvm is the real user's home from passwd, outside the
    # sandbox; the environment variable keeps the default state root inside it.
    monkeypatch.setenv("AGENTVM_STATE_DIR", str(sandbox.state_root))
    for variable in ("SUDO_USER", "SUDO_UID", "SUDO_GID"):
        monkeypatch.delenv(variable, raising=False)
    if running_as_root:
        monkeypatch.setenv("SUDO_USER", sandbox.user.pw_name)
        monkeypatch.setenv("SUDO_UID", str(sandbox.user.pw_uid))
        monkeypatch.setenv("SUDO_GID", str(sandbox.user.pw_gid))
    return sandbox


def run_in_process(*args: str) -> Outcome:
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


def run_subprocess(sandbox: Sandbox, *args: str) -> Outcome:
    return complete(agentvm_process(sandbox, *args))


def agentvm_process(sandbox: Sandbox, *args: str) -> "subprocess.Popen[str]":
    environment = {**os.environ, "PYTHONPATH": str(sandbox.source)}
    return subprocess.Popen(
        [sys.executable, "-m", "agentvm", *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def complete(process: "subprocess.Popen[str]") -> Outcome:
    stdout, stderr = process.communicate(timeout=60)
    return Outcome(process.returncode, stdout, stderr)


# One entry per path below a root: (mode, uid, gid, file bytes or link target or None).
TreeSnapshot = dict[str, tuple[int, int, int, bytes | str | None]]


def snapshot(*roots: Path) -> TreeSnapshot:
    """Every path below ``roots`` with its mode, owner and content, for before/after checks."""
    tree: TreeSnapshot = {}
    for root in roots:
        for path in [root, *sorted(root.rglob("*"))] if root.exists() else []:
            status = path.lstat()
            content: bytes | str | None = None
            if path.is_symlink():
                content = str(path.readlink())
            elif path.is_file():
                content = path.read_bytes()
            tree[str(path)] = (status.st_mode, status.st_uid, status.st_gid, content)
    return tree
