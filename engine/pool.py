"""A process pool that outlives its workers: the task of a worker that dies fails with the
reason (:class:`WorkerDied`), a new worker takes the dead one's place and the other tasks go on.

``concurrent.futures.ProcessPoolExecutor`` treats one dead worker as the end of the pool: it
fails every task not yet done with ``BrokenProcessPool`` and terminates the other workers. A
sweep one of whose workers was killed (SIGKILL at 3 s, as the kernel's OOM killer would) lost
every run that way, each reported as an error with no word of which worker died.

Each worker has a pipe of its own to the pool: tasks go down it, results and messages
(:func:`send`, a sweep's live curves) come up it. Workers share no lock, so one that dies
halfway through writing blocks no other (a shared ``multiprocessing`` queue's lock would stay
held by the dead writer, and its reader would wait for the rest of a message forever).

Workers ignore Ctrl-C: a terminal sends SIGINT to the whole foreground process group, and the
process that owns the pool decides what a Ctrl-C means (a sweep stops its runs at the next batch
through a flag they poll). The pool starts its workers from its own thread with SIGINT
blocked, so none gets one while it is still importing: the blocked mask is inherited by a new
process, while a Python handler would be reset.
"""

from __future__ import annotations

import collections
import concurrent.futures
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time

from .messages import Message
from .texts import QT_TRANSLATE_NOOP

#: Workers that die in a row without having run a task before the pool gives up (they cannot
#: start: the initializer fails, the interpreter cannot import the task's module).
MAX_IDLE_DEATHS = 3
#: Seconds a worker has to exit when the pool shuts down before it is terminated.
EXIT_SECONDS = 5.0

# In a worker process: its end of the pipe to the pool (None elsewhere).
_connection = None


ENDED = QT_TRANSLATE_NOOP("engine", "worker process {pid} was ended before its task finished")
DIED = QT_TRANSLATE_NOOP("engine", "worker process {pid} died ({what}) while running this task")
NO_EXIT_STATUS = QT_TRANSLATE_NOOP("engine", "no exit status")
KILLED_BY = QT_TRANSLATE_NOOP("engine", "killed by {signal}")
KILLED_BY_NUMBER = QT_TRANSLATE_NOOP("engine", "killed by signal {number}")
EXIT_STATUS = QT_TRANSLATE_NOOP("engine", "exit status {status}")


class WorkerDied(RuntimeError):
    """The worker process running a task died (or the pool's :meth:`ProcessPool.terminate`
    ended it: ``ended``). ``pid`` and ``exitcode`` are the process's (a negative exit code is
    the signal that killed it)."""

    def __init__(self, pid, exitcode, ended=False):
        self.pid, self.exitcode, self.ended = pid, exitcode, ended
        if ended:
            text = Message(ENDED, pid=pid)
        else:
            text = Message(DIED, pid=pid, what=_how(exitcode))
        super().__init__(text)

    def __reduce__(self):
        return type(self), (self.pid, self.exitcode, self.ended)


def _how(exitcode):
    if exitcode is None:
        return Message(NO_EXIT_STATUS)
    if exitcode < 0:
        try:
            return Message(KILLED_BY, signal=signal.Signals(-exitcode).name)
        except ValueError:
            return Message(KILLED_BY_NUMBER, number=-exitcode)
    return Message(EXIT_STATUS, status=exitcode)


def send(message):
    """From a task running on a :class:`ProcessPool` worker: hand ``message`` (picklable) to
    the pool's ``on_message``, in the pool's process, before the task's result."""
    if _connection is None:
        raise RuntimeError("engine.pool.send() is for tasks running on a ProcessPool worker")
    _connection.send(("message", message))


