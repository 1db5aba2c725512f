"""Translations and the Hangul font.

The catalogue (gui/translations/losslab_ko.ts) must cover every string the code marks, be
compiled, and keep each text's placeholders; engine messages translate by template; Korean
renders with the shipped font on a machine without a CJK font; and in Korean mode the window
shows no English text (the walk at the end).
"""

import json
import os
import re
import shutil
import string
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from engine import ConfigError, Trainer, TrainingConfig, activations, config, datasets
from engine import losses, messages, optimizers, schedules
from engine import trainer as trainer_module
from gui import glossary, i18n

TS_FILE = i18n.TRANSLATIONS_DIR / "losslab_ko.ts"
QM_FILE = i18n.TRANSLATIONS_DIR / "losslab_ko.qm"
GUI_DIR = i18n.TRANSLATIONS_DIR.parent
HANGUL = re.compile("[\uac00-\ud7a3]")


def catalogue(path=TS_FILE):
    """``{(context, source): (translation, type)}`` read from a .ts file."""
    entries = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            entries[(name, message.findtext("source"))] = (translation.text or "",
                                                          translation.get("type", ""))
    return entries


def fields(text):
    return sorted((name, spec) for _, name, spec, _ in string.Formatter().parse(text)
                  if name is not None)


def tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (it ships with PySide6-Essentials)")
    return path


# -- the catalogue ---------------------------------------------------------------------------

def test_every_marked_string_has_a_finished_translation_with_the_same_fields(tmp_path):
    """Every key in both languages: lupdate over gui/ and engine/ (the registries' texts) finds
    nothing the .ts lacks, and every entry is translated (not "unfinished", not empty) and keeps
    the source's {fields}."""
    copy = tmp_path / "check_ko.ts"
    shutil.copy(TS_FILE, copy)
    result = subprocess.run([tool("pyside6-lupdate"), "-extensions", "py", "-locations", "none",
                             str(GUI_DIR), str(GUI_DIR.parent / "engine"), "-ts", str(copy)],
                            capture_output=True, text=True, timeout=120, check=True)
    assert "Found" in result.stdout, result.stdout
    entries = catalogue()
    extracted = catalogue(copy)
    new = sorted(key for key in extracted if key not in entries)
    vanished = sorted(key for key, value in extracted.items() if value[1] == "vanished")
    assert (new, vanished) == ([], []), "run pyside6-lupdate and translate (see gui/i18n.py)"
    assert len(entries) > 150
    bad = {key: value for key, value in entries.items()
           if value[1] in ("unfinished", "vanished", "obsolete") or not value[0].strip()}
    assert bad == {}
    mismatched = [source for (_, source), (translated, _) in entries.items()
                  if set(fields(source)) != set(fields(translated))]
    assert mismatched == []
    assert glossary.missing_translations() == []


def test_compiled_catalogue_matches_its_source(tmp_path):
    compiled = tmp_path / "losslab_ko.qm"
    subprocess.run([tool("pyside6-lrelease"), str(TS_FILE), "-qm", str(compiled)],
                   capture_output=True, timeout=120, check=True)
    assert compiled.read_bytes() == QM_FILE.read_bytes(), (
        "losslab_ko.qm is stale: run pyside6-lrelease (see gui/i18n.py)")


def test_tr_translates_formats_and_falls_back():
    assert i18n.tr("Loss", "ko") == "손실 함수"
    assert i18n.tr("Loss", "en") == "Loss"
    assert i18n.tr("Cannot start with these settings: {reason}", "ko", reason="x") == (
        "이 설정으로는 시작할 수 없습니다: x")
    assert i18n.tr("not in the catalogue", "ko") == "not in the catalogue"
    assert glossary.tooltip("batch_size", "ko").startswith("<b>배치 크기</b><br>")
    assert glossary.loss_note("poisson", "ko").startswith("개수")
    assert glossary.loss_note("no such loss", "ko") == ""
    with pytest.raises(ValueError, match="language 'xx' is unknown"):
        i18n.set_language("xx")


