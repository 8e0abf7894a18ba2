# `nix flake check` on a Nix machine: the CLI's test suite in the build sandbox, a host
# with the fixture registry's two VMs evaluated and built against real nixpkgs,
# microvm.nix and home-manager (what tests/nix can only evaluate against stubs), and on
# x86_64-linux the NixOS VM tests of nixos-tests/.
{
  pkgs,
  self,
  inputs,
}:
let
  inherit (pkgs) lib;
  inherit (pkgs.stdenv.hostPlatform) system;

  source = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ../python
      ../tests
    ];
  };

  python = pkgs.python3.withPackages (ps: [
    ps.typer
    ps.tomli-w
    ps.pytest
    ps.mypy
  ]);

  exampleHost = inputs.nixpkgs.lib.nixosSystem {
    inherit system;
    modules = [
      self.nixosModules.host
      {
        agentvm = {
          enable = true;
          registry = ./nix/fixtures/two-vms.toml;
          network.externalInterface = "eth0";
          home.enable = true;
        };
        # The least a bootable NixOS needs; the host itself is not what is tested.
        fileSystems."/".device = "/dev/vda";
        boot.loader.grub.enable = false;
        system.stateVersion = lib.trivial.release;
      }
    ];
  };
in
# The NixOS VM tests run the microVMs nested under x86_64 KVM, as microvm.nix's own do.
lib.optionalAttrs (system == "x86_64-linux") (import ../nixos-tests { inherit pkgs self; })
// {
  inherit (self.packages.${system}) agentvm;

  cli-tests =
    pkgs.runCommand "agentvm-cli-tests"
      {
        nativeBuildInputs = [
          python
          pkgs.openssh
          pkgs.ruff
        ];
      }
      ''
        cp -r ${source} source
        chmod -R u+w source
        cd source
        HOME=$TMPDIR python -m pytest -q -p no:cacheprovider tests/cli
        touch $out
      '';

  host-example = exampleHost.config.system.build.toplevel;
}
