"""Errors raised by the engine."""

from . import messages


class ConfigError(ValueError):
    """A configuration or input the engine cannot use.

    The message names the field, the value received and what would be valid, so the GUI can
    show it to the user as it is. Raised with an :class:`engine.messages.Message`, it also
    carries the message's ``template`` and ``fields``, from which the GUI translates it.
    """

    @property
    def template(self):
        """The message's template (a catalogue key); its English text if it has none."""
        message = messages.of(self)
        return str(self) if message is None else message.template

    @property
    def fields(self):
        """The values the template is formatted with ({} if it has none)."""
        message = messages.of(self)
        return {} if message is None else dict(message.fields)
