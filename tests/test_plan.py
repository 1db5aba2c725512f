"""The run's plan in steps (gui.model.plan): it follows the batch size the run trains with now."""

import math

from gui.model.plan import plan


def test_a_batch_raised_after_epoch_six_plans_the_rest_at_the_new_size():
    # 320 rows: 20 steps an epoch at batch 16, 5 at batch 64; 30 epochs, 64 from epoch 7
    done = 6 * 20 + 2  # two batches of 64 into epoch 7
    planned = plan(done, 6 * 320 + 128, 7, 30, 320, 64)
    assert planned.remaining == 3 + 23 * 5
    assert planned.total == done + 3 + 23 * 5
    assert math.isclose(planned.fraction, done / planned.total)


def test_before_the_first_step_and_at_the_end():
    assert plan(0, 0.0, 0, 3, 100, 30).remaining == 3 * 4
    end = plan(12, 300.0, 3, 3, 100, 30)
    assert end.remaining == 0 and end.fraction == 1.0


def test_a_batch_larger_than_the_data_is_one_step_an_epoch():
    assert plan(0, 0.0, 0, 5, 1438, 100000).remaining == 5


def test_until_stopped_has_no_total():
    planned = plan(500, 8000.0, 25, None, 320, 16)
    assert planned.remaining is None and planned.total is None and planned.fraction is None
