{
  description = "agentvm: disposable, isolated microVMs for coding agents on NixOS";

  inputs = {
    nixpkgs.url = "github:nixos/nixpkgs/nixos-unstable";
    microvm = {
      url = "github:microvm-nix/microvm.nix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    home-manager = {
      url = "github:nix-community/home-manager";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      microvm,
      home-manager,
    }:
    let
      inherit (nixpkgs) lib;
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      eachSystem = f: lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});

      # `nix run .#NAME -- ARGS` runs `agentvm COMMAND ARGS` in the current directory.
      command =
        pkgs: name: subcommand: description:
        let
          agentvm = lib.getExe self.packages.${pkgs.stdenv.hostPlatform.system}.agentvm;
        in
        {
          type = "app";
          program = lib.getExe (
            pkgs.writeShellScriptBin name ''exec ${agentvm} ${subcommand} "$@"''
          );
          meta = { inherit description; };
        };
    in
    {
      lib = import ./modules/lib;

      nixosModules = {
        host = {
          imports = [
            microvm.nixosModules.host
            ./modules/host
          ];
          agentvm.homeManagerModule = home-manager.nixosModules.home-manager;
        };
        microvm-base = {
          imports = [
            microvm.nixosModules.microvm
            ./modules/microvm-base
          ];
        };
        microvm-home = {
          imports = [
            home-manager.nixosModules.home-manager
            ./modules/microvm-home
          ];
        };
        default = self.nixosModules.host;
      };

      packages = eachSystem (pkgs: {
        agentvm = pkgs.python3Packages.callPackage ./python/package.nix { };
        default = self.packages.${pkgs.stdenv.hostPlatform.system}.agentvm;
      });

      apps = eachSystem (pkgs: {
        default = {
          type = "app";
          program = lib.getExe self.packages.${pkgs.stdenv.hostPlatform.system}.agentvm;
          meta.description = "The agentvm CLI";
        };
        new-vm = command pkgs "agentvm-new-vm" "new" "Create a VM: addresses, state, pinned host key, registry entry";
        list-vms = command pkgs "agentvm-list-vms" "list" "List the registered VMs and whether they run";
        ssh-vm = command pkgs "agentvm-ssh-vm" "ssh" "SSH into a VM with its pinned host key";
      });

      checks = eachSystem (
        pkgs:
        import ./tests/checks.nix {
          inherit pkgs self;
          inputs = { inherit nixpkgs microvm home-manager; };
        }
      );

      formatter = eachSystem (pkgs: pkgs.nixfmt-tree);

      templates.default = {
        path = ./modules/templates/host;
        description = "A NixOS host with agentvm and a registry for `nix run .#new-vm`";
      };

      devShells = eachSystem (pkgs: {
        default = pkgs.mkShell {
          packages = [
            (pkgs.python3.withPackages (ps: [
              ps.typer
              ps.tomli-w
              ps.pytest
              ps.mypy
            ]))
            pkgs.ruff
            pkgs.openssh
            pkgs.nixfmt
          ];
        };
      });
    };
}
