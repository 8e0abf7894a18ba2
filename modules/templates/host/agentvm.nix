# The agentvm part of this host: the VMs are whatever `nix run .#new-vm -- NAME` put
# into ./vms.toml; rebuild after adding one, then `sudo systemctl start microvm@NAME`.
{
  agentvm = {
    enable = true;
    registry = ./vms.toml;
    # The interface that reaches the internet; the VMs are NATed behind it.
    network.externalInterface = "eth0";
    # Who may `ssh` into the VMs (`agentvm ssh NAME`).
    authorizedKeys = [ ];
    home = {
      enable = true;
      agents = [
        "claude-code"
        "codex"
      ];
    };
  };
}
