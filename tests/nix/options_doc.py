"""Renders modules/README.md, the list of every agentvm option, from the modules' own
declarations (tests/nix/options-doc.nix). ``python3 tests/nix/options_doc.py`` rewrites
it; test_options_doc.py fails while it is out of date."""

import sys
from pathlib import Path

from nixeval import ROOT, evaluate, nix_string

OPTIONS_DOC = Path(__file__).with_name("options-doc.nix")
README = ROOT / "modules" / "README.md"

MODULES = {
    "host": "`nixosModules.host`: the bridge, NAT and the VMs (imports microvm.nix's host module).",
    "microvm-base": "`nixosModules.microvm-base`: the guest; usable on its own in any microVM.",
    "microvm-home": "`nixosModules.microvm-home`: home-manager and the agent CLIs in the guest.",
}


def render(inputs: str) -> str:
    modules = evaluate(f"import {OPTIONS_DOC} {{ inputs = {nix_string(inputs)}; }}")
    lines = [
        "# agentvm's NixOS modules",
        "",
        "Generated from the modules' `options.nix` by `tests/nix/options_doc.py`; do not edit.",
    ]
    for module, summary in MODULES.items():
        lines += ["", f"## {module}", "", summary]
        for option in modules[module]:
            lines += ["", f"### `{option['name']}`", "", option["description"].strip(), ""]
            lines.append(f"- type: {option['type']}")
            for field in ("default", "example"):
                if option[field] is not None:
                    lines.append(f"- {field}: `{' '.join(option[field].split())}`")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    README.write_text(render(sys.argv[1] if len(sys.argv) > 1 else ""))
