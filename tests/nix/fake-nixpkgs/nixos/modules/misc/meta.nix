# Stands in for nixpkgs' module of the same path, which home-manager imports from
# `pkgs.path`: `meta` as a freeform attribute set.
{ lib, ... }:
{
  options.meta = lib.mkOption {
    type = lib.types.lazyAttrsOf lib.types.anything;
    default = { };
  };
}
