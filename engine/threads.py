"""How many threads NumPy's BLAS may use while a model trains.

OpenBLAS splits every matrix product above a small size across its threads, and afterwards
keeps those threads spinning, waiting for the next product. For the small products of most
LossLab steps that buys nothing and costs a core: on this project's 2-core machine, model C
(64-256-256-10) at batch 32 trained at 1,774 steps/s with one BLAS thread and 704 with two
(the process at 100% and 199% of a core); at batch 8, 3,703 and 3,637 steps/s (100% and 200%).
The spinning threads also slow the optimizer's element-wise NumPy work between the products
(an SGD update on C took 57-63 us with one thread and 154-415 us with two) and take the core
the GUI thread would use. From a few million multiply-adds per product on, the second thread
pays: at batch 256 model C trained 1.5 times faster with two. (``tests/benchmarks`` and the
README have the measurements.)

``threadpoolctl`` sets the count: it finds the BLAS NumPy loaded, whatever its build (OpenBLAS
with or without symbol suffixes, MKL, BLIS), which code of our own would have to guess.

Seen here with OpenBLAS 0.3.31: once one thread has changed the count, changes made from some
other threads are ignored (the main thread after a QThread, a QThread after the main thread;
two QThreads in turn were fine). LossLab trains either in the GUI's worker QThread or,
headless, in the main thread, never both in one process; the tests that check the count run
in a fresh interpreter.
"""

from __future__ import annotations

from threadpoolctl import ThreadpoolController

# Multiply-adds in the largest matrix product of a training step from which BLAS keeps all of
# its threads. Model C at batch 32 (2.1M) trains as fast on one; at batch 256 (16.8M) it does
# not; model B at batch 2048 (8.4M) ran 1.25 times faster on two.
PARALLEL_FROM = 4 * 2 ** 20

_controller = None


def threads_for(batch_size, layer_sizes):
    """BLAS threads for a training step: 1 for small products, None for the library's default.

    Parameters
    ----------
    batch_size : int
    layer_sizes : sequence of int
        Inputs, hidden layer widths and outputs, as ``MLP.layer_sizes``.

    Returns
    -------
    int or None
    """
    largest = int(batch_size) * max(fan_in * fan_out
                                    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]))
    return 1 if largest < PARALLEL_FROM else None


class BlasThreads:
    """Holds the BLAS thread count of one run and gives the library its own count back.

    ``set(n)`` limits BLAS to ``n`` threads (None: no limit); ``restore()`` undoes it. The
    setting is process-wide, as the library's is.
    """

    def __init__(self):
        self._limiter = None
        self.threads = None

    def set(self, threads):
        """Limit BLAS to ``threads`` threads, or lift the limit with None."""
        global _controller
        if threads == self.threads:
            return
        self.restore()
        if threads is not None:
            if _controller is None:  # finds the libraries once: a few milliseconds
                _controller = ThreadpoolController()
            self._limiter = _controller.limit(limits=int(threads), user_api="blas")
        self.threads = threads

    def restore(self):
        """Give BLAS back the thread count it had before :meth:`set`."""
        if self._limiter is not None:
            self._limiter.restore_original_limits()
            self._limiter = None
        self.threads = None
