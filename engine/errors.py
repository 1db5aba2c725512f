"""Errors raised by the engine."""


class ConfigError(ValueError):
    """A configuration or input the engine cannot use.

    The message names the field, the value received and what would be valid, so the GUI can
    show it to the user as it is.
    """
