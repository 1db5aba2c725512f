"""The Korean terms of the lessons: one word per concept, so a learner never wonders whether
"걸음" and "단계" are two different things.

The tests check every Korean lesson text (and the lesson panel's own strings) against this
table with :func:`problems`. Qt-free.
"""

from __future__ import annotations

import re

#: concept -> (the Korean term the lessons use, the spellings they must not use). The step
#: is 단계 as on the app's step axis and speed readouts; crossentropy is 교차 엔트로피 as in
#: the glossary; Keras's option names stay as they are (patience 10).
TERMS = {
    "step (one weight update)": ("단계", ("걸음", "스텝")),
    "crossentropy": ("교차 엔트로피", ("크로스엔트로피", "크로스 엔트로피", "교차엔트로피")),
    "early stopping's patience": ("patience", ("인내",)),
    "a rule that holds": ("적용됩니다", ("통합니다",)),
    "the largest curvature": ("가장 큰 곡률", ("가장 가파른 곡률",)),
    "warm-up": ("워밍업", ("웜업",)),
    "percentage point": ("퍼센트포인트", ("%p", "%포인트")),
}
#: Patterns no Korean lesson text may contain, and why: a layer's size is "유닛 32개짜리
#: 은닉층", not "32짜리 은닉층"; a range is written "9~12", not "9-12".
PATTERNS = {
    re.compile(r"\d짜리"): "a layer's size is written '유닛 N개짜리 은닉층'",
    re.compile(r"\d\s*%?-\s*\d"): "a range is written with '~' ('9~12'), not a hyphen",
}


def problems(text):
    """What in Korean ``text`` breaks the term table: one message per problem, empty if none.

    A hyphen between numbers is allowed inside a formula written with spaces
    ("0.6 x1 - 0.4 x2"), which is not a range."""
    found = []
    for concept, (term, avoid) in TERMS.items():
        for word in avoid:
            if word in text:
                found.append(f"{word!r}: {concept} is {term!r} in the lessons")
    for pattern, rule in PATTERNS.items():
        for match in pattern.finditer(text):
            if " - " in match.group(0):
                continue
            found.append(f"{match.group(0)!r}: {rule}")
    return found


__all__ = ["TERMS", "PATTERNS", "problems"]
