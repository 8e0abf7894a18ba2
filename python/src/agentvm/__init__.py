"""agentvm: disposable, isolated microVMs for coding agents on NixOS.

The CLI (:mod:`agentvm.cli`) is a thin layer over logic modules that never import typer:
:mod:`agentvm.registry` (vms.toml), :mod:`agentvm.network` (addresses from the index),
:mod:`agentvm.state` (per-VM directories), :mod:`agentvm.keys` (pinned SSH host keys) and
:mod:`agentvm.lifecycle` (the commands' transactions).
"""
