# Names that `agentvm new` and the modules must agree on: the VM state directory's layout
# and what a VM may be called. Python keeps the same values in python/src/agentvm
# (state.py, keys.py, names.py); tests/nix/test_agreement.py proves they match.
{
  workspaceDir = "workspace";
  homeDir = "home";
  hostKeysDir = "ssh-host-keys";
  hostKeyFile = "ssh_host_ed25519_key";

  # A lower-case DNS label: the VM's hostname and its `Host` in ssh_config.
  isVmName = name: builtins.match "[a-z]([a-z0-9-]{0,61}[a-z0-9])?" name != null;
}
