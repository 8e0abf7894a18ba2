# agentvm's NixOS VM tests, exposed as checks.x86_64-linux.nixos-*: each boots a test
# host that runs the agent microVMs nested, so they need a KVM machine with nested
# virtualisation.
{ pkgs, self }:
let
  runTest = import ./lib.nix { inherit pkgs self; };
in
{
  nixos-networking = runTest ./networking.nix;
  nixos-store-overlay = runTest ./store-overlay.nix;
  nixos-shutdown = runTest ./shutdown.nix;
  nixos-home = runTest ./home.nix;
  nixos-isolation = runTest ./isolation.nix;
}
