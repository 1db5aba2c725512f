"""The plots' legend: a row of its own between the title and the view, never over the curves."""

import contextlib

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui import i18n
from gui.i18n import tr
from gui.plots.style import RIGHT_MARGIN, TICK_OVERHANG, cache_painting


class RowLegend(pg.LegendItem):
    """A legend in its own row of the plot's layout, between the title and the view box.

    pyqtgraph's legend floats over the view and covered curves and points wherever it was
    anchored; a column of its own right of the view (the next try) took 80-90 px of a plot's
    width and was cut off at the window's edge on small windows. In a row the entries flow
    side by side, as many to a line as the view is wide, and cost one text line of height.
    """

    def __init__(self, plot_item):
        super().__init__(offset=None, labelTextSize="8pt", verSpacing=-6, horSpacing=6)
        self.layout.setContentsMargins(2, 0, 2, 0)
        self._plot_item = plot_item
        self._entries = []  # (item, name, rank) in the order given
        self._made = {}  # id(item) -> its (sample, label), made once
        self._fitted = None  # (room, labels, texts) the names were last cut for
        self._hidden = 0
        self._more_sample = None
        self._rows_allowed = None
        self._generation = 0  # layouts begun: a nested one makes an outer one stop
        self._deferring = False  # within deferred(): layout and count wait for its end
        self._relayout_pending = False
        self._count_pending = False
        self._named = set()  # ids of the items named at their curves' ends (name_at_ends)
        self._folded = False  # those items left out (_folding)
        policy = QtWidgets.QSizePolicy.Policy
        self.setSizePolicy(policy.Maximum, policy.Fixed)
        # the top axis's cell: no plot here shows a top axis, so it leaves the layout
        plot_item.layout.removeItem(plot_item.getAxis("top"))
        plot_item.layout.addItem(self, 1, 1)
        plot_item.layout.setAlignment(self, QtCore.Qt.AlignHCenter | QtCore.Qt.AlignBottom)
        # The widget's size, not the item's: an item cannot shrink below its layout's
        # minimum, so a legend too wide for the new size would never hear of it.
        view = plot_item.getViewWidget()
        if isinstance(view, pg.GraphicsView):
            view.sigDeviceRangeChanged.connect(self.fit_columns)
        plot_item.geometryChanged.connect(self.fit_columns)

    def retranslate(self):
        """A language change: the whole names of entries cut with "…" in the new language.

        The plot relabels each whole text a ``tr`` made in place (gui.i18n.relabel_plot_items),
        but a cut name ("valida…") is no text ``tr`` made; its whole name is translated here
        and cut again for the room."""
        for _sample, label in self.items:
            whole = self._full_name(label)
            # the source is remembered: a translation made here is not one tr made for an
            # item, so the next change would not find it
            remembered = getattr(label, "cut_source", None)
            if remembered and remembered[0] == whole:
                source = remembered[1]
            elif label.text != whole:  # cut: the plot's relabelling could not know it
                source = i18n.source_of(whole)
            else:
                continue  # shown whole: relabelled in place by the plot
            if source is None:
                continue  # not a text tr made (a kept run's label): the drawer renames those
            context, original, params = source
            new = tr(original, context=context, **(params or {}))
            label.cut_source = (new, source)
            if label.text == whole:
                _name(label, new)
            else:
                label.full_text = new  # cut again for the room below
        # the entries laid out again for their new widths: which kept runs the rows still
        # hold, and the "+N more" count, in the new language
        self._fitted = None
        self._relayout()

    def _entry_width(self, sample, label):
        return (sample.boundingRect().width() + label.item.boundingRect().width()
                + 2 * self.layout.horizontalSpacing() + 4)

    def fit_columns(self, *_args):
        """As many entries to a line as fit over the view box (at least one)."""
        if not self.items:
            return
        self._fit_labels()
        columns = self._columns_fitting(self._room())
        rows_allowed = self.max_rows()
        if (rows_allowed != self._rows_allowed and (
                self._hidden or len(self._entries) > columns * rows_allowed)) or (
                self._folding() != self._folded):
            self._rows_allowed = rows_allowed  # a new height: choose the entries again
            self._relayout()
            return
        self._rows_allowed = rows_allowed
        if columns == self.columnCount:
            return
        self.setColumnCount(columns)
        self.updateGeometry()
        item = self._plot_item
        view = item.getViewWidget()
        if view is not None and getattr(view, "centralWidget", None) is item:
            # the item was held at the old legend's minimum width: give it the view's again
            item.layout.invalidate()
            item.setGeometry(view.range)

    def _columns_fitting(self, room):
        """The most columns whose entries fit side by side in ``room``: a column is as wide
        as its widest entry, entries fill the lines left to right (three short entries
        share a line that three of the widest would not)."""
        widths = [sample.boundingRect().width() + label.item.boundingRect().width()
                  for sample, label in self.items]
        left, _top, right, _bottom = self.layout.getContentsMargins()
        spacing = self.layout.horizontalSpacing()
        for columns in range(len(widths), 1, -1):
            # a sample and a label are two cells of the grid, the spacing between each two
            if (sum(max(widths[start::columns]) for start in range(columns))
                    + (2 * columns - 1) * spacing + left + right) <= room:
                return columns
        return 1

    def _room(self):
        """The width the legend may take: the view box's, between the axes."""
        item = self._plot_item
        view = item.getViewWidget()  # the item itself can be stretched by a too-wide legend
        width = view.width() if view is not None else item.width()
        return width - sum(item.getAxis(side).width() for side in ("left", "right")
                           if item.getAxis(side).isVisible()) - RIGHT_MARGIN - TICK_OVERHANG

    @staticmethod
    def _full_name(label):
        """A label's whole name: as given, unless someone (a language change) set a new one."""
        if getattr(label, "shown_text", None) is not None and label.text == label.shown_text:
            return label.full_text
        return label.text

    def _fit_labels(self):
        """An entry wider than the room is cut with "…" (its whole name is its tooltip): a
        long kept-run label had stretched the plot past its widget and clipped its axes.
        Nothing to do while the room and the entries stay as they were (a view-range change
        during training calls this through fit_columns)."""
        room = self._room()
        fitted = (room, tuple(id(label) for _sample, label in self.items),
                  tuple(label.text for _sample, label in self.items))
        if fitted == self._fitted:
            return
        for sample, label in self.items:
            name = self._full_name(label)
            label.full_text = name
            limit = room - sample.boundingRect().width() - 2 * self.layout.horizontalSpacing() - 4
            metrics = QtGui.QFontMetricsF(label.item.font())
            shown = (name if metrics.horizontalAdvance(name) <= limit else
                     metrics.elidedText(name, QtCore.Qt.ElideRight, max(limit, 20.0)))
            if shown != label.text:
                label.setText(shown)
            label.shown_text = shown
            tip = name if shown != name else ""
            if label.toolTip() != tip:
                label.setToolTip(tip)
        self._fitted = (room, fitted[1], tuple(label.text for _sample, label in self.items))

    def addItem(self, item, name, spare=False, listed=False):
        """Name ``item``; a ``spare`` entry (a kept run) gives way when the rows are full; a
        ``listed`` one (a lesson's run) takes more rows first, up to :data:`LISTED_SHARE`."""
        known = any(entry[0] is item for entry in self._entries)
        pair = self._made.get(id(item))
        if known and pair is not None:
            # named again: the label takes the name now, or the relayout below would keep
            # the label's older name (a label showed another entry's name)
            _name(pair[1], name)
        self._entries = [entry for entry in self._entries if entry[0] is not item]
        rank = SPARE if spare else LISTED if listed else ESSENTIAL
        self._entries.append((item, name, rank))
        if rank == SPARE and not known and self._hidden:
            # the rows are full and a new spare entry comes last: only the count changes
            # (a sweep keeps runs by the dozen, and each relayout cost 4 ms a plot)
            self._count_hidden(self._hidden + 1)
            return
        self._relayout()

    @contextlib.contextmanager
    def deferred(self):
        """Changes inside lay the rows out and write the "+N more" count once, at the end:
        each addItem or removeItem lays out every row (5 ms at 60 rows), and a sweep keeps
        runs by the batch."""
        if self._deferring:
            yield
            return
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False
            if self._relayout_pending:
                self._relayout()
            elif self._count_pending:
                self._show_count()

    def _count_hidden(self, hidden):
        self._hidden = hidden
        if self._deferring:
            self._count_pending = True
            return
        self._show_count()

    def _show_count(self):
        self._count_pending = False
        hidden = self._hidden
        more = self._made.get(id(self._more_sample))
        _name(more[1], tr("+{count} more (see Runs)", count=hidden))
        self._fitted = None
        self.fit_columns()

    def rename(self, item, name):
        """Give ``item``'s entry a new name in place: no relayout of every entry (10 ms at
        22 entries) when only a text changes, as the best epoch's does at each epoch end."""
        pair = self._made.get(id(item))
        if pair is None or pair not in self.items:
            self._entries = [(entry, name if entry is item else old, spare)
                             for entry, old, spare in self._entries]
            self._relayout()
            return
        self._entries = [(entry, name if entry is item else old, spare)
                         for entry, old, spare in self._entries]
        _name(pair[1], name)
        self.fit_columns()

    def restyled(self, item):
        """``item``'s pen or symbols changed: its sample is painted anew. A sample paints
        from its item's style but is not told of a change, so the screen kept the old one
        until the next full repaint (dots on an epoch plot's sample past 40 epochs)."""
        pair = self._made.get(id(item))
        if pair is not None:
            pair[0].update()

    def add_spare(self, item, name):
        self.addItem(item, name, spare=True)

    def order(self, items):
        """Put the entries of ``items`` in that order, after the others (kept in theirs).

        The plots take runs at different moments (a sweep's runs are drawn and kept one plot
        per turn), so each legend had its own order and, the rows full, named other runs
        before "+N more": every legend now names them in the order of the collection."""
        rank = {id(item): index for index, item in enumerate(items)}
        ordered = sorted(self._entries, key=lambda entry: rank.get(id(entry[0]), -1))
        if any(new[0] is not old[0] for new, old in zip(ordered, self._entries)):
            self._entries = ordered
            self._relayout()

    def removeItem(self, item):
        gone = [entry for entry in self._entries if entry[0] is item
                or (isinstance(item, str) and entry[1] == item)]
        if not gone:  # not in the legend (PlotItem.removeItem asks for every item)
            return
        shown = {id(sample.item) for sample, _label in self.items}
        self._entries = [entry for entry in self._entries if entry not in gone]
        if (self._hidden > len(gone) and all(entry[2] for entry in gone)
                and not any(id(entry[0]) in shown for entry in gone)):
            # spare entries the legend did not show: only the count changes
            for entry in gone:
                pair = self._made.pop(id(entry[0]), None)
                if pair is not None:
                    self._discard(*pair)
            self._count_hidden(self._hidden - len(gone))
            return
        self._relayout()

    def clear(self):
        self._entries = []
        self._relayout()

    def max_rows(self, share=None):
        """Lines the legend may take: ``share`` (LEGEND_SHARE) of the plot's height, and no
        more than leave the view box :data:`MIN_VIEW_HEIGHT`; at least one."""
        view = self._plot_item.getViewWidget()
        height = view.height() if view is not None else self._plot_item.height()
        share = LEGEND_SHARE if share is None else share
        rows = int(share * height // LEGEND_ROW_HEIGHT)
        # at 1024 x 640 the batch-size lesson's legends took 45 % of plots 140 px tall and
        # left their views 20-60 px
        floor = int((height - self._overhead() - MIN_VIEW_HEIGHT) // LEGEND_ROW_HEIGHT)
        return max(1, min(rows, floor))

    def _overhead(self):
        """The plot's height that is neither this legend nor its view box (its title and x
        axis), as laid out now; an estimate before the first layout."""
        item = self._plot_item
        view_height = item.vb.height()
        if view_height <= 0:
            return DEFAULT_OVERHEAD
        return max(item.height() - view_height - self.geometry().height(), 0.0)

    def name_at_ends(self, items):
        """``items`` (the legend's items) are named at their curves' ends
        (gui.plots.end_labels): lesson runs among them leave the legend first when the
        legend has no room for all (their names stay on the plot, where the curves end)."""
        named = {id(item) for item in items}
        if named == self._named and self._folding() == self._folded:
            return
        self._named = named
        if any(rank == LISTED for _item, _name, rank in self._entries):
            self._relayout()

    @property
    def hidden_count(self):
        """Spare entries left out for want of room (the "+N more" entry counts them)."""
        return self._hidden

    def _relayout(self):
        """Lay the entries out again: the essential ones (the current run's curves, the best
        epoch) first, then the spare ones (kept runs) as far as ``max_rows`` lines allow, the
        rest counted in a last "+N more" entry (the run table lists every run).

        An entry's sample and label are made once and reused: making them anew for every
        entry on each change cost 2 ms an entry, and closed items by the dozen.
        """
        if self._deferring:
            self._relayout_pending = True
            return
        self._relayout_pending = self._count_pending = False  # the count comes with the rows
        self._generation += 1  # a layout under way (_layout_entries) knows it was redone
        # names changed on the labels since they were given (a language change relabels
        # them in place) are the names from now on
        current = {id(sample.item): self._full_name(label) for sample, label in self.items}
        self._entries = [(item, current.get(id(item), name), spare)
                         for item, name, spare in self._entries]
        for index in range(self.layout.count() - 1, -1, -1):
            self.layout.removeAt(index)
        made = self._made
        wanted = {id(item) for item, _name, _spare in self._entries}
        if self._more_sample is not None:
            wanted.add(id(self._more_sample))
        for key in [key for key in made if key not in wanted]:
            self._discard(*made.pop(key))
        self.items = []
        self._hidden = 0
        self.columnCount = -1  # makes fit_columns rebuild the rows
        self.rowCount = 1
        entries = self._entries
        if not entries:
            for pair in made.values():
                self._show_pair(pair, False)
            self.columnCount = 1
            self.updateSize()
            self.updateGeometry()
            return
        self._layout_entries()

    def _folding(self):
        """Whether the lesson runs named at their curves' ends leave the legend: when the
        lines allowed (:data:`LISTED_SHARE`) cannot hold every essential and listed entry.

        Reckoned from the names' widths in the legend's font, not from the entries laid out:
        with the named entries gone the others fit more to a line, and a count from them
        would bring the named ones back, and so on."""
        entries = [(name, rank) for item, name, rank in self._entries if rank != SPARE]
        if not any(rank == LISTED and id(item) in self._named
                   for item, _name, rank in self._entries):
            return False
        font = QtGui.QFont()
        font.setPointSizeF(LABEL_POINTS)
        metrics = QtGui.QFontMetricsF(font)
        widest = max(metrics.horizontalAdvance(name) for name, _rank in entries)
        widest += SAMPLE_WIDTH + 2 * self.layout.horizontalSpacing() + 4
        columns = max(1, int(self._room() // widest))
        return len(entries) > columns * self.max_rows(LISTED_SHARE)

    def _fold_named(self, listed):
        """``listed`` without the entries named at their curves' ends while
        :meth:`_folding`."""
        self._folded = self._folding()
        if not self._folded:
            return listed
        for item, _name in listed:
            if id(item) in self._named and id(item) in self._made:
                self._show_pair(self._made[id(item)], False)
        return [(item, name) for item, name in listed if id(item) not in self._named]

    def _show_with_count(self, kept, total):
        """Lay out ``kept`` and a last "+N more" entry counting the other ``total - len(kept)``
        entries; return the pairs shown."""
        self._hidden = total - len(kept)
        if self._more_sample is None:
            self._more_sample = pg.PlotDataItem([], [], pen=None)
        more = self._pair(self._more_sample, tr("+{count} more (see Runs)", count=self._hidden))
        shown = kept + [more]
        for index in range(self.layout.count() - 1, -1, -1):
            self.layout.removeAt(index)
        self.items = list(shown)
        self.columnCount = -1
        self.fit_columns()
        return shown

    def _pair(self, item, name):
        """The (sample, label) of ``item``, made on first use, named ``name``."""
        made = self._made
        pair = made.get(id(item))
        if pair is None:
            label = pg.LabelItem(name, color=self.opts["labelTextColor"], justify="left",
                                 size=self.opts["labelTextSize"])
            _name(label, name)
            sample = item if isinstance(item, self.sampleType) else self.sampleType(item)
            sample.sigClicked.connect(self.sigSampleClicked)
            pair = made[id(item)] = (sample, label)
        elif self._full_name(pair[1]) != name:
            _name(pair[1], name)
        return pair

    @staticmethod
    def _show_pair(pair, shown):
        for part in pair:
            part.setVisible(shown)

    def _discard(self, sample, label):
        for part in (sample, label):
            part.close()
            scene = part.scene()
            if scene is not None:
                scene.removeItem(part)

    def _layout_entries(self):
        entries = self._entries
        essential = [(item, name) for item, name, rank in entries if rank == ESSENTIAL]
        listed = [(item, name) for item, name, rank in entries if rank == LISTED]
        spare = [(item, name) for item, name, rank in entries if rank == SPARE]
        listed = self._fold_named(listed)
        # Only the spare entries that could fit get a sample and label (a sweep keeps dozens
        # of runs, and naming each hidden one cost a text layout per entry and relayout):
        # as many as a line holds of the narrowest entry made so far, per allowed line, and
        # one to spare.
        known = [self._entry_width(*pair) for pair in
                 (self._made.get(id(item)) for item, _name in spare) if pair is not None]
        narrowest = max(MIN_ENTRY_WIDTH, min(known, default=MIN_ENTRY_WIDTH))
        fitting = self.max_rows() * max(1, int(self._room() // narrowest)) + 1
        ordered = [self._pair(item, name)
                   for item, name in essential + listed + spare[:fitting]]
        self.items = list(ordered)
        generation = self._generation
        self.fit_columns()  # cuts too-long names first
        if self._generation != generation:
            return  # fitting the columns laid everything out anew (a new height)
        columns = max(self.columnCount, 1)
        room = columns * self.max_rows()
        # a lesson's runs take more lines, but never the plot: past LISTED_SHARE of its
        # height they are counted too (their end labels and the run table name them; at the
        # minimum window size 14 listed runs hid the batch-size lesson's plots entirely)
        listed_room = columns * self.max_rows(LISTED_SHARE)
        must = len(essential) + len(listed)
        if must > listed_room:
            must = max(len(essential), listed_room - 1)
        shown = ordered
        kept = ordered[:max(room - 1, must)]
        total = len(essential) + len(listed) + len(spare)
        hidden = total - len(kept)
        if total > room and hidden > 0:
            # (essential entries alone never give way, so they may fill the rows with none
            # hidden: then there is no "+0 more")
            shown = self._show_with_count(kept, total)
            if self._generation != generation:
                return  # fitting the columns laid everything out anew (a new height)
            # the count's entry may be the widest and leave fewer columns than estimated:
            # listed entries then give way to the rows those columns allow
            rows = max(self.max_rows(), self.max_rows(LISTED_SHARE))
            if listed and self.rowCount > rows:
                kept = kept[:max(len(essential), self.columnCount * rows - 1)]
                shown = self._show_with_count(kept, total)
                if self._generation != generation:
                    return
        visible = {id(pair[0]) for pair in shown}
        for pair in self._made.values():
            self._show_pair(pair, id(pair[0]) in visible)
        self.updateSize()


#: A legend may take this share of its plot's height, in lines of this many pixels (8 pt).
LEGEND_SHARE = 0.2
#: ... and this share when it lists a lesson's runs.
LISTED_SHARE = 0.45
#: An entry's rank: always shown, shown up to LISTED_SHARE, shown while there is room.
ESSENTIAL, LISTED, SPARE = 0, 1, 2
LEGEND_ROW_HEIGHT = 15
#: The labels' size (points, as labelTextSize says) and a sample's width (px).
LABEL_POINTS = 8
SAMPLE_WIDTH = 20
#: The least height (px) a legend leaves its plot's view box, lines permitting one.
MIN_VIEW_HEIGHT = 120
#: A plot's title and x axis (px), until it is laid out and they can be measured.
DEFAULT_OVERHEAD = 70
#: The narrowest an entry can be (px): its 20 px sample, spacing and a one-letter name.
MIN_ENTRY_WIDTH = 40


def _name(label, name):
    """Set ``label``'s whole name, shown as it is until :meth:`RowLegend._fit_labels` cuts it:
    what the legend set is known, so a text set by someone else (a language change) is told
    from a name the legend gave."""
    if label.text != name:
        label.setText(name)
    label.full_text = label.shown_text = name


def side_legend(item):
    """The plot's legend (``item.legend``), a :class:`RowLegend` above its view box."""
    legend = RowLegend(item)
    item.legend = legend
    cache_painting(legend)
    return legend
