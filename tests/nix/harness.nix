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
    extraModules:
    lib.evalModules {
      modules = [ stub ] ++ extraModules;
    };

  # The messages of the assertions that fail, as NixOS would print them.
  failedAssertions =
    config: map (a: a.message) (builtins.filter (a: !a.assertion) config.assertions);
in
{
  inherit lib pkgs failedAssertions;

  # A host using agentvm's host module, wired as the flake's nixosModules.host does.
  evalHost =
    hostModules:
    evalNixos (
      [
        (input "microvm/nixos-modules/host")
        (modules + "/host")
        {
          agentvm.homeManagerModule = input "home-manager/nixos";
        }
      ]
      ++ hostModules
    );

  # A guest using microvm-base (and microvm-home) on its own, as another flake would.
  evalGuest =
    guestModules:
    evalNixos (
      [
        (input "microvm/nixos-modules/microvm")
        (modules + "/microvm-base")
      ]
      ++ guestModules
    );
}
