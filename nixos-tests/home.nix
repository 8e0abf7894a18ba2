# Proves: home-manager activated the agent user's environment in the VM, the chosen agent
# CLIs are on its PATH, and the agent user cannot read the VM's SSH host private key.
{
  name = "agentvm-home";
  nodes.host = {
    imports = [ ./host.nix ];
    agentvm.home = {
      enable = true;
      agents = [
        "claude-code"
        "codex"
      ];
    };
    # Room for the agents' closures in the VM's store overlay and the host's disk.
    virtualisation.diskSize = 16384;
  };
  testScript = builtins.readFile ./common.py + builtins.readFile ./home.py;
}