def _worker(connection, initializer, initargs):
    global _connection
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _connection = connection
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):  # the pool's process is gone
            return
        if task is None:
            return
        function, args, kwargs = task
        try:
            reply = ("result", function(*args, **kwargs))
        except BaseException as exc:  # the task's failure is its future's, not the worker's
            reply = ("exception", exc)
        try:
            connection.send(reply)
        except Exception as exc:  # noqa: BLE001 -- the reply does not pickle: say so instead
            connection.send(("exception", RuntimeError(
                f"the task's {reply[0]} could not be sent back: {type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, process, connection):
        self.process, self.connection = process, connection
        self.future = None  # the task it runs


class ProcessPool(concurrent.futures.Executor):
    """A ``concurrent.futures.Executor`` over ``workers`` processes that survives their death.

    Parameters
    ----------
    workers : int, optional
        Processes (default: one per core), started as tasks arrive.
    initializer, initargs : optional
        Called in each worker as it starts (``initargs`` may hold ``multiprocessing`` objects
        that are passed at start-up only, such as a ``Value``).
    context : multiprocessing context, optional
        Default: ``spawn`` (safe beside Qt's threads).
    on_message : callable(object), optional
        Receives what tasks :func:`send`, on the pool's own thread, in order per worker.

    A task whose worker dies fails with :class:`WorkerDied`, recorded in :attr:`deaths`; a
    replacement starts when a task waits for one.
    """

    def __init__(self, workers=None, initializer=None, initargs=(), context=None,
                 on_message=None):
        self.max_workers = int(workers or os.cpu_count() or 1)
        if self.max_workers < 1:
            raise ValueError(f"a pool needs at least one worker, got {workers!r}")
        self._context = context or multiprocessing.get_context("spawn")
        self._initializer, self._initargs = initializer, tuple(initargs)
        self.on_message = on_message
        self.deaths = []
        self._pending = collections.deque()
        self._workers = []
        self._lock = threading.RLock()  # a future's callbacks may submit
        self._shutdown = False
        self._ending = False
        self._broken = None
        self._idle_deaths = 0
        self._wake_reader, self._wake_writer = multiprocessing.Pipe(duplex=False)
        self._wake_lock = threading.Lock()
        self._thread = None

    # -- the Executor API ---------------------------------------------------------------------

    def submit(self, fn, /, *args, **kwargs):
        future = concurrent.futures.Future()
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot schedule new futures after shutdown")
            if self._broken is not None:
                raise RuntimeError(self._broken)
            self._pending.append((future, fn, args, kwargs))
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="process-pool",
                                                daemon=True)
                self._thread.start()
        self._wake()
        return future

    def shutdown(self, wait=True, *, cancel_futures=False):
        with self._lock:
            self._shutdown = True
            if cancel_futures:
                self._cancel_pending()
            thread = self._thread
        self._wake()
        if wait and thread is not None:
            thread.join()
        if thread is None or not thread.is_alive():
            self._close_wake()

    def terminate(self):
        """End every worker now (SIGTERM): waiting tasks are cancelled, running ones fail with
        :class:`WorkerDied` (``ended``). Returns at once; :meth:`shutdown` waits."""
        with self._lock:
            self._shutdown = self._ending = True
            self._cancel_pending()
            processes = [worker.process for worker in self._workers]
        for process in processes:
            if process.is_alive():
                process.terminate()
        self._wake()

    # -- the pool's thread --------------------------------------------------------------------

    def _cancel_pending(self):
        """(Lock held.)"""
        while self._pending:
            self._pending.popleft()[0].cancel()

    def _wake(self):
        with self._wake_lock:
            if not self._wake_writer.closed:
                self._wake_writer.send_bytes(b"")

    def _close_wake(self):
        with self._wake_lock:
            self._wake_writer.close()
        self._wake_reader.close()

    def _serve(self):
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # see the module doc
        try:
            while True:
                self._dispatch()
                with self._lock:
                    busy = [worker for worker in self._workers if worker.future is not None]
                    if self._shutdown and not self._pending and not busy:
                        break
                    workers = list(self._workers)
                waitables = [self._wake_reader]
                for worker in workers:
                    waitables += [worker.connection, worker.process.sentinel]
                ready = set(multiprocessing.connection.wait(waitables))
                while self._wake_reader.poll():
                    self._wake_reader.recv_bytes()
                for worker in workers:
                    if worker.connection in ready or worker.process.sentinel in ready:
                        self._receive(worker)
        finally:
            self._stop_workers()

    def _dispatch(self):
        with self._lock:
            while self._pending and not self._ending:
                idle = next((w for w in self._workers if w.future is None), None)
                if idle is None and len(self._workers) >= self.max_workers:
                    return
                future, fn, args, kwargs = self._pending.popleft()
                if not future.set_running_or_notify_cancel():
                    continue
                worker = idle or self._spawn()
                try:
                    worker.connection.send((fn, args, kwargs))
                except OSError:  # the worker died just now: its end is read next
                    worker.future = future
                    continue
                except Exception as exc:  # noqa: BLE001 -- the task does not pickle
                    future.set_exception(exc)
                    continue
                worker.future = future

    def _spawn(self):
        """(Lock held.) Start a worker."""
        mine, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(target=_worker, name="losslab-pool-worker",
                                        args=(theirs, self._initializer, self._initargs),
                                        daemon=True)
        process.start()
        theirs.close()  # so this end reads EOF once the worker is gone
        worker = _Worker(process, mine)
        self._workers.append(worker)
        return worker

    def _receive(self, worker):
        """Read what ``worker`` sent; its end of the pipe closing means it died."""
        try:
            while worker.connection.poll():
                kind, payload = worker.connection.recv()
                if kind == "message":
                    if self.on_message is not None:
                        self.on_message(payload)
                    continue
                future, worker.future = worker.future, None
                self._idle_deaths = 0
                if kind == "result":
                    future.set_result(payload)
                else:
                    future.set_exception(payload)
        except (EOFError, OSError):  # only this pool's process held the other end
            self._lost(worker)

    def _lost(self, worker):
        """``worker`` died: its task fails with the reason; tasks waiting get a new worker."""
        worker.process.join(1.0)
        worker.connection.close()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
            death = WorkerDied(worker.process.pid, worker.process.exitcode, self._ending)
            future, worker.future = worker.future, None
            if future is not None:
                self.deaths.append(death)
                future.set_exception(death)
                return
            if self._shutdown:
                return
            self._idle_deaths += 1
            if self._idle_deaths >= MAX_IDLE_DEATHS:
                self._broken = (f"{MAX_IDLE_DEATHS} worker processes died before running a "
                                f"task; the last: {death}")
                while self._pending:
                    failed = self._pending.popleft()[0]
                    if failed.set_running_or_notify_cancel():
                        failed.set_exception(RuntimeError(self._broken))

    def _stop_workers(self):
        with self._lock:
            workers, self._workers = list(self._workers), []
        for worker in workers:
            try:
                worker.connection.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + EXIT_SECONDS
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(1.0)
            worker.connection.close()
            if worker.future is not None:  # only when the pool's own thread failed
                worker.future.set_exception(WorkerDied(worker.process.pid,
                                                       worker.process.exitcode, True))


__all__ = ["ProcessPool", "WorkerDied", "send", "MAX_IDLE_DEATHS"]
