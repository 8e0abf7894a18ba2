# Proves: `systemctl stop microvm@demo` ends within 10 s, cleanly: the guest powers off
# (no hang unmounting /nix/store), the hypervisor exits, and systemd kills nothing.
{
  name = "agentvm-shutdown";
  nodes.host = ./host.nix;
  testScript = builtins.readFile ./common.py + builtins.readFile ./shutdown.py;
}
