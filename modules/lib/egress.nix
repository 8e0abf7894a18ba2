# The egress policy of the VMs as nftables tables and a dnsmasq configuration, computed
# from the registry's values with builtins only (the offline suite loads exactly this
# text into network namespaces and sends real packets through it; see SECURITY.md).
#
#   internet   the internet through the host's NAT; no private, shared, link-local,
#              multicast or reserved IPv4 range, no IPv6, no host port but DNS
#   allowlist  only addresses that the host's dnsmasq resolved for the VM's listed
#              domains (nftables sets that dnsmasq fills); DNS only from the host
#   none       nothing; connections the host opens (SSH) are answered
#
# In every mode VMs cannot reach each other (bridge-family rules), and nothing outside
# the host can open a connection to a VM.
let
  # Destinations no VM may reach: RFC 1918, CGNAT, loopback, link-local (cloud metadata
  # at 169.254.169.254), "this network", IETF protocol assignments, benchmarking,
  # multicast and reserved (which includes the broadcast address).
  blockedRanges = [
    "0.0.0.0/8"
    "10.0.0.0/8"
    "100.64.0.0/10"
    "127.0.0.0/8"
    "169.254.0.0/16"
    "172.16.0.0/12"
    "192.0.0.0/24"
    "192.168.0.0/16"
    "198.18.0.0/15"
    "224.0.0.0/4"
    "240.0.0.0/4"
  ];

  # Reached through the host's NAT by `internet` VMs, asked by dnsmasq for `allowlist` ones.
  publicResolvers = [
    "9.9.9.9"
    "1.1.1.1"
  ];

  table = "agentvm";
  join = builtins.concatStringsSep;
  quoted = name: ''"${name}"'';
  set = elements: "{ ${join ", " elements} }";
  lines = builtins.concatStringsSep "\n";

  # `vms` maps names to the registry's VM fields (index, ip, tap, egress and allow are
  # read). One table per family: nftables runs each hook's chains in every table, and a
  # packet passes only if no table drops it.
  policy =
    {
      bridge,
      gateway,
      vms,
      upstreams ? publicResolvers,
    }:
    let
      vmList = builtins.attrValues vms;
      inMode = mode: builtins.filter (vm: vm.egress == mode) vmList;
      ipsOf = map (vm: vm.ip);
      allowSet = vm: "allow_${toString vm.index}";
      taps = map (vm: quoted vm.tap) vmList;
      resolving = inMode "internet" ++ inMode "allowlist";
      allowlisted = builtins.filter (vm: vm.allow != [ ]) (inMode "allowlist");
      domains = builtins.attrNames (
        builtins.listToAttrs (
          map (domain: {
            name = domain;
            value = null;
          }) (builtins.concatMap (vm: vm.allow) allowlisted)
        )
      );
      allowingVms = domain: builtins.filter (vm: builtins.elem domain vm.allow) allowlisted;
    in
    {
      tables = {
        agentvm = {
          family = "inet";
          name = table;
          content = lines (
            [
              "set blocked4 {"
              "  type ipv4_addr; flags interval;"
              "  elements = ${set blockedRanges}"
              "}"
            ]
            ++ map (vm: "set ${allowSet vm} { type ipv4_addr; }") allowlisted
            ++ [
              "chain input {"
              "  type filter hook input priority filter; policy accept;"
              "  iifname ${quoted bridge} jump from_vms"
              "}"
              "chain from_vms {"
              "  ct state established,related accept"
            ]
            ++ (
              if resolving == [ ] then
                [ ]
              else
                [
                  "  ip saddr ${set (ipsOf resolving)} ip daddr ${gateway} udp dport 53 accept"
                  "  ip saddr ${set (ipsOf resolving)} ip daddr ${gateway} tcp dport 53 accept"
                ]
            )
            ++ [
              "  drop"
              "}"
              "chain forward {"
              "  type filter hook forward priority filter; policy accept;"
              "  iifname ${quoted bridge} jump vm_egress"
              "  oifname ${quoted bridge} ct state established,related accept"
              "  oifname ${quoted bridge} drop"
              "}"
              "chain vm_egress {"
              "  ct state established,related accept"
              "  meta nfproto ipv6 drop"
              "  ip daddr @blocked4 drop"
            ]
            ++ (
              if inMode "internet" == [ ] then
                [ ]
              else
                [ "  ip saddr ${set (ipsOf (inMode "internet"))} accept" ]
            )
            ++ map (vm: "  ip saddr ${vm.ip} ip daddr @${allowSet vm} accept") allowlisted
            ++ [
              "  drop"
              "}"
            ]
          );
        };
        agentvm-bridge = {
          family = "bridge";
          name = table;
          content = lines (
            [
              "chain forward {"
              "  type filter hook forward priority filter; policy accept;"
            ]
            ++ (if taps == [ ] then [ ] else [ "  iifname ${set taps} oifname ${set taps} drop" ])
            ++ [ "}" ]
          );
        };
      };

      # services.dnsmasq.settings; null when no VM has an allowlist.
      dnsmasq =
        if allowlisted == [ ] then
          null
        else
          {
            listen-address = gateway;
            bind-dynamic = true;
            no-resolv = true;
            no-hosts = true;
            # Every name that no allowlist lists has no address.
            address = [ "/#/" ];
            server = builtins.concatMap (domain: map (upstream: "/${domain}/${upstream}") upstreams) domains;
            nftset = map (
              domain: "/${domain}/${join "," (map (vm: "4#inet#${table}#${allowSet vm}") (allowingVms domain))}"
            ) domains;
          };
    };
in
{
  inherit blockedRanges publicResolvers policy;
}
