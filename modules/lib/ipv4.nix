# IPv4 arithmetic with builtins only, so the registry checks and address maps evaluate
# without nixpkgs (the offline suite runs them with bare `nix-instantiate`).
let
  octetsOf =
    address:
    let
      parts = builtins.match "([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})" address;
      octets = if parts == null then [ ] else map builtins.fromJSON parts;
    in
    if parts != null && builtins.all (octet: octet <= 255) octets then
      octets
    else
      throw "agentvm: `${address}` is not an IPv4 address.";

  pow2 = bits: if bits == 0 then 1 else 2 * pow2 (bits - 1);
in
rec {
  toInt = address: builtins.foldl' (acc: octet: acc * 256 + octet) 0 (octetsOf address);

  fromInt =
    value:
    builtins.concatStringsSep "." (
      map (shift: toString (builtins.bitAnd (value / pow2 shift) 255)) [
        24
        16
        8
        0
      ]
    );

  isAddress = address: (builtins.tryEval (toInt address)).success;

  # "192.168.83.0/24" -> { network = "192.168.83.0"; prefixLength = 24; size = 256; }
  parseCidr =
    cidr:
    let
      parts = builtins.match "([0-9.]+)/([0-9]{1,2})" cidr;
      prefixLength = builtins.fromJSON (builtins.elemAt parts 1);
      size = pow2 (32 - prefixLength);
      base = toInt (builtins.head parts);
    in
    if parts == null || prefixLength > 32 then
      throw "agentvm: `${cidr}` is not an IPv4 subnet in CIDR notation."
    else if builtins.bitAnd base (size - 1) != 0 then
      throw "agentvm: `${cidr}` has host bits set; write its network address."
    else
      {
        network = fromInt base;
        inherit prefixLength size;
      };

  contains =
    cidr: address:
    let
      subnet = parseCidr cidr;
      offset = toInt address - toInt subnet.network;
    in
    offset >= 0 && offset < subnet.size;

  # The address of host number `index` in `cidr`: the one `agentvm new` hands out for that index.
  hostAddress = cidr: index: fromInt (toInt (parseCidr cidr).network + index);
}
