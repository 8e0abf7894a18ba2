"""Evaluating Nix expressions from pytest with the real ``nix-instantiate``."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).with_name("harness.nix")
INPUTS_VARIABLE = "AGENTVM_EVAL_INPUTS"


class NixError(Exception):
    """An evaluation that failed; the message is Nix's last error line."""


def nix_instantiate() -> str:
    found = shutil.which("nix-instantiate")
    if found is None:
        pytest.skip("nix-instantiate is not on PATH (../shared/nix/install puts it there)")
    return found


def eval_inputs() -> str:
    """The upstream trees the module evaluations read, or a skip that says how to get them."""
    inputs = os.environ.get(INPUTS_VARIABLE, "")
    if not inputs:
        pytest.skip(
            f"{INPUTS_VARIABLE} is not set: module evaluation against microvm.nix and "
            "home-manager needs the trees ../shared/nix/eval-inputs lays out"
        )
    return inputs


def evaluate(expression: str) -> Any:  # noqa: ANN401 -- JSON is dynamically typed
    """The strict JSON value of ``expression``, evaluated from the repository root."""
    result = subprocess.run(
        [nix_instantiate(), "--eval", "--strict", "--json", "--expr", expression],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        errors = [line.strip() for line in result.stderr.splitlines() if "error:" in line]
        raise NixError(errors[-1] if errors else result.stderr.strip())
    return json.loads(result.stdout)


def nix_string(value: str | Path) -> str:
    """``value`` as a Nix string literal."""
    return json.dumps(str(value)).replace("${", "\\${")


def harness() -> str:
    """A Nix expression for the evaluation harness over the upstream trees."""
    return f"(import {HARNESS} {{ inputs = {nix_string(eval_inputs())}; }})"


def agentvm_new(directory: Path, name: str, state_dir: Path, *options: str) -> None:
    """Runs the real CLI, ``agentvm new NAME``, with ``directory/vms.toml`` as registry.

    As root (CI) it runs as under ``sudo -u nobody``: a VM owned by root is refused.
    """
    sudo = {"SUDO_USER": "nobody"} if os.geteuid() == 0 else {}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "agentvm",
            "new",
            name,
            "--registry",
            "vms.toml",
            "--state-dir",
            str(state_dir),
            *options,
        ],
        cwd=directory,
        env=dict(os.environ, PYTHONPATH=str(ROOT / "python" / "src"), **sudo),
        check=True,
        capture_output=True,
    )
