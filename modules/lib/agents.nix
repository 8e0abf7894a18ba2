# The agent CLIs agentvm can set up, each through home-manager's `programs.<agent>`.
[
  "claude-code"
  "codex"
]
