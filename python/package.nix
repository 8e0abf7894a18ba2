{
  lib,
  buildPythonApplication,
  hatchling,
  typer,
  tomli-w,
  openssh,
}:
buildPythonApplication {
  pname = "agentvm";
  version = (lib.importTOML ./pyproject.toml).project.version;
  pyproject = true;
  src = ./.;

  build-system = [ hatchling ];
  dependencies = [
    typer
    tomli-w
  ];

  # ssh-keygen makes host keys, ssh connects; both must be there whatever the user's PATH.
  makeWrapperArgs = [
    "--prefix"
    "PATH"
    ":"
    (lib.makeBinPath [ openssh ])
  ];

  pythonImportsCheck = [ "agentvm" ];

  meta = {
    description = "Create, pin and manage agentvm microVMs";
    license = lib.licenses.mit;
    mainProgram = "agentvm";
  };
}