# -- engine messages -------------------------------------------------------------------------

def engine_messages():
    """Messages the engine really writes (engine.messages.Message), from the GUI's reachable
    mistakes and a divergence."""
    found = {}

    def catch(name, make):
        with pytest.raises(ConfigError) as caught:
            make()
        found[name] = caught.value

    catch("incompatible", lambda: TrainingConfig(dataset="sine",
                                                 loss="binary_crossentropy").validate())
    catch("activation", lambda: TrainingConfig(dataset="circle", loss="poisson",
                                               output_activation="tanh").validate())
    catch("range", lambda: TrainingConfig(validation_split=0.95).validate())
    catch("whole", lambda: TrainingConfig(batch_size=0).validate())
    catch("unknown", lambda: TrainingConfig(optimizer="nope").validate())
    catch("layers", lambda: TrainingConfig(hidden_layers=tuple([4] * 11)).validate())
    catch("json", lambda: config.parse_json("{ not json", "config file x.json"))
    trainer = Trainer(TrainingConfig(dataset="sine", loss="mse", learning_rate=100.0,
                                     optimizer="sgd", epochs=50, seed=0))
    history = trainer.fit()
    assert history.diverged is not None
    found["diverged"] = history.diverged.message
    return found


def test_engine_messages_translate_from_their_template_and_fields():
    """Each message keeps the template it was made from (a catalogue entry with a Korean
    translation) and its fields; in English the GUI shows exactly the engine's text."""
    for name, message in engine_messages().items():
        template = messages.of(message).template
        assert i18n.has_translation(template, "ko", i18n.ENGINE_CONTEXT), (name, template)
        korean = i18n.tr(message, "ko")
        assert HANGUL.search(korean) and korean != str(message), (name, korean)
        assert i18n.tr(message, "en") == str(message)
    incompatible = i18n.tr(engine_messages()["incompatible"], "ko")
    assert "'sine' 데이터셋" in incompatible and "회귀 데이터셋" in incompatible
    assert "이진 분류, 다중 분류" in incompatible


def test_a_message_survives_pickling_with_its_template():
    """A sweep's worker processes send their errors back pickled."""
    import pickle

    from engine.pool import WorkerDied
    error = engine_messages()["whole"]
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) and again.template == error.template
    assert again.fields == error.fields
    died = pickle.loads(pickle.dumps(WorkerDied(7, -9)))
    assert i18n.tr(died, "ko") == i18n.tr(WorkerDied(7, -9), "ko") != str(died)


def test_built_in_datasets_descriptions_and_class_names_are_translated():
    species = {"setosa", "versicolor", "virginica"}  # names, the same in Korean
    for name in datasets.names():
        info = datasets.info(name)
        assert HANGUL.search(i18n.tr(info.description, "ko")), info.description
        for class_name in info.class_names:
            if not class_name.isdigit() and class_name not in species:
                assert HANGUL.search(i18n.tr(class_name, "ko")), class_name


def test_engine_message_fields_that_are_names_stay_as_written():
    """A dataset called "regression" stays so: only fields that are messages translate."""
    from engine.config import task_incompatibility
    message = task_incompatibility("regression", "regression", "hinge")
    korean = i18n.tr(message, "ko")
    assert "'regression' 데이터셋" in korean and "이진 분류" in korean and "회귀 데이터셋" in korean
    assert i18n.tr("an unknown sentence", "ko") == "an unknown sentence"


