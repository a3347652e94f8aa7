"""A background worker that runs the latest request only: no queue of retrains.

Widget callbacks run in the kernel's main thread, which must stay free to
receive the next slider change. So the playground hands each request (retrain,
step, draw...) to a ``Runner``: one background thread that runs one job at a
time. Every ``submit`` gets a new generation number; a job asks
``runner.is_current(generation)`` between chunks of work and stops as soon as
a newer request has arrived. Requests that arrive while a job runs are not
queued: only the newest one runs next.
"""

import threading
import traceback


class Runner:
    """Run submitted jobs in one background thread, newest first, stale ones stopped."""

    def __init__(self, on_error=None):
        """on_error: called with (generation, error, traceback text) when a job raises."""
        self.on_error = on_error
        self.generation = 0
        self._job = None  # the newest request not started yet: (generation, job)
        self._busy = False
        self._condition = threading.Condition()
        self._thread = None

    def submit(self, job):
        """Ask for ``job(generation)`` to run; any older job still running should stop.

        job: a function of one argument, its generation number.
        Returns the generation number of this request.
        """
        with self._condition:
            self.generation += 1
            self._job = (self.generation, job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="playground", daemon=True)
                self._thread.start()
            self._condition.notify_all()
            return self.generation

    def is_current(self, generation):
        """True while no newer request has come in since ``generation``."""
        return generation == self.generation

    def wait(self, timeout=30.0):
        """Block until no job is running or waiting; return False on timeout."""
        with self._condition:
            return self._condition.wait_for(
                lambda: self._job is None and not self._busy, timeout=timeout
            )

    @property
    def started(self):
        """True once the background thread exists (the first ``submit``)."""
        return self._thread is not None

    def _work(self):
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._job is not None)
                generation, job = self._job
                self._job = None
                self._busy = True
            try:
                job(generation)
            except Exception as error:  # report, and keep the worker alive
                if self.on_error is not None:
                    self.on_error(generation, error, traceback.format_exc())
            finally:
                with self._condition:
                    self._busy = False
                    self._condition.notify_all()
