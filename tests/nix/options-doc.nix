# The options agentvm's modules declare, as nixpkgs' documentation tooling lists them;
# options_doc.py renders them into modules/README.md.
{ inputs }:
let
  lib = import (/. + "${inputs}/nixpkgs-lib/lib");
  modules = ../../modules;

  optionsOf =
    module:
    let
      evaluated = lib.evalModules {
        modules = [
          module
          { _module.check = false; }
        ];
        specialArgs.pkgs = { };
      };
    in
    map (option: {
      inherit (option) name description type;
      default = option.default.text or null;
      example = option.example.text or null;
    }) (builtins.filter (option: lib.hasPrefix "agentvm." option.name && option.visible && !option.internal) (lib.optionAttrSetToDocList evaluated.options));
in
{
  host = optionsOf (modules + "/host/options.nix");
  microvm-base = optionsOf (modules + "/microvm-base/options.nix");
  microvm-home = optionsOf (modules + "/microvm-home/options.nix");
}
