"""The one exception type the CLI reports to the user."""


class AgentvmError(Exception):
    """A user error: reported as one line on stderr with exit status 1.

    Raised before anything on disk changed, or after what had changed was rolled back.
    """
