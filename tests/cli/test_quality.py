"""The Python sources pass ruff (lint and format) and mypy --strict."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "python" / "pyproject.toml"
SOURCES = [ROOT / "python" / "src", ROOT / "tests" / "cli", ROOT / "bench"]


def _tool(module: str) -> list[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed in this Python, so it was not run")
    return [sys.executable, "-m", module]


@pytest.mark.parametrize(
    "check", [["check"], ["format", "--check"]], ids=["ruff check", "ruff format"]
)
def test_ruff(check: list[str]) -> None:
    command = [*_tool("ruff"), *check, "--config", str(CONFIG), *map(str, SOURCES)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict(pytestconfig: pytest.Config, tmp_path: Path) -> None:
    # pytest's cache directory keeps mypy's cache warm between runs and out of the tree.
    cache = getattr(pytestconfig, "cache", None)
    cache_dir = cache.mkdir("mypy") if cache is not None else tmp_path
    command = [*_tool("mypy"), "--config-file", str(CONFIG), "--cache-dir", str(cache_dir)]
    command += map(str, SOURCES)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
