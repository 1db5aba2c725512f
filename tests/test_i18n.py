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

from engine import ConfigError, Trainer, TrainingConfig, activations, datasets, losses
from engine import optimizers, schedules
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
    """Every key in both languages: lupdate over gui/ finds nothing the .ts lacks, and every
    entry is translated (not "unfinished", not empty) and keeps the source's {fields}."""
    copy = tmp_path / "check_ko.ts"
    shutil.copy(TS_FILE, copy)
    result = subprocess.run([tool("pyside6-lupdate"), "-extensions", "py", "-locations", "none",
                             str(GUI_DIR), "-ts", str(copy)],
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
    """Messages the engine really writes, from the GUI's reachable mistakes."""
    found = {}

    def catch(name, make):
        with pytest.raises(ConfigError) as caught:
            make()
        found[name] = str(caught.value)

    catch("incompatible", lambda: TrainingConfig(dataset="sine",
                                                 loss="binary_crossentropy").validate())
    catch("activation", lambda: TrainingConfig(dataset="circle", loss="poisson",
                                               output_activation="tanh").validate())
    catch("range", lambda: TrainingConfig(validation_split=0.95).validate())
    catch("whole", lambda: TrainingConfig(batch_size=0).validate())
    catch("unknown", lambda: TrainingConfig(optimizer="nope").validate())
    catch("layers", lambda: TrainingConfig(hidden_layers=tuple([4] * 11)).validate())
    trainer = Trainer(TrainingConfig(dataset="sine", loss="mse", learning_rate=100.0, optimizer="sgd",
                                     epochs=50, seed=0))
    history = trainer.fit()
    assert history.diverged is not None
    found["diverged"] = history.diverged.message
    return found


def test_engine_messages_translate_by_template():
    for name, message in engine_messages().items():
        korean = i18n.engine_message(message, "ko")
        assert HANGUL.search(korean), (name, message)
        assert i18n.engine_message(message, "en") == message
    incompatible = i18n.engine_message(engine_messages()["incompatible"], "ko")
    assert "'sine' 데이터셋" in incompatible and "회귀 데이터셋" in incompatible
    assert "이진 분류, 다중 분류" in incompatible


def test_engine_message_fields_that_are_names_stay_as_written():
    message = ("loss 'hinge' does not fit dataset 'regression': 'regression' is a regression "
               "dataset and 'hinge' suits binary tasks")
    korean = i18n.engine_message(message, "ko")
    assert "'regression' 데이터셋" in korean and "이진 분류 문제" in korean
    assert i18n.engine_message("an unknown sentence", "ko") == "an unknown sentence"


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
