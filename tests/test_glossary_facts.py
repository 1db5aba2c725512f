"""The glossary reads the facts of losses and datasets from their registry entries (engine's
public API) and translates them: nothing about a loss or a dataset is kept in the GUI."""

import re

import pytest

from engine import datasets, losses
from gui import glossary

HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.mark.parametrize("name", losses.names())
def test_a_losss_note_and_formula_come_from_its_entry_in_both_languages(name):
    loss = losses.get(name)
    assert glossary.loss_note(name, "en") == loss.summary
    assert glossary.loss_formula(name, "en") == loss.formula
    assert HANGUL.search(glossary.loss_note(name, "ko"))
    # formulas in pure maths read the same in Korean; those with words are translated
    korean = glossary.loss_formula(name, "ko")
    assert korean == loss.formula if not re.search("[a-z]{4}", loss.formula) else (
        HANGUL.search(korean))


def test_aliases_and_unknown_names():
    assert glossary.loss_note("mse", "en") == losses.get("mean_squared_error").summary
    assert glossary.loss_note("no such loss", "ko") == ""
    assert glossary.loss_formula("no such loss", "ko") == ""


@pytest.mark.parametrize("name", datasets.names())
def test_a_datasets_description_and_suggestion_come_from_its_entry_in_both_languages(name):
    assert glossary.dataset_description(name, "en") == datasets.info(name).description
    assert glossary.suggestion_why(name, "en") == datasets.preset(name).why
    assert HANGUL.search(glossary.dataset_description(name, "ko"))
    assert HANGUL.search(glossary.suggestion_why(name, "ko"))


def test_a_newly_registered_loss_is_in_the_glossary_with_nothing_added_there(loss_registry):

    @losses.register
    class Halved(losses.MeanAbsoluteError):
        name = "halved_absolute_error"
        summary = "Half the mean absolute error, a throwaway loss of this test."
        formula = "mean over outputs of |y − ŷ| / 2"

    assert glossary.loss_note("halved_absolute_error", "en") == Halved.summary
    assert glossary.loss_formula("halved_absolute_error", "en") == Halved.formula
    # not in the catalogue yet: shown in English rather than lost
    assert glossary.loss_note("halved_absolute_error", "ko") == Halved.summary
