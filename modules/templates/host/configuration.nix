# This host's own NixOS configuration: replace it with yours (or import yours here).
{
  imports = [ ./hardware-configuration.nix ];

  networking.hostName = "host";
  system.stateVersion = "26.05";
}
