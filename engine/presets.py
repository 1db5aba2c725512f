"""Suggested settings per built-in dataset, and the default pace: settings known to learn.

TensorFlow Playground's users asked for exactly this ("load parameters known to produce a great
outcome for each dataset, with commentary on why"). Each :class:`Preset` is data: the config
fields to set and one line, in English and Korean, saying why they work. Applied to the
defaults (``TrainingConfig(**preset.changes)``) each one learns its dataset within a few
seconds of full-speed training; tests/test_presets.py trains every one and states the bound.

``DEFAULT_PACE`` is the GUI's starting pace in steps per second: the default run on circle
(30 epochs of 25 batches, 750 steps) then lasts 25 s, long enough to watch it and turn a knob,
and at 30 steps/s or slower every batch is drawn (engine.trainer.Trainer.fit).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConfigError

#: The GUI's default pace (steps per second).
DEFAULT_PACE = 30.0


@dataclass(frozen=True)
class Preset:
    """Config fields that learn a dataset (``changes``) and why, per language (``why``)."""

    changes: dict
    why: dict


def _preset(changes, en, ko):
    return Preset(changes, {"en": en, "ko": ko})


_PRESETS = {
    "circle": _preset(
        dict(dataset="circle", loss="binary_crossentropy", optimizer="sgd", learning_rate=0.3,
             batch_size=16, epochs=30, hidden_layers=(8, 8), activation="tanh"),
        "A ring needs a curved boundary: two tanh layers of 8 bend one, and plain SGD at 0.3 "
        "with batches of 16 gets there in 30 epochs.",
        "고리 모양에는 굽은 경계가 필요합니다. 8개짜리 tanh 층 두 개가 경계를 굽히고, 배치 16의 "
        "SGD(0.3)가 30 에포크 안에 도달합니다."),
    "xor": _preset(
        dict(dataset="xor", loss="binary_crossentropy", optimizer="sgd", learning_rate=0.3,
             batch_size=16, epochs=30, hidden_layers=(8, 8), activation="tanh"),
        "XOR is not linearly separable: the hidden layers combine two straight cuts into the "
        "four quadrants.",
        "XOR은 직선 하나로 나눌 수 없습니다. 은닉층이 두 직선 경계를 조합해 네 사분면을 "
        "나눕니다."),
    "gauss": _preset(
        dict(dataset="gauss", loss="binary_crossentropy", optimizer="sgd", learning_rate=0.1,
             batch_size=32, epochs=10, hidden_layers=(), activation="tanh"),
        "Two separate clouds need only a straight line: logistic regression (no hidden layer) "
        "learns it in a few epochs.",
        "떨어진 두 점 구름은 직선 하나면 충분합니다. 은닉층 없는 로지스틱 회귀가 몇 에포크 "
        "만에 배웁니다."),
    "spiral": _preset(
        dict(dataset="spiral", loss="binary_crossentropy", optimizer="adam",
             learning_rate=0.01, batch_size=16, epochs=100, hidden_layers=(16, 16),
             activation="tanh"),
        "Interleaved spirals need a boundary that winds: wider layers (16, 16) and Adam, "
        "whose per-weight step sizes cope with the uneven gradients.",
        "맞물린 나선에는 감기는 경계가 필요합니다. 넓은 층(16, 16)과, 가중치마다 보폭을 맞춰 "
        "고르지 않은 기울기를 다루는 Adam을 씁니다."),
    "moons": _preset(
        dict(dataset="moons", loss="binary_crossentropy", optimizer="sgd", learning_rate=0.3,
             batch_size=16, epochs=30, hidden_layers=(8, 8), activation="tanh"),
        "Two interlocking half-moons need a gently curved boundary: a small tanh network "
        "with SGD finds it.",
        "맞물린 두 반달에는 완만하게 굽은 경계가 필요합니다. 작은 tanh 신경망과 SGD로 "
        "찾습니다."),
    "blobs": _preset(
        dict(dataset="blobs", loss="sparse_categorical_crossentropy", optimizer="sgd",
             learning_rate=0.1, batch_size=32, epochs=20, hidden_layers=(), activation="tanh"),
        "Separate blobs are split by straight lines: softmax regression (no hidden layer) "
        "with integer labels is enough.",
        "떨어진 덩어리들은 직선으로 나뉩니다. 정수 레이블을 쓰는 소프트맥스 회귀(은닉층 "
        "없음)로 충분합니다."),
    "spiral3": _preset(
        dict(dataset="spiral3", loss="sparse_categorical_crossentropy", optimizer="adam",
             learning_rate=0.01, batch_size=16, epochs=100, hidden_layers=(32, 32),
             activation="tanh"),
        "Three spiral arms need the widest net here (32, 32) and Adam to wind three "
        "boundaries.",
        "나선 팔 세 개에는 여기서 가장 넓은 신경망(32, 32)과 Adam이 필요합니다. 경계 세 개를 "
        "감아야 하니까요."),
    "sine": _preset(
        dict(dataset="sine", loss="mean_squared_error", optimizer="adam", learning_rate=0.01,
             batch_size=16, epochs=60, hidden_layers=(16, 16), activation="tanh"),
        "A smooth curve is fitted by summing smooth tanh bends; mean squared error matches "
        "the Gaussian noise.",
        "매끄러운 곡선은 매끄러운 tanh 굽이를 더해 맞춥니다. 평균제곱오차는 가우스 잡음에 "
        "맞는 손실입니다."),
    "plane": _preset(
        dict(dataset="plane", loss="mean_squared_error", optimizer="sgd", learning_rate=0.1,
             batch_size=32, epochs=30, hidden_layers=(), activation="tanh"),
        "The target is a flat plane, so linear regression (no hidden layer) is exactly the "
        "right model.",
        "목표가 평평한 평면이므로 은닉층 없는 선형 회귀가 딱 맞는 모델입니다."),
    "counts": _preset(
        dict(dataset="counts", loss="poisson", optimizer="adam", learning_rate=0.01,
             batch_size=32, epochs=60, hidden_layers=(8, 8), activation="tanh"),
        "Counts are whole numbers with a spread that grows with the mean: the Poisson loss "
        "models exactly that.",
        "개수는 평균이 클수록 퍼짐도 커지는 정수입니다. 푸아송 손실이 바로 그것을 "
        "모델링합니다."),
    "iris": _preset(
        dict(dataset="iris", loss="sparse_categorical_crossentropy", optimizer="adam",
             learning_rate=0.01, batch_size=16, epochs=60, hidden_layers=(8,),
             activation="tanh"),
        "Four measurements, three species, 120 flowers: one small hidden layer and Adam, no "
        "more, so it does not overfit.",
        "측정값 4개, 품종 3개, 꽃 120송이: 작은 은닉층 하나와 Adam이면 충분하고, 더 크면 "
        "과적합합니다."),
    "digits": _preset(
        dict(dataset="digits", loss="categorical_crossentropy", optimizer="adam",
             learning_rate=0.01, batch_size=32, epochs=20, hidden_layers=(32,),
             activation="relu"),
        "64 pixels, ten digits: one hidden layer of 32 ReLUs with Adam learns them in 20 "
        "epochs; softmax and crossentropy pick one digit.",
        "픽셀 64개, 숫자 10개: ReLU 32개짜리 은닉층 하나와 Adam이 20 에포크에 배웁니다. "
        "소프트맥스와 교차 엔트로피가 숫자 하나를 고릅니다."),
}


def names():
    """The datasets that have suggested settings, in the order of ``datasets.names()``."""
    return list(_PRESETS)


def suggested(dataset):
    """The :class:`Preset` for ``dataset``; ConfigError naming the ones that have one."""
    try:
        return _PRESETS[dataset]
    except (KeyError, TypeError):
        raise ConfigError(f"no suggested settings for dataset {dataset!r}; suggestions exist "
                          f"for {', '.join(_PRESETS)}") from None


__all__ = ["DEFAULT_PACE", "Preset", "names", "suggested"]
