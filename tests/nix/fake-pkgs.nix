# An inert package set: derivation-shaped values for what the modules mention, the real
# nixpkgs `lib`, and `path` pointing at fake-nixpkgs/ so that microvm.nix's host module
# evaluates each VM with ./fake-nixpkgs/nixos/lib/eval-config.nix.
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
        # What microvm.nix's runner and modules read of a few packages.
        kernel = self;
        target = "bzImage";
        override = _: self;
        overrideAttrs = _: self;
      };
    in
    self;
  packages = lib.genAttrs [
    "bash"
    "claude-code"
    "cloud-hypervisor"
    "codex"
    "coreutils"
    "git"
    "initrd"
    "linux"
    "nix"
    "openssh"
    "qemu-utils"
    "toplevel"
    "util-linux"
    "virtiofsd"
  ] package;
  writer = name: _: package name;
in
packages
// {
  inherit lib system;
  path = ./fake-nixpkgs;
  stdenv = {
    hostPlatform = platform;
    buildPlatform = platform;
    targetPlatform = platform;
  };
  buildPackages = packages;
  runtimeShell = "/bin/sh";
  callPackage = _: _: package "callPackage";
  writeText = writer;
  writeShellScript = writer;
  writeShellScriptBin = writer;
  writeScript = writer;
  runCommand =
    name: _: _:
    package name;
  # Every settings format home-manager's modules ask for, as the same inert format.
  formats = lib.genAttrs [
    "cdn"
    "elixirConf"
    "gitIni"
    "hocon"
    "ini"
    "iniWithGlobalSection"
    "javaProperties"
    "json"
    "keyValue"
    "libconfig"
    "lua"
    "nixConf"
    "php"
    "plist"
    "pythonVars"
    "systemd"
    "toml"
    "xml"
    "yaml"
    "yaml_1_1"
    "yaml_1_2"
  ] (_: _: {
    type = lib.types.anything;
    generate = writer;
    lib.types = lib.genAttrs [
      "atom"
      "section"
      "value"
    ] (_: lib.types.anything);
  });
}