def test_a_divergence_in_a_korean_window_is_told_from_its_template_and_fields(
        make_window, qtbot, messages):
    """The divergence box in Korean is the engine's message translated from its template and
    fields, its two pieces of advice too. (The old GUI parsed the English back with templates:
    a message with both the large-batch and the linear-scaling advice matched no template
    for its advice, which stayed English.)"""
    window = make_window()
    window.set_language("ko")
    for field, value in (("dataset", "sine"), ("loss", "mean_squared_error"),
                         ("n_samples", 1000), ("batch_size", 512), ("linear_scaling", True),
                         ("base_batch_size", 32), ("learning_rate", 1.0), ("epochs", 50)):
        window.panel.set_value(field, value)
    assert window.reset()
    window.start_pause()
    qtbot.waitUntil(lambda: any(kind == "warning" for kind, _title, _text in messages),
                    timeout=30000)
    message = window.trainer.history.diverged.message
    assert {part.template for part in messages_of_advice(message)} == {
        trainer_module.LARGE_BATCH_ADVICE, trainer_module.SCALING_ADVICE}
    kind, title, text = next(box for box in messages if box[0] == "warning")
    assert title == "학습이 발산했습니다"
    assert text.startswith(i18n.tr(message, "ko") + "\n\n")
    assert "워밍업" in text and "선형 스케일링" in text
    assert "With a large batch" not in text and "Linear scaling" not in text


def messages_of_advice(message):
    """The advice sentences joined after a divergence message's first sentence."""
    return [part for name, part in messages.of(message).fields.items() if name != "part0"]


# -- the Hangul font -------------------------------------------------------------------------

def glyph_runs(font, text):
    from PySide6 import QtGui
    layout = QtGui.QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    flags = QtGui.QTextLayout.GlyphRunRetrievalFlag
    runs = layout.glyphRuns(-1, -1, flags.RetrieveGlyphIndexes | flags.RetrieveStringIndexes)
    return [(run.rawFont().familyName(), list(run.glyphIndexes()), list(run.stringIndexes()))
            for run in runs]


PREMISE = """
import json
from PySide6 import QtGui, QtWidgets
app = QtWidgets.QApplication([])
def glyphs():
    layout = QtGui.QTextLayout("언어", app.font())
    layout.beginLayout(); layout.createLine(); layout.endLayout()
    return [g for run in layout.glyphRuns() for g in run.glyphIndexes()]
before = glyphs()
from gui import i18n
i18n.install_fonts(app)
print(json.dumps([before, glyphs()]))
"""


def system_korean_fonts():
    if not shutil.which("fc-list"):
        return "unknown"
    return subprocess.run(["fc-list", ":lang=ko"], capture_output=True, text=True,
                          timeout=30).stdout.strip()


