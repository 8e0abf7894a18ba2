"""Every test SECURITY.md names as proof of a claim exists in the file it points at."""

import re

from nixeval import ROOT

SECURITY = ROOT / "SECURITY.md"


def test_every_cited_test_exists() -> None:
    text = SECURITY.read_text()
    files = set(re.findall(r"tests/[\w/]+\.py", text))
    cited = set(re.findall(r"\btest_\w+\b(?!\.py)", text))
    defined = {
        name
        for path in files
        for name in re.findall(r"^def (test_\w+)", (ROOT / path).read_text(), re.MULTILINE)
    }
    assert files
    assert cited
    assert cited <= defined, f"cited but not defined: {sorted(cited - defined)}"
