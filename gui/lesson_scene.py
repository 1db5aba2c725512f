"""A lesson is a scene: opening one sets the kept runs of everything else aside.

Runs kept by one lesson (or by hand) crowded the next lesson's plots: by the batch-size lesson
there were 16 curves on four plots (issue 22). A run set aside is hidden and leaves the plots
and their legends; it stays a kept run (in the run table, saved with the others) and one
action brings every set-aside run back. Nothing is deleted.
"""

from __future__ import annotations


class LessonScene:
    """Which kept runs belong to which lesson, and which are set aside.

    The kept runs carry both (``KeptRun.lesson_step``, ``aside``, ``superseded``) and are
    saved with them, so a restart keeps the scene: Bring Back still finds the runs a lesson
    set aside, and a lesson's result chart its runs.

    Parameters
    ----------
    session : gui.session.Session
        Its kept runs are set aside and brought back through ``set_aside``.
    """

    def __init__(self, session):
        self.session = session
        self.lesson = None

    def keep(self, lesson, step):
        """Keep the current run as step ``step`` of ``lesson`` (named by the step's label):
        an earlier run of the same step is set aside (pressing a step again replaces its
        curve, the old one kept)."""
        older = [kept.key for kept in self.session.kept if kept.lesson_step == (lesson, step)]
        kept = self.session.keep_current(lesson_step=(lesson, step))
        if kept is None:
            return None
        self.session.set_aside(older, superseded=True)
        return kept

    def focus(self, dataset):
        """A step of the open lesson on ``dataset`` starts: the lesson's runs on other data
        are set aside and its runs on this data come back (the learning-rate lesson's
        6,000-step xor runs drew its 60-step plane runs in 1 % of the width). Returns how
        many runs were set aside."""
        mine = self._runs(self.lesson)
        others = [kept.key for kept in mine if kept.visible and kept.config.dataset != dataset]
        back = [kept.key for kept in mine if kept.config.dataset == dataset
                and kept.aside and not kept.superseded]
        self.session.set_aside(others)
        self.session.set_aside(back, aside=False)
        return len(others)

    def open(self, lesson):
        """Show ``lesson``'s own runs only; returns how many other runs were set aside."""
        self.lesson = lesson
        others = [kept.key for kept in self.session.kept if kept.visible
                  and (kept.lesson_step or (None,))[0] != lesson]
        self.session.set_aside(others)
        return len(others)

    def bring_back(self):
        """Show every run set aside again; returns how many came back."""
        keys = [kept.key for kept in self.session.kept if kept.aside]
        self.session.set_aside(keys, aside=False)
        return len(keys)

    def runs_of(self, lesson):
        """``lesson``'s runs by step key (the latest of each step, shown or set aside by
        :meth:`focus`: the result chart compares them all)."""
        return {kept.lesson_step[1]: kept for kept in self._runs(lesson)
                if not kept.superseded}

    def _runs(self, lesson):
        return [kept for kept in self.session.kept
                if kept.lesson_step and kept.lesson_step[0] == lesson]
