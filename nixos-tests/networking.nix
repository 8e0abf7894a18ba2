# Proves: a VM from the registry comes up at its registry address; the host reaches it
# with `agentvm ssh` on the host key `agentvm new` pinned, and refuses a key it did not
# pin; the VM resolves names and fetches a page from outside through the host's NAT.
# Prints the seconds from starting microvm@demo to SSH ready.
{
  name = "agentvm-networking";
  nodes = {
    host = ./host.nix;
    outside = ./outside.nix;
  };
  testScript = builtins.readFile ./common.py + builtins.readFile ./networking.py;
}
