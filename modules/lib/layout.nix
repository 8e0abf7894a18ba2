# The VM state directory's layout, which `agentvm new` creates and the modules share into
# the VM. Python keeps the same names in python/src/agentvm (state.py, keys.py);
# tests/nix/test_agreement.py proves they match.
{
  workspaceDir = "workspace";
  homeDir = "home";
  hostKeysDir = "ssh-host-keys";
  hostKeyFile = "ssh_host_ed25519_key";
}
