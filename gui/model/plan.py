"""How long the current run still has to go, in steps, at the batch size it trains with now.

Why not ``epochs × steps per epoch``: a batch size changed live applies from the next epoch,
so the epochs already trained had other step counts. Multiplying the new steps per epoch by
every epoch put a run whose batch went from 16 to 64 at epoch 6 at 74 % at half its steps,
then at 100 % (ETA 0:00) while it still trained. Counted in samples instead, the plan does not
depend on past batch sizes: every epoch is ``n_train`` samples, whatever its batch size.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """``done`` steps trained, ``remaining`` steps still planned (None: until stopped)."""

    done: int
    remaining: object = None

    @property
    def total(self):
        return None if self.remaining is None else self.done + self.remaining

    @property
    def fraction(self):
        """Share of the planned steps done (0 to 1; None: until stopped)."""
        total = self.total
        if total is None:
            return None
        return 1.0 if total <= 0 else min(self.done / total, 1.0)


def plan(step_count, samples_seen, epoch, epochs, n_train, batch_size):
    """The run's :class:`Plan`.

    Parameters
    ----------
    step_count : int
        Steps trained so far.
    samples_seen : float
        Training rows seen so far (each epoch sees ``n_train``); NaN: not known, then
        ``epoch - 1`` whole epochs are assumed done.
    epoch : int
        The epoch being trained (1-based; 0 before the first step).
    epochs : int or None
        Planned epochs; None trains until stopped.
    n_train : int
        Training rows.
    batch_size : int
        The batch size the run trains with now (more than ``n_train`` means all rows).
    """
    if epochs is None:
        return Plan(int(step_count))
    n_train = max(int(n_train), 1)
    batch = max(min(int(batch_size), n_train), 1)
    per_epoch = -(-n_train // batch)
    if samples_seen != samples_seen:  # NaN
        samples_seen = max(epoch - 1, 0) * n_train
    left_in_epoch = max(epoch * n_train - int(samples_seen), 0)
    remaining = -(-left_in_epoch // batch) + max(int(epochs) - int(epoch), 0) * per_epoch
    return Plan(int(step_count), remaining)


def duration(seconds):
    """``m:ss`` (or ``h:mm:ss``) for a number of seconds."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
