"""The app model's plain-Python event: what the session, the draft, the commands and the
collection of runs announce, and what the window and the drawer of runs connect to. No Qt:
the model is tested without an application."""


class Event:
    """A plain-Python event: ``connect(callback)``, then ``emit(*args)`` calls each callback."""

    def __init__(self):
        self._callbacks = []

    def connect(self, callback):
        self._callbacks.append(callback)

    def emit(self, *args):
        for callback in list(self._callbacks):
            callback(*args)


__all__ = ["Event"]
