{
  description = "A NixOS host running agentvm microVMs";

  inputs = {
    nixpkgs.url = "github:nixos/nixpkgs/nixos-unstable";
    agentvm = {
      url = "github:agentvm/agentvm";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    { nixpkgs, agentvm, ... }:
    {
      nixosConfigurations.host = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          agentvm.nixosModules.host
          ./configuration.nix
          ./agentvm.nix
        ];
      };

      # `nix run .#new-vm -- NAME` from this directory adds NAME to ./vms.toml.
      inherit (agentvm) apps;
    };
}
