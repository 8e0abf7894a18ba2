"""Every tracked .nix file parses."""

import subprocess

import pytest
from nixeval import ROOT, nix_instantiate


def tracked_nix_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "*.nix"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return listed.stdout.split()


def test_the_repository_has_nix_files() -> None:
    assert "flake.nix" in tracked_nix_files()


@pytest.mark.parametrize("path", tracked_nix_files())
def test_parses(path: str) -> None:
    result = subprocess.run(
        [nix_instantiate(), "--parse", path], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