def test_without_the_shipped_font_hangul_is_notdef_and_with_it_real_glyphs():
    """A fresh process on this machine (no CJK system font) draws boxes until we load ours."""
    if system_korean_fonts():
        pytest.skip("this machine has a Korean system font, so the premise does not hold")
    result = subprocess.run([sys.executable, "-c", PREMISE], capture_output=True, text=True,
                            timeout=60, check=True, cwd=GUI_DIR.parent,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    before, after = json.loads(result.stdout.strip().splitlines()[-1])
    assert before == [0, 0]
    assert len(after) == 2 and 0 not in after


def test_hangul_renders_with_the_shipped_font_and_latin_keeps_the_default(qapp):
    from PySide6 import QtGui
    system_korean = system_korean_fonts()
    default_family = QtGui.QFontInfo(qapp.font()).family()
    assert i18n.install_fonts(qapp) == ["NanumGothic"]
    assert i18n.install_fonts(qapp) == ["NanumGothic"]  # once is enough, twice is harmless
    raw = QtGui.QRawFont(str(i18n.HANGUL_FONT), 12)
    assert all(raw.supportsCharacter(ord(c)) for c in "언어 학습률 손실 함수")
    for bold in (False, True):
        font = QtGui.QFont(qapp.font())
        font.setBold(bold)
        runs = glyph_runs(font, "Language / 언어")
        assert runs and all(0 not in glyphs for _family, glyphs, _ in runs), runs
        hangul = [family for family, _g, indexes in runs if 12 in indexes]
        latin = [family for family, _g, indexes in runs if 0 in indexes]
        assert latin == [default_family]
        if not system_korean:  # this machine: the shipped font is the only Hangul font
            assert hangul == ["NanumGothic"]
    assert (i18n.FONTS_DIR / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1


# -- the window in Korean --------------------------------------------------------------------

def loss_aliases():
    """The other names a loss may be given, as the message for an unknown one lists them."""
    from engine import ConfigError
    with pytest.raises(ConfigError) as unknown:
        losses.canonical_name("")
    return str(unknown.value).split("(aliases: ", 1)[1].rstrip(")").split(", ")


def identifiers():
    """Words that stay as they are in Korean: the engine's names, LossLab's field names,
    proper names and symbols. Words with a digit or an underscore are identifiers too."""
    names = set()
    for registry in (losses, optimizers, activations, schedules, datasets):
        names.update(registry.names())
    names.update(loss_aliases())  # the names a loss may also be given (mse, MeanSquaredError)
    for dataset in datasets.names():
        names.update(datasets.info(dataset).class_names)  # iris: setosa, versicolor, virginica
    names.update(field.name for field in TrainingConfig.__dataclass_fields__.values())
    names.update({"auto", "float", "csv", "LossLab", "LARS", "LAMB", "Lamb", "NumPy",
                  "TensorBoard", "fastai", "torchlars", "valley", "SVM", "GPU", "CSV", "JSON", "PNG", "SVG",
                  "NaN", "Ctrl", "Space", "Esc", "Errno", "Keras", "Adam", "AdamW", "RMSprop",
                  "SGD", "Rho", "Beta", "AMSGrad", "Glorot", "He", "True", "sin", "exp", "log",
                  "pi", "nan", "max", "English", "patience"})  # Keras's EarlyStopping(patience=)
    return names


WORD = re.compile(r"(?<![\w.])[A-Za-z][A-Za-z0-9_]*")
TAG = re.compile(r"<[^>]+>")
QUOTED = re.compile(r"'[^'\n]*'")  # values quoted in messages: the user's, or identifiers
PATH = re.compile(r"(?:[A-Za-z]:)?[\\/][^\s:,]+")
BILINGUAL = {"Language / 언어"}  # the language menu is found in either language


def english_words(text, allowed):
    """The words of ``text`` that are English prose (neither identifiers nor symbols)."""
    import html
    if text in BILINGUAL:
        return []
    plain = QUOTED.sub(" ", PATH.sub(" ", html.unescape(TAG.sub(" ", text))))
    return [word for word in WORD.findall(plain)
            if len(word) > 1 and word not in allowed and word.lower() not in allowed
            and not re.search(r"[\d_]", word)]


def menu_texts(menu, where):
    """Titles and action texts of a pyqtgraph menu, without the forms it holds (its
    QWidgetActions: pyqtgraph's Designer forms, not translated)."""
    from PySide6 import QtWidgets
    found = [(where + " menu", menu.title())]
    for action in menu.actions():
        if isinstance(action, QtWidgets.QWidgetAction):
            continue
        found.append((where + " menu action", action.text()))
        if action.menu() is not None:
            found += menu_texts(action.menu(), where)
    return found


def item_view_texts(view, where):
    """The headers a table, tree or list shows (their texts and tooltips, each orientation
    whose header is visible), and the text and tooltip of every cell."""
    from PySide6 import QtCore, QtWidgets
    model = view.model()
    root = QtCore.QModelIndex()
    rows = model.rowCount(root)
    if isinstance(model, QtCore.QAbstractListModel):
        columns = 1  # its columnCount is private in Qt: a list has one column
    else:
        columns = model.columnCount(root)
    found = []
    headers = []
    if isinstance(view, QtWidgets.QTableView):
        headers = [(QtCore.Qt.Horizontal, view.horizontalHeader(), columns),
                   (QtCore.Qt.Vertical, view.verticalHeader(), rows)]
    elif isinstance(view, QtWidgets.QTreeView):
        headers = [(QtCore.Qt.Horizontal, view.header(), columns)]
    for orientation, header, count in headers:
        if header.isHidden():
            continue
        for section in range(count):
            for role, kind in ((QtCore.Qt.DisplayRole, "header"),
                               (QtCore.Qt.ToolTipRole, "header tip")):
                value = model.headerData(section, orientation, role)
                if isinstance(value, str):
                    found.append((f"{where} {kind} {section}", value))
    for row in range(rows):
        for column in range(columns):
            index = model.index(row, column)
            for role, kind in ((QtCore.Qt.DisplayRole, "cell"), (QtCore.Qt.ToolTipRole,
                                                                  "cell tip")):
                value = model.data(index, role)
                if isinstance(value, str):
                    found.append((f"{where} {kind} {row},{column}", value))
    return found


def all_texts(root):
    """``(where, text)`` for every text a user can see on ``root`` and below it."""
    import pyqtgraph as pg
    from PySide6 import QtCore, QtGui, QtWidgets
    found = []
    for obj in [root] + root.findChildren(QtCore.QObject):
        name = f"{type(obj).__name__} {obj.objectName()}"
        if isinstance(obj, QtWidgets.QWidget):
            found += [(name + " title", obj.windowTitle()), (name + " tip", obj.toolTip())]
        if isinstance(obj, (QtWidgets.QAbstractButton, QtWidgets.QLabel, QtGui.QAction)):
            found.append((name + " text", obj.text()))
        if isinstance(obj, QtGui.QAction):
            found.append((name + " tip", obj.toolTip()))
        if isinstance(obj, (QtWidgets.QGroupBox, QtWidgets.QMenu)):
            found.append((name + " title", obj.title()))
        if isinstance(obj, QtWidgets.QAbstractSpinBox):
            found.append((name + " special", obj.specialValueText()))
            if hasattr(obj, "suffix"):
                found.append((name + " suffix", obj.suffix()))
        if isinstance(obj, QtWidgets.QComboBox):
            for i in range(obj.count()):
                found.append((f"{name} item {i}", obj.itemText(i)))
                found.append((f"{name} item {i} tip",
                              obj.itemData(i, QtCore.Qt.ToolTipRole) or ""))
        if isinstance(obj, QtWidgets.QTextBrowser):
            found.append((name + " html", obj.toPlainText()))
        if isinstance(obj, QtWidgets.QStatusBar):
            found.append((name + " message", obj.currentMessage()))
        if isinstance(obj, QtWidgets.QAbstractItemView) and not isinstance(
                obj, QtWidgets.QHeaderView) and obj.model() is not None:
            found += item_view_texts(obj, name)
        if isinstance(obj, pg.GraphicsView):
            for item in obj.scene().items():
                if isinstance(item, pg.ViewBox) and item.menu is not None:
                    found += menu_texts(item.menu, name)
                elif isinstance(item, pg.PlotItem) and item.ctrlMenu is not None:
                    found += menu_texts(item.ctrlMenu, name)
                elif isinstance(item, pg.LabelItem):
                    found.append((name + " label", item.text))
                elif isinstance(item, pg.AxisItem):
                    found.append((name + " axis", item.labelText))
                elif isinstance(item, pg.InfiniteLine) and getattr(item, "label", None) is not None:
                    found.append((name + " line", item.label.format))
                elif isinstance(item, pg.TextItem) and not isinstance(item, pg.InfLineLabel):
                    found.append((name + " text", item.toPlainText()))
    return [(where, text) for where, text in found if text]


def hover_texts(window):
    """What the plots say under the mouse, at a few points of each."""
    found = []
    for name, plot in window.plots.items():
        (x0, x1), (y0, y1) = plot.getPlotItem().viewRange()
        for fx in (0.1, 0.5, 0.9):
            text = plot.describe(x0 + fx * (x1 - x0), y0 + 0.5 * (y1 - y0))
            if text:
                found.append((name + " hover", text))
    return found


def offenders(texts, allowed):
    return sorted({(where, text[:120], tuple(words)) for where, text in texts
                   for words in [english_words(text, allowed)] if words})


def test_the_window_in_korean_shows_no_english(make_window, qtbot, messages, tmp_path):
    """Build the window, switch to Korean, drive it through its states and dialogs, and walk
    every widget text, tooltip, title, action, menu, combo item, plot title, axis label,
    legend, line label, hover text, status message and message box. Allowed: the engine's
    identifiers (loss, optimizer, dataset, activation, schedule, field names), proper names
    (LossLab, LARS, TensorBoard, ...), symbols, numbers, units, and values quoted in messages.
    Not walked: the forms inside pyqtgraph's axis and plot-option submenus."""
    from PySide6 import QtGui, QtWidgets
    from gui.files import SaveImageDialog
    from gui.main_window import GlossaryDialog
    window = make_window()
    window.set_language("ko")
    allowed = identifiers()
    statuses = []
    window.statusBar().messageChanged.connect(statuses.append)
    seen = []

    def look(root=window):
        seen.extend(all_texts(root))
        seen.extend(hover_texts(window))

    def configure(**values):
        for field, value in values.items():
            window.panel.set_value(field, value)
        assert window.reset()

    look()
    for dataset, loss, optimizer in (("circle", "binary_crossentropy", "lars"),
                                     ("iris", "categorical_crossentropy", "adam"),
                                     ("sine", "mean_squared_error", "sgd"),
                                     ("plane", "mean_absolute_error", "lamb")):
        configure(dataset=dataset, loss=loss, optimizer=optimizer, epochs=2)
        window.start_pause()
        qtbot.waitUntil(lambda: window.state == "ended", timeout=20000)
        window.redraw_now()
        look()
        window.step()  # "finished all its epochs"
    window.panel.set_value("learning_rate", 0.02)  # "will apply at the next batch"
    window.panel.set_value("dataset", "sine")
    window.panel.set_value("loss", "binary_crossentropy")
    qtbot.waitUntil(window.panel.pending_label.isVisible, timeout=5000)  # the quiet reset
    look()
    assert not window.reset()  # the incompatible loss/dataset message
    configure(dataset="sine", loss="mean_squared_error", learning_rate=10.0, batch_size=16,
              epochs=50)
    window.start_pause()
    qtbot.waitUntil(lambda: window.trainer.history.diverged is not None, timeout=20000)
    qtbot.waitUntil(lambda: len(messages) >= 2, timeout=5000)
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    window.files.load_config(str(bad))
    (tmp_path / "wrong.json").write_text('{"loss": "nope"}')
    window.files.load_config(str(tmp_path / "wrong.json"))
    window.show_about()
    window.panel.set_value("learning_rate", 0.01)
    configure(dataset="circle", loss="binary_crossentropy", batch_size=32)
    window.find_learning_rate()
    qtbot.waitUntil(lambda: window.lr_dialog is not None and window.lr_dialog.isVisible(),
                    timeout=30000)
    look(window.lr_dialog)
    window.lr_dialog.close()
    # the lessons' views in each of their states: every lesson, both landscape models with
    # a demonstration run to its end (the last one diverges), every target of the explorer
    for lesson in window.lesson_panel.lessons:
        window.open_lesson(lesson.key)
        look(window.lesson_panel)
    for variant in ("two_weights", "weight_bias"):
        window.landscape.set_variant(variant)
        window.landscape.show_demo(len(window.landscape.variant.demos) - 1)
        for _ in range(60):
            window.landscape.step()
        assert window.landscape.diverged
        look(window.landscape)
    window.findChild(QtGui.QAction, "lossExplorerAction").trigger()
    for key in ("binary_0", "class_1", "regression"):
        window.loss_explorer.set_target(key)
        window.loss_explorer.set_losses(window.loss_explorer.offered_losses())
        look(window.loss_explorer)
    for dialog in (GlossaryDialog("ko", window),
                   SaveImageDialog([(None, i18n.tr("Whole window"))], window)):
        dialog.findChildren(QtWidgets.QDialogButtonBox)  # Qt's own buttons: qtbase_ko.qm
        look(dialog)
        dialog.deleteLater()
    assert [m[1] for m in messages][:3] == ["초기화할 수 없습니다", "학습이 발산했습니다",
                                           "설정을 불러올 수 없습니다"]
    seen.extend((f"message box {kind}", f"{title}\n{text}") for kind, title, text in messages)
    seen.extend(("status message", text) for text in statuses)
    found = offenders(seen, allowed)
    assert found == [], "\n".join(map(str, found))
    assert any("닫기" == text for _where, text in seen)  # Close, translated by Qt


def test_switching_to_korean_and_back_restores_every_english_text(make_window, qtbot):
    """Runtime switching: texts set once at construction (plot axes, legends, dialog labels)
    follow the language, and come back exactly, case included ("Learning rate" is the title,
    "learning rate" the axis: both are 학습률 in Korean)."""
    window = make_window()
    window.step()
    qtbot.waitUntil(lambda: window.trainer.step_count == 1, timeout=10000)
    window.redraw_now()
    window.set_language("en")  # the Start button now says Continue
    english = all_texts(window)
    window.set_language("ko")
    korean = all_texts(window)
    assert window.plots["learningRatePlot"].getPlotItem().getAxis("left").labelText == "학습률"
    assert window.plots["batchLossPlot"].getPlotItem().legend.items[0][1].text in ("원본", "평활화")
    assert len(korean) == len(english)
    changed = sum(a != b for (_, a), (_, b) in zip(english, korean))
    assert changed > 200
    window.set_language("en")
    assert all_texts(window) == english


def test_the_catalogue_uses_the_lessons_terms():
    """Issue 24 #7: "step" was 스텝, 걸음 and 단계 across the catalogue; every Korean
    translation now follows the lessons' term table (engine/lesson_terms.py)."""
    from engine.lesson_terms import problems
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    root = ET.parse(os.path.join(here, "gui", "translations", "losslab_ko.ts")).getroot()
    found = {}
    for message in root.iter("message"):
        text = "".join(message.find("translation").itertext())
        if problems(text):
            found[message.find("source").text] = problems(text)
    assert found == {}
    assert "단계" in i18n.tr("step {step:,}", "ko")


def test_the_hidden_layers_placeholder_and_a_kept_runs_label_follow_the_language(
        make_window, qtbot):
    """Issue 24 #7: the placeholder stayed "e.g. 8, 8", and runs kept in English kept
    English labels in the legends after switching to Korean."""
    from PySide6 import QtWidgets
    window = make_window()
    window.set_language("en")
    run = window.session.run
    window.step()
    qtbot.waitUntil(lambda: window.session.run.step_count == 1, timeout=10000)
    assert run is not None and window.keep_run() is not None
    window.set_language("ko")
    try:
        layers = window.findChild(QtWidgets.QLineEdit, "hiddenLayersEdit")
        assert layers.placeholderText() == i18n.tr("e.g. 8, 8", "ko") != "e.g. 8, 8"
        plot = window.plots["batchLossPlot"]
        names = [label.text for _sample, label in plot.getPlotItem().legend.items]
        assert any("배치 16" in name for name in names), names
        assert not any("batch" in name for name in names), names
    finally:
        window.set_language("en")


def test_widgets_made_after_switches_show_the_current_language(qtbot):
    """A widget takes the language current when it is made (its constructor ends with its
    retranslate), also after switching to Korean and back."""
    from gui.lr_dialog import LRFinderDialog
    from gui.plots import epoch_loss_plot
    i18n.set_language("ko")
    i18n.set_language("en")
    english = LRFinderDialog()
    qtbot.addWidget(english)
    plot = epoch_loss_plot()
    qtbot.addWidget(plot)
    assert english.windowTitle() == glossary.label("lr_finder", "en") == "Learning-rate range test"
    assert plot.getPlotItem().getAxis("bottom").labelText == "epoch"
    assert plot.getPlotItem().getViewBox().menu.viewAll.text() == "View All"
    i18n.set_language("ko")
    korean = LRFinderDialog()
    qtbot.addWidget(korean)
    assert korean.windowTitle() == glossary.label("lr_finder", "ko") != "Learning-rate range test"
    assert korean.use_button.text() == glossary.ui_text("use_suggested_lr", "ko")
    assert english.windowTitle() == korean.windowTitle()  # the earlier one relabelled itself


def test_docks_plots_and_dialogs_open_before_a_switch_relabel_themselves(make_window, qtbot):
    """What is open when the language changes relabels itself when Qt tells it: the sweep
    dialog, the LR finder's dialog, the lesson docks, the network dock, a plot's right-click
    menu and its axes, the run table's headers, the Run menu; and back again."""
    from PySide6 import QtGui, QtWidgets
    from gui import loss_explorer
    from gui.lr_dialog import LRFinderDialog
    window = make_window()
    sweep = window.experiments.open_sweep()
    finder = LRFinderDialog(window)
    window.findChild(QtGui.QAction, "lossExplorerAction").trigger()
    window.network_dock.show()
    plot = window.plots["epochLossPlot"]
    table = window.findChild(QtWidgets.QTableWidget, "runTable")
    run_menu = window.findChild(QtWidgets.QMenu, "runMenu")

    def texts():
        return {"sweep": sweep.windowTitle(), "sweep start": sweep.start_button.text(),
                "finder": finder.windowTitle(),
                "explorer dock": window.lesson_docks["lossExplorerDock"].windowTitle(),
                "explorer": window.loss_explorer.target_label.text(),
                "network": window.network_dock.windowTitle(),
                "menu": plot.getPlotItem().getViewBox().menu.viewAll.text(),
                "axis": plot.getPlotItem().getAxis("bottom").labelText,
                "header": table.horizontalHeaderItem(1).text(), "run menu": run_menu.title()}

    english = texts()
    window.set_language("ko")
    korean = texts()
    assert korean == {"sweep": i18n.tr("Sweep", "ko"),
                      "sweep start": i18n.tr("Start sweep", "ko"),
                      "finder": glossary.label("lr_finder", "ko"),
                      "explorer dock": i18n.tr("Loss explorer", "ko"),
                      "explorer": i18n.tr(loss_explorer.TEXT["target"], "ko"),
                      "network": glossary.label("network_view", "ko"),
                      "menu": i18n.tr("View All", "ko", "ViewBox"),
                      "axis": i18n.tr("epoch", "ko"), "header": i18n.tr("run", "ko"),
                      "run menu": i18n.tr("&Run", "ko")}
    assert all(HANGUL.search(text) for text in korean.values()), korean
    window.set_language("en")
    assert texts() == english


def test_a_window_made_in_the_current_language_beside_another_labels_itself(make_window,
                                                                             tmp_path):
    """A new window whose settings keep the language already shown is labelled by Qt's
    LanguageChange sent to it alone (gui.i18n.relabel), not by relabelling every window
    alive: it is Korean, its menus and plot titles too, and the other window stays Korean."""
    from PySide6 import QtCore, QtWidgets
    first = make_window()
    first.set_language("ko")
    path = str(tmp_path / "second.ini")
    settings = QtCore.QSettings(path, QtCore.QSettings.IniFormat)
    settings.setValue("language", "ko")
    settings.sync()
    second = make_window(path=path)
    run_menu = i18n.tr("&Run", "ko")
    assert run_menu != "&Run"
    for window in (first, second):
        assert window.findChild(QtWidgets.QMenu, "runMenu").title() == run_menu
        title = window.plots["batchLossPlot"].getPlotItem().titleLabel.text
        assert title == glossary.label("batch_loss_plot", "ko") != glossary.label("batch_loss_plot", "en")
