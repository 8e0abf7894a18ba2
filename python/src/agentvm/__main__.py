"""``python -m agentvm``: the same entry point as the ``agentvm`` script."""

from agentvm.cli import main

main()
