# Proves: the VM's /nix/store is writable through its overlay, what it adds stays out of
# the host's store, a restart forgets it, and the workspace keeps its files with the
# host user as owner.
{
  name = "agentvm-store-overlay";
  nodes.host = ./host.nix;
  testScript = builtins.readFile ./common.py + builtins.readFile ./store-overlay.py;
}
