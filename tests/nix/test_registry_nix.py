"""modules/lib: the registry reader and address helpers, with builtins only (no nixpkgs)."""

from pathlib import Path

import pytest
from nixeval import ROOT, NixError, evaluate, nix_string

LIB = ROOT / "modules" / "lib"
FIXTURE = Path(__file__).with_name("fixtures") / "two-vms.toml"


def read_registry(path: Path) -> dict[str, object]:
    result: dict[str, object] = evaluate(f"(import {LIB}).registry.read {nix_string(path)}")
    return result


def test_reads_the_fixture_into_option_names() -> None:
    registry = read_registry(FIXTURE)
    assert registry["network"] == {
        "bridge": "microbr",
        "subnet": "192.168.83.0/24",
        "gateway": "192.168.83.1",
    }
    demo = registry["vms"]["demo"]  # type: ignore[index]
    assert demo["stateDir"] == "/home/alice/microvm/demo"
    assert (demo["index"], demo["ip"], demo["mac"], demo["tap"]) == (
        2,
        "192.168.83.2",
        "02:00:00:00:00:02",
        "agentvm2",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("schema = 1", "schema = 2"), "has schema 2; this agentvm reads schema 1"),
        (("index = 2\n", ""), "[vms.demo] lacks index"),
        (('tap = "agentvm2"', "tap = 2"), "[vms.demo] has fields of the wrong type: tap"),
        (("egress =", 'colour = "red"\negress ='), "[vms.demo] has unknown fields colour"),
        (('bridge = "microbr"\n', ""), "[network] lacks bridge"),
    ],
)
def test_refuses_a_registry_it_cannot_vouch_for(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    broken = tmp_path / "vms.toml"
    broken.write_text(FIXTURE.read_text().replace(*change, 1))
    with pytest.raises(NixError, match="agentvm registry: .*" + message.replace("[", r"\[")):
        read_registry(broken)


def test_refuses_malformed_toml(tmp_path: Path) -> None:
    broken = tmp_path / "vms.toml"
    broken.write_text("schema = 1\n[network\n")
    with pytest.raises(NixError):
        read_registry(broken)


def test_ipv4_helpers() -> None:
    ipv4 = f"(import {LIB}).ipv4"
    assert evaluate(f'{ipv4}.contains "192.168.83.0/24" "192.168.83.254"') is True
    assert evaluate(f'{ipv4}.contains "192.168.83.0/24" "192.168.84.1"') is False
    assert evaluate(f'{ipv4}.isAddress "192.168.83.256"') is False
    with pytest.raises(NixError, match="has host bits set"):
        evaluate(f'{ipv4}.parseCidr "192.168.83.1/24"')
