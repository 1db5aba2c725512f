"""A lesson is a scene: opening one sets the kept runs of everything else aside.

Runs kept by one lesson (or by hand) crowded the next lesson's plots: by the batch-size lesson
there were 16 curves on four plots (issue 22). A run set aside is hidden and leaves the plots
and their legends; it stays a kept run (in the run table, saved with the others) and one
action brings every set-aside run back. Nothing is deleted.
"""

from __future__ import annotations


class LessonScene:
    """Which kept runs belong to which lesson, and which are set aside.

    Parameters
    ----------
    session : gui.session.Session
        Its kept runs are shown and hidden through ``set_visible``.
    """

    def __init__(self, session):
        self.session = session
        self.lesson = None
        self.owner = {}      # kept-run key -> (lesson key, step key)
        self.aside = set()   # kept-run keys hidden by a lesson's opening
        self.superseded = set()  # kept-run keys of a step pressed again since

    def keep(self, label, lesson, step):
        """Keep the current run as step ``step`` of ``lesson``: an earlier run of the same
        step is set aside (pressing a step again replaces its curve, the old one kept)."""
        older = [key for key, owner in self.owner.items() if owner == (lesson, step)]
        kept = self.session.keep_current(name=label)
        if kept is None:
            return None
        self.owner[kept.key] = (lesson, step)
        self.superseded.update(older)
        self._set_aside(older)
        return kept

    def focus(self, dataset):
        """A step of the open lesson on ``dataset`` starts: the lesson's runs on other data
        are set aside and its runs on this data come back (the learning-rate lesson's
        6,000-step xor runs drew its 60-step plane runs in 1 % of the width). Returns how
        many runs were set aside."""
        mine = [kept for kept in self.session.kept
                if self.owner.get(kept.key, (None,))[0] == self.lesson]
        others = [kept.key for kept in mine if kept.visible and kept.config.dataset != dataset]
        back = [kept.key for kept in mine if kept.config.dataset == dataset
                and kept.key in self.aside and kept.key not in self.superseded]
        self._set_aside(others)
        for key in back:
            self.aside.discard(key)
            self.session.set_visible(key, True)
        return len(others)

    def open(self, lesson):
        """Show ``lesson``'s own runs only; returns how many other runs were set aside."""
        self.lesson = lesson
        others = [kept.key for kept in self.session.kept if kept.visible
                  and self.owner.get(kept.key, (None, None))[0] != lesson]
        self._set_aside(others)
        return len(others)

    def bring_back(self):
        """Show every run set aside again; returns how many came back."""
        keys, self.aside = self.aside, set()
        for key in keys:
            self.session.set_visible(key, True)
        return len(keys)

    def runs_of(self, lesson):
        """``lesson``'s runs by step key (the latest of each step, shown or set aside by
        :meth:`focus`: the result chart compares them all)."""
        return {self.owner[kept.key][1]: kept for kept in self.session.kept
                if self.owner.get(kept.key, (None,))[0] == lesson
                and kept.key not in self.superseded}

    def shown(self, kept_runs):
        """The kept runs the plots draw: all but those set aside (a set-aside run shown again
        from the run table is drawn again); while a lesson is open, its shown runs only (runs
        hidden before, or in an earlier session, left 40 greyed entries in its legends)."""
        if self.lesson is not None:
            return [kept for kept in kept_runs if kept.visible]
        return [kept for kept in kept_runs if kept.visible or kept.key not in self.aside]

    def _set_aside(self, keys):
        for key in keys:
            self.aside.add(key)
            self.session.set_visible(key, False)
