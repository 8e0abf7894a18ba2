# What a VM and an allowlisted domain may be called, as python/src/agentvm/names.py says;
# tests/nix/test_agreement.py proves the two agree. Domains end up in dnsmasq's
# configuration, so nothing but a plain lower-case domain name may pass.
let
  label = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
in
{
  # A lower-case DNS label: the VM's hostname and its `Host` in ssh_config.
  isVmName = name: builtins.match "[a-z]([a-z0-9-]{0,61}[a-z0-9])?" name != null;

  # At least two labels (a bare label such as `localhost` is no public domain), 253 at most.
  isDomain =
    domain:
    builtins.stringLength domain <= 253 && builtins.match "${label}(\\.${label})+" domain != null;
}
