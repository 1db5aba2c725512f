"""The run commands' worker port: each request of :class:`gui.model.commands.RunCommands`
carried out as a job of :mod:`gui.worker` (the model stays Qt-free; this adapter is the one
place that knows which job a request is)."""

from gui import worker as jobs


class JobsPort:
    """``RunCommands``' requests on ``jobs`` (a :class:`gui.worker.Jobs`)."""

    def __init__(self, jobs_):
        self.jobs = jobs_

    @property
    def busy(self):
        return self.jobs.busy

    @property
    def fit_active(self):
        return self.jobs.fit_active

    def train(self):
        self.jobs.submit(jobs.Train())

    def step(self):
        self.jobs.submit(jobs.Step())

    def attach(self, run_id, trainer, geometry):
        self.jobs.submit(jobs.Attach(run_id, trainer, geometry))

    def pause(self):
        self.jobs.pause()

    def resume(self):
        self.jobs.resume()

    def halt(self):
        self.jobs.halt_fit()

    def update(self, **changes):
        self.jobs.command(jobs.command("update", **changes))


__all__ = ["JobsPort"]
