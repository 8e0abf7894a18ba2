# Reads the registry that `agentvm new` writes (vms.toml, schema 1; see DESIGN.md) into
# the shape of the host module's options. Builtins only: the offline suite evaluates it
# without nixpkgs. Anything it cannot vouch for is an evaluation error, never a guess.
let
  schema = 1;

  # TOML field -> the type the CLI writes it with (builtins.typeOf names).
  networkFields = {
    bridge = "string";
    subnet = "string";
    gateway = "string";
  };

  vmFields = {
    index = "int";
    ip = "string";
    mac = "string";
    tap = "string";
    vcpu = "int";
    mem = "int";
    user = "string";
    uid = "int";
    gid = "int";
    state_dir = "string";
    workspace = "string";
    egress = "string";
    allow = "list";
  };

  # TOML is snake_case, Nix options are camelCase.
  optionName = field: if field == "state_dir" then "stateDir" else field;

  # Checks one TOML table against its field list and renames its keys to option names.
  convertTable =
    where: fields: table:
    let
      missing = builtins.filter (field: !(table ? ${field})) (builtins.attrNames fields);
      unknown = builtins.filter (field: !(fields ? ${field})) (builtins.attrNames table);
      mistyped = builtins.filter (
        field: builtins.typeOf table.${field} != fields.${field}
      ) (builtins.attrNames fields);
    in
    if !builtins.isAttrs table then
      throw "agentvm registry: ${where} is not a table."
    else if missing != [ ] then
      throw "agentvm registry: ${where} lacks ${builtins.concatStringsSep ", " missing}."
    else if unknown != [ ] then
      throw "agentvm registry: ${where} has unknown fields ${builtins.concatStringsSep ", " unknown}; is it from a newer agentvm?"
    else if mistyped != [ ] then
      throw "agentvm registry: ${where} has fields of the wrong type: ${builtins.concatStringsSep ", " mistyped}."
    else
      builtins.listToAttrs (
        map (field: {
          name = optionName field;
          value = table.${field};
        }) (builtins.attrNames fields)
      );

  parse =
    source: text:
    let
      toml = builtins.fromTOML text;
      found = toml.schema or null;
    in
    if found != schema then
      throw "agentvm registry: ${source} has schema ${builtins.toJSON found}; this agentvm reads schema ${toString schema}."
    else
      {
        network = convertTable "${source} [network]" networkFields (toml.network or null);
        vms = builtins.mapAttrs (name: convertTable "${source} [vms.${name}]" vmFields) (toml.vms or { });
      };
in
{
  inherit schema parse;

  # The registry at `path` (a Nix path or an absolute path string).
  read = path: parse (toString path) (builtins.readFile path);
}
