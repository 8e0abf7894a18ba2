# What the host checks of its VMs before anything is built. Each message is a sentence
# naming the VM and the option, tested by evaluation in tests/nix/test_host_eval.py.
{ config, lib, ... }:
let
  cfg = config.agentvm;
  ipv4 = import ../lib/ipv4.nix;
  names = import ../lib/names.nix;
  vms = lib.attrsToList cfg.vms;

  # One assertion per VM that shares `field` with another VM.
  unique =
    field:
    lib.concatMap (
      group:
      let
        names = map (vm: vm.name) group;
      in
      map (vm: {
        assertion = builtins.length group == 1;
        message = "agentvm VM `${vm.name}`: `agentvm.vms.${vm.name}.${field}` ${toString vm.value.${field}} is also used by ${
          lib.concatMapStringsSep ", " (other: "`${other}`") (lib.remove vm.name names)
        }.";
      }) group
    ) (builtins.attrValues (builtins.groupBy (vm: toString vm.value.${field}) vms));

  inStore = path: lib.hasPrefix "/nix/store" (toString path);

  perVm =
    { name, value }:
    let
      option = field: "`agentvm.vms.${name}.${field}`";
      subnet = ipv4.parseCidr cfg.network.subnet;
      offset = ipv4.toInt value.ip - ipv4.toInt subnet.network;
    in
    [
      {
        assertion = names.isVmName name;
        message = "agentvm VM `${name}`: the name must be a lower-case DNS label (letters, digits and inner hyphens, at most 63).";
      }
      {
        assertion = ipv4.isAddress value.ip && offset > 0 && offset < subnet.size - 1;
        message = "agentvm VM `${name}`: ${option "ip"} ${value.ip} is not a host address in `agentvm.network.subnet` ${cfg.network.subnet}.";
      }
      {
        assertion = value.ip != cfg.network.gateway;
        message = "agentvm VM `${name}`: ${option "ip"} ${value.ip} is the host's gateway address.";
      }
      {
        assertion = value.uid != 0 && value.user != "root";
        message = "agentvm VM `${name}`: ${option "user"} is root; the agent would be root in the VM and could read its SSH host key. Run `agentvm new` as your user.";
      }
      {
        assertion = builtins.stringLength value.tap <= 15;
        message = "agentvm VM `${name}`: ${option "tap"} `${value.tap}` is longer than Linux's 15-character interface names.";
      }
      {
        assertion = !(inStore value.stateDir || inStore value.workspace);
        message = "agentvm VM `${name}`: ${option "stateDir"} and ${option "workspace"} must not be in /nix/store, which every VM can read.";
      }
      {
        assertion = builtins.all names.isDomain value.allow;
        message = "agentvm VM `${name}`: ${option "allow"} may hold only lower-case domain names such as example.com.";
      }
      {
        assertion = value.allow != [ ] -> value.egress == "allowlist";
        message = "agentvm VM `${name}`: ${option "allow"} lists domains, but ${option "egress"} is `${value.egress}`, not `allowlist`.";
      }
    ];
in
{
  config = lib.mkIf cfg.enable {
    assertions =
      unique "index"
      ++ unique "ip"
      ++ unique "mac"
      ++ unique "tap"
      ++ lib.concatMap perVm vms
      ++ [
        {
          assertion = cfg.home.enable -> cfg.homeManagerModule != null;
          message = "agentvm: `agentvm.home.enable` needs home-manager's NixOS module; import agentvm's `nixosModules.host`, which provides it.";
        }
        {
          assertion = config.networking.nftables.enable;
          message = "agentvm: the VMs' egress policy is nftables rules; `networking.nftables.enable` must stay true.";
        }
        {
          assertion = ipv4.contains cfg.network.subnet cfg.network.gateway;
          message = "agentvm: `agentvm.network.gateway` ${cfg.network.gateway} is not in `agentvm.network.subnet` ${cfg.network.subnet}.";
        }
      ];
  };
}
