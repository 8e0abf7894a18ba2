# Evaluates agentvm's modules against the real option declarations of microvm.nix and
# home-manager (trees laid out by ../shared/nix/eval-inputs; see DESIGN.md).
#
#   import ./harness.nix { inputs = "/path/from/AGENTVM_EVAL_INPUTS"; }
#
# Paths are joined with `+`, never interpolated, so nothing is copied to the store.
{ inputs }:
let
  input = relative: /. + "${inputs}/${relative}";
  lib = import (input "nixpkgs-lib/lib");
  pkgs = import ./fake-pkgs.nix { inherit lib; };
  stub = import ./stub-nixos.nix { inherit lib pkgs; };
  modules = ../../modules;

  evalNixos =
    specialArgs: extraModules:
    lib.evalModules {
      inherit specialArgs;
      modules = [ stub ] ++ extraModules;
    };

  # A host using agentvm's host module, wired as the flake's nixosModules.host does.
  evalHostWith =
    specialArgs: hostModules:
    evalNixos specialArgs (
      [
        (input "microvm/nixos-modules/host")
        (modules + "/host")
        {
          agentvm.homeManagerModule = input "home-manager/nixos";
        }
      ]
      ++ hostModules
    );
  evalHost = evalHostWith { };
in
{
  inherit lib pkgs evalHost;

  # The messages of the assertions that fail, as NixOS would print them.
  failedAssertions =
    config: map (a: a.message) (builtins.filter (a: !a.assertion) config.assertions);

  # A node of a NixOS test in nixos-tests/, which gets the flake as `self` (lib.nix passes
  # it as a special argument): the host module comes from the harness, the CLI is inert.
  evalTestNode =
    node:
    evalHostWith {
      self = {
        nixosModules.host = { };
        packages.${pkgs.system}.agentvm = pkgs.agentvm;
      };
    } [ node ];

  # A guest using microvm-base (and microvm-home) on its own, as another flake would.
  evalGuest =
    guestModules:
    evalNixos { } (
      [
        (input "microvm/nixos-modules/microvm")
        (modules + "/microvm-base")
      ]
      ++ guestModules
    );
}
