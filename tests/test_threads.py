"""BLAS threads during a run: one for small matrix products, the library's own count otherwise
and afterwards."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from engine.threads import PARALLEL_FROM, threads_for


@pytest.mark.parametrize("batch, sizes, expected", [
    (1, (2, 16, 16, 1), 1),               # model A
    (2048, (2, 16, 16, 1), 1),            # 0.5M multiply-adds
    (32, (64, 256, 256, 10), 1),          # model C: 2.1M
    (256, (64, 256, 256, 10), None),      # 16.8M
    (2048, (2, 64, 64, 64, 3), None),     # model B: 8.4M
])
def test_threads_follow_the_largest_product_of_a_step(batch, sizes, expected):
    assert threads_for(batch, sizes) == expected


def test_the_threshold_is_where_the_products_reach_parallel_from():
    assert threads_for(PARALLEL_FROM // 64 - 1, (8, 8)) == 1
    assert threads_for(PARALLEL_FROM // 64, (8, 8)) is None


# The runs below go in a fresh interpreter: BLAS's thread count is process-wide, and once a
# QThread has changed it (the GUI tests' worker), OpenBLAS 0.3.31 ignores changes made from
# the main thread (engine.threads). Each snippet asserts; a failure shows its traceback.
PRELUDE = """
from threadpoolctl import threadpool_info, threadpool_limits
from engine import Trainer, TrainingConfig
from engine.threads import threads_for

def blas_threads():
    counts = {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}
    assert len(counts) == 1, threadpool_info()
    return counts.pop()

def run_recording_threads(config, change=None):
    trainer = Trainer(config)
    seen = []
    def on_batches(chunk):
        seen.append(blas_threads())
        if change is not None and len(seen) == 1:
            trainer.update(**change)
    trainer.fit(on_batches=on_batches, chunk_seconds=0)
    return seen
"""


#: Each test's snippet: all run in one fresh interpreter, one after the other (a process each
#: cost about 1 s to start); each starts and ends at the library's count, which they assert.
SNIPPETS = {
    "small": """
        # two threads first, so that the limit to one is visible even on a one-core machine
        with threadpool_limits(limits=2, user_api="blas"):
            seen = run_recording_threads(TrainingConfig(dataset="circle", n_samples=200,
                                                        batch_size=16, epochs=2))
            assert seen[:-1] and set(seen[:-1]) == {1}, seen  # the last chunk: after the loop
            assert blas_threads() == 2
    """,
    "large": """
        with threadpool_limits(limits=2, user_api="blas"):
            # two epochs: the second is the one at the changed batch size
            config = TrainingConfig(dataset="circle", n_samples=5000, validation_split=0.0,
                                    hidden_layers=(1024,), batch_size=4096, epochs=2)
            assert threads_for(4096, (2, 1024, 1)) is None
            seen = run_recording_threads(config)
            assert set(seen) == {2}, seen
            # 4096 -> 8 samples a batch from the next epoch: one thread from then on
            seen = run_recording_threads(config, change={"batch_size": 8})
            assert seen[0] == 2 and seen[-2] == 1, seen
            assert blas_threads() == 2
    """,
    "failing": """
        with threadpool_limits(limits=2, user_api="blas"):
            trainer = Trainer(TrainingConfig(dataset="circle", n_samples=200, batch_size=16,
                                             epochs=2))
            def fail(chunk):
                assert blas_threads() == 1
                raise RuntimeError("callback failed")
            try:
                trainer.fit(on_batches=fail, chunk_seconds=0)
            except RuntimeError as error:
                assert str(error) == "callback failed"
            else:
                raise AssertionError("fit did not raise")
            assert blas_threads() == 2
    """,
}
RUNNER = """
import json, traceback
failures = {}
for name, body in SNIPPETS.items():
    try:
        exec(body, dict(globals()))
    except BaseException:
        failures[name] = traceback.format_exc()
print(json.dumps(failures))
"""


@pytest.fixture(scope="module")
def fresh_failures():
    """Each snippet of ``SNIPPETS`` run after PRELUDE in a new interpreter from the project
    root: the traceback of each one that failed, by name."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    snippets = {name: textwrap.dedent(body) for name, body in SNIPPETS.items()}
    code = PRELUDE + f"SNIPPETS = {snippets!r}\n" + RUNNER
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_a_small_model_trains_on_one_blas_thread_and_gives_the_count_back(fresh_failures):
    assert "small" not in fresh_failures, fresh_failures["small"][-3000:]


def test_large_products_keep_every_thread_and_a_live_batch_change_resizes(fresh_failures):
    assert "large" not in fresh_failures, fresh_failures["large"][-3000:]


def test_the_count_comes_back_when_the_run_fails(fresh_failures):
    assert "failing" not in fresh_failures, fresh_failures["failing"][-3000:]
