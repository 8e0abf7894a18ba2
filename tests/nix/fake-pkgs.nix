# An inert package set: derivation-shaped values for the packages the NixOS stub names,
# the real nixpkgs `lib`, and `path` pointing at fake-nixpkgs/ so that microvm.nix's host
# module evaluates each VM with ./fake-nixpkgs/nixos/lib/eval-config.nix. Evaluation is
# lazy: only what a test forces must exist, and the tests force no package contents.
{ lib }:
let
  system = "x86_64-linux";
  platform = lib.systems.elaborate system;
  package =
    name:
    let
      self = {
        type = "derivation";
        inherit name;
        pname = name;
        version = "0";
        outPath = "/nix/store/00000000000000000000000000000000-${name}";
        out = self;
        outputs = [ "out" ];
        meta.mainProgram = name;
      };
    in
    self;
in
lib.genAttrs [
  "agentvm"
  "initrd"
  "linux"
  "nix"
  "toplevel"
] package
// {
  inherit lib system;
  path = ./fake-nixpkgs;
  stdenv = {
    hostPlatform = platform;
    buildPlatform = platform;
    targetPlatform = platform;
  };
  # The settings formats home-manager's modules build their option types from.
  formats = lib.genAttrs [
    "ini"
    "json"
    "toml"
    "yaml"
  ] (_: _: {
    type = lib.types.anything;
    generate = name: _: package name;
    lib.types = lib.genAttrs [ "atom" ] (_: lib.types.anything);
  });
}
