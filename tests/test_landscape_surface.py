"""The landscape's made-up two-basin surface (engine.landscape_surface): its gradient and
Hessian against finite differences, its two basins, and where the engine's optimizers end
from starts 0-9 in the narrow basin -- the numbers the landscape's and the lesson's texts
state."""

import numpy as np
import pytest

from engine import landscape_surface as surface
from engine.gradcheck import check_gradient, numerical_gradient

POINTS = [(-1.35, -0.75), (-0.9, -0.3), (0.2, 0.1), (1.4, 0.7), (-2.0, 1.5), (3.0, -2.0)]


@pytest.mark.parametrize("point", POINTS)
def test_gradient_and_hessian_are_the_finite_differences_of_the_value(point):
    point = np.array(point)
    assert check_gradient(surface.value, surface.gradient, point) < 1e-7
    columns = [numerical_gradient(lambda p, i=i: surface.gradient(p)[i], point)
               for i in range(2)]
    np.testing.assert_allclose(surface.hessian(point), np.array(columns), rtol=1e-6,
                               atol=1e-8)
    rows = np.array(POINTS)
    np.testing.assert_array_equal(surface.value(rows),
                                  [surface.value(row) for row in rows])


def test_two_basins_the_near_one_narrow_and_worse():
    near, far = surface.minima()
    for point in (near, far):
        assert np.max(np.abs(surface.gradient(point))) < 1e-12
        assert np.all(np.linalg.eigvalsh(surface.hessian(point)) > 0)  # a true minimum
    assert surface.value(near) > 6 * surface.value(far)  # 0.312 against 0.05
    near_curvature = np.linalg.eigvalsh(surface.hessian(near))
    far_curvature = np.linalg.eigvalsh(surface.hessian(far))
    # the texts: "curves about 12 (limit 2/12 ≈ 0.16), the wide one 0.3"
    assert 11.5 < near_curvature[0] <= near_curvature[-1] < 13.0
    assert 0.15 < 2.0 / near_curvature[-1] < 0.17
    np.testing.assert_allclose(far_curvature, [0.3, 0.3], rtol=1e-9)


def _ends(optimizer, steps=600, **hyperparameters):
    """Where each of starts 0-9 ends: "near", "far" or "neither"."""
    near, far = surface.minima()
    ends = []
    for start in surface.starts(range(10)):
        end = surface.descend(start, optimizer, steps=steps, **hyperparameters)[-1]
        ends.append("near" if np.linalg.norm(end - near) < 1e-3 else
                    "far" if np.linalg.norm(end - far) < 1e-3 else "neither")
    return ends


def test_a_small_rate_is_stuck_in_the_near_basin_a_larger_one_leaves_it_on_every_start():
    near = surface.minima()[0]
    starts = surface.starts(range(10))
    distances = np.linalg.norm(starts - near, axis=1)
    assert np.all((distances >= 0.15) & (distances <= 0.35))
    assert len({tuple(start) for start in starts}) == 10
    assert _ends("sgd", learning_rate=0.05) == ["near"] * 10
    assert _ends("sgd", learning_rate=0.14) == ["near"] * 10  # below the limit 0.16
    assert _ends("sgd", learning_rate=0.3) == ["far"] * 10
    assert _ends("sgd", learning_rate=1.0) == ["far"] * 10
    assert _ends("adam", learning_rate=0.1) == ["near"] * 10


def test_descend_is_the_optimizers_update_on_the_surfaces_gradient():
    path = surface.descend((-1.35, -0.75), "sgd", steps=3, learning_rate=0.05)
    point = np.array([-1.35, -0.75])
    for row in path[1:]:
        point = point - 0.05 * surface.gradient(point)
        np.testing.assert_allclose(row, point, rtol=1e-15)


def test_the_learning_rate_lessons_try_next_states_these_numbers():
    """The lesson links its convex model to this surface with the numbers measured above."""
    from engine.lessons import load_all
    lesson = {lesson.key: lesson for lesson in load_all()}["learning_rate"]
    texts = [lesson.text_at(f"try_next.{index}") for index in range(len(lesson.try_next))]
    text = next(text for text in texts if "two basins" in text("en"))
    for language in ("en", "ko"):
        for number in ("0.05", "0.3", "12", "0.16", "10"):
            assert number in text(language), (language, number)
