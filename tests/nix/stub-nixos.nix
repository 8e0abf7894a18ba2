# Just enough of NixOS for `lib.evalModules` to evaluate microvm.nix's, home-manager's
# and agentvm's real modules without nixpkgs: what upstream reads is declared with
# NixOS' defaults, everything else is freeform. Values are read, nothing is built.
{ lib, pkgs }:
let
  inherit (lib) mkOption types;
  freeform = types.lazyAttrsOf types.anything;
  # A namespace whose siblings stay freeform (declaring it as a plain attrset would make
  # the module system discharge their mkIf conditions, which recurse; see UPSTREAM-NOTES).
  namespace =
    options:
    mkOption {
      default = { };
      type = types.submodule {
        freeformType = freeform;
        inherit options;
      };
    };
  list =
    elemType:
    mkOption {
      type = types.listOf elemType;
      default = [ ];
    };
in
{
  freeformType = freeform;

  options = {
    assertions = list types.unspecified;
    warnings = list types.str;

    networking = namespace {
      hostName = mkOption {
        type = types.str;
        default = "nixos";
      };
    };

    users = namespace {
      users = mkOption {
        default = { };
        type = types.attrsOf (
          types.submodule (
            { name, ... }:
            {
              freeformType = freeform;
              options = {
                name = mkOption {
                  type = types.str;
                  default = name;
                };
                home = mkOption {
                  type = types.str;
                  default = "/home/${name}";
                };
                uid = mkOption {
                  type = types.nullOr types.int;
                  default = null;
                };
              };
            }
          )
        );
      };
    };

    system = namespace {
      stateVersion = mkOption {
        type = types.str;
        default = lib.trivial.release;
      };
    };

    ids = namespace {
      gids = namespace {
        users = mkOption {
          type = types.int;
          default = 100;
        };
      };
    };

    fileSystems = mkOption {
      default = { };
      type = types.attrsOf (
        types.submodule {
          freeformType = freeform;
          options.options = list types.str;
        }
      );
    };

    boot = namespace {
      kernelParams = list types.str;
      initrd = namespace {
        kernelModules = list types.str;
        availableKernelModules = list types.str;
      };
      kernelModules = list types.str;
      blacklistedKernelModules = list types.str;
    };

    systemd = namespace {
      mounts = list types.unspecified;
      services = mkOption {
        default = { };
        type = types.attrsOf (
          types.submodule {
            freeformType = freeform;
            options = {
              path = list types.unspecified;
              before = list types.str;
              after = list types.str;
              wants = list types.str;
              requires = list types.str;
              requiredBy = list types.str;
              wantedBy = list types.str;
              partOf = list types.str;
              restartTriggers = list types.unspecified;
            };
          }
        );
      };
    };

    nixpkgs = namespace {
      overlays = list types.unspecified;
    };

    environment = namespace {
      systemPackages = list types.package;
    };

    security = namespace {
      pam = namespace {
        loginLimits = list types.unspecified;
      };
    };

  };

  config = {
    _module.args = {
      inherit pkgs;
      # NixOS' unit-name escaping, as far as the paths used here need it.
      utils.escapeSystemdPath =
        path:
        let
          relative = lib.removePrefix "/" path;
        in
        if relative == "" then
          "-"
        else
          lib.replaceStrings [ "/" "-" " " ] [ "-" "\\x2d" "\\x20" ] relative;
    };
    nix = {
      enable = lib.mkOptionDefault true;
      package = lib.mkOptionDefault pkgs.nix;
      optimise.automatic = lib.mkOptionDefault false;
      settings.auto-optimise-store = lib.mkOptionDefault false;
    };
    boot.kernelPackages.kernel = lib.mkOptionDefault pkgs.linux;
    boot.initrd.systemd.enable = lib.mkOptionDefault false;
    system.build.toplevel = lib.mkOptionDefault pkgs.toplevel;
    system.build.initialRamdisk = lib.mkOptionDefault pkgs.initrd;
    system.boot.loader.initrdFile = lib.mkOptionDefault "initrd";
    virtualisation.libvirtd.enable = lib.mkOptionDefault false;
  };
}
