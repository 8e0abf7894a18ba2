# The one wrapper every agentvm NixOS test runs through, as home-manager's
# tests/integration/default.nix does: nixpkgs' runTest with our package set inside and
# outside the VMs, and the flake's outputs as the `self` module argument.
{ pkgs, self }:
let
  nixosLib = import "${pkgs.path}/nixos/lib" { };
in
test:
nixosLib.runTest {
  imports = [
    test
    {
      node.pkgs = pkgs;
      node.specialArgs = { inherit self; };
    }
  ];
  hostPkgs = pkgs;
}
