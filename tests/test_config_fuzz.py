"""Fuzzing config files: any JSON value for any field gives a config or a one-line ConfigError.

Hypothesis draws JSON values (numbers of every size, text, flags, null, nested lists and
objects) for one field or several at once; ``TrainingConfig.from_dict`` must either build a
config whose fields pass their checks, or raise a ConfigError whose single-line message names
a field -- never any other exception.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import ConfigError, TrainingConfig, spec

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-2**70, 2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                   max_size=3),
    max_leaves=10)


def _near_valid(param):
    """Values around the field's valid ones: its choices, range ends, off-by-one, defaults."""
    values = [st.just(param.default)]
    if param.choices is not None:
        values.append(st.sampled_from(param.valid_choices()))
    if param.minimum is not None:
        values.append(st.sampled_from([param.minimum, param.maximum, param.minimum - 1,
                                       param.maximum + 1, int(param.maximum)]))
    if param.kind == "layers":
        values.append(st.lists(st.integers(-2, 5000), max_size=12))
    return st.one_of(*values)


def _value_for(param):
    return st.one_of(JSON, _near_valid(param))


def _check(data):
    try:
        config = TrainingConfig.from_dict(data)
    except ConfigError as error:
        message = str(error)
        # one line; the loss field's message lists the 13 names and their aliases
        assert "\n" not in message and len(message) < 1000, message
        assert any(name in message for name in data), message
        return
    for name in data:
        spec.get(name).check(getattr(config, name))
    assert TrainingConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config


@pytest.mark.parametrize("param", spec.PARAMS, ids=lambda p: p.name)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_value_for_one_field(param, data):
    _check({param.name: data.draw(_value_for(param))})


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(spec.names()), JSON, min_size=1, max_size=6)
       .flatmap(lambda d: st.fixed_dictionaries(
           {name: _value_for(spec.get(name)) for name in d})))
def test_any_values_for_several_fields(data):
    _check(data)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80) | st.binary(max_size=80).map(lambda b: b.decode("latin-1")))
def test_any_file_text_is_a_config_or_a_config_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "config.json"
    path.write_text(text, encoding="utf-8")
    try:
        TrainingConfig.from_json(path)
    except ConfigError as error:
        assert "\n" not in str(error)
