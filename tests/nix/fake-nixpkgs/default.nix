# Stands in for `import nixpkgs { … }`, which home-manager calls for its own package set
# when `useGlobalPkgs` is off: the same inert packages. The harness runs with
# AGENTVM_EVAL_INPUTS set, and that is where nixpkgs' lib is.
{ ... }:
import ../fake-pkgs.nix {
  lib = import (/. + "${builtins.getEnv "AGENTVM_EVAL_INPUTS"}/nixpkgs-lib/lib");
}
