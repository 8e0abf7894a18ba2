"""modules/README.md lists exactly the options the modules declare."""

from nixeval import eval_inputs
from options_doc import README, render


def test_modules_readme_is_up_to_date() -> None:
    assert README.read_text() == render(eval_inputs()), (
        "modules/README.md is stale: run `python3 tests/nix/options_doc.py $AGENTVM_EVAL_INPUTS`"
    )
