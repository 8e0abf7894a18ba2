# Stands in for nixpkgs' nixos/lib/eval-config.nix when microvm.nix's host module evaluates
# a VM's `config`: the same stubbed NixOS as the host, with the arguments upstream passes.
{
  pkgs,
  modules,
  extraModules ? [ ],
  specialArgs ? { },
  prefix ? [ ],
  ...
}:
pkgs.lib.evalModules {
  inherit prefix specialArgs;
  modules = [ (import ../../../stub-nixos.nix { inherit (pkgs) lib; inherit pkgs; }) ] ++ modules ++ extraModules;
}
