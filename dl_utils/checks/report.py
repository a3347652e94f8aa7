"""What a check reports: one line per property that holds, or a failure.

A failure is a ``CheckFailed`` carrying its parts, not a sentence to parse:
the exercise, what is wrong, the likely cause (the hint, or None) and its kind.
The notebook shows it as two lines::

    linear_forward: Z has the right shape (3, 4) but wrong values
      Hint: W * A multiplies entry by entry; Z needs the matrix product np.dot(W, A)

and the grader keeps the parts (the report counts each hint).
"""

from .bound import _len, _print


class CheckFailed(AssertionError):
    """A check found a problem.

    exercise: the exercise's function name, e.g. "linear_forward".
    what: what is wrong, e.g. "Z has shape (3, 1), expected (3, 4)".
    hint: the likely cause and the idea that fixes it, or None.
    kind: what sort of failure it is (a class attribute, one per subclass):
        "mistake" (the answer is wrong), "not written yet", "out of time",
        "no credit" (the reference was called) or "tampering".
    """

    kind = "mistake"

    def __init__(self, exercise, what, hint=None):
        super().__init__(exercise, what, hint)  # args, so that it can be pickled
        self.exercise, self.what, self.hint = exercise, what, hint

    def __str__(self):
        text = f"{self.exercise}: {self.what}"
        return text + (f"\n  Hint: {self.hint}" if self.hint else "")

    def _render_traceback_(self):
        # IPython shows these lines instead of a traceback through the check's code:
        # the student sees the message and the hint, nothing else.
        return [f"{type(self).__name__}: {self}"]

    def with_hint(self, hint):
        """The same failure with another hint."""
        return type(self)(self.exercise, self.what, hint)


class NotWrittenYet(CheckFailed):
    """The student's function still raises NotImplementedError."""

    kind = "not written yet"


class OutOfTime(CheckFailed):
    """The student's calls used up the check's time budget (a loop that never ends)."""

    kind = "out of time"


class NoCredit(CheckFailed):
    """The student's function is, or calls, the reference it should compute."""

    kind = "no credit"


class Tampering(CheckFailed):
    """numpy's, dl_utils' or Python's functions were replaced in the student's kernel."""

    kind = "tampering"


class Checker:
    """Runs one exercise's check and reports property by property.

    name: the exercise's function name, used in messages.
    hidden: hidden tests print one summary line instead of every property.
    quiet: record the report without printing it (``show()`` prints it later).
    allowed: the reference functions the exercise lets the student call.
    """

    def __init__(self, name, hidden=False, quiet=False, allowed=()):
        self.name = name
        self.hidden = hidden
        self.quiet = quiet
        self.allowed = tuple(allowed)
        self.passed = []
        self.log = []  # the lines of the report, printed or not
        self.printed = 0  # characters the student's functions printed during the check
        self.last_call = None  # set by calling.call_student

    def _say(self, line, always=False):
        if always or not self.hidden:
            self.log.append(line)
            if not self.quiet:
                _print(line)

    def ok(self, what):
        """Record a property that holds."""
        self.passed.append(what)
        self._say(f"  \u2713 {what}")

    def note(self, text):
        """A remark printed with the result (e.g. which upstream function was swapped)."""
        self._say(f"  note: {text}", always=True)

    def fail(self, what, hint=None, failure=CheckFailed):
        """Stop the check: raise ``failure`` (a CheckFailed) with what is wrong and why."""
        self._say(f"  \u2717 {what}", always=True)
        raise failure(self.name, what, hint)

    def call(self, fn, args, exception_hints=(), kwargs=None, mutation_hint=None):
        """Call the student's function on copies of args (see ``calling.call_student``)."""
        from .calling import call_student

        return call_student(self, fn, args, exception_hints, kwargs, mutation_hint)

    def show(self):
        """Print what a quiet checker recorded, and print from now on."""
        if self.quiet:
            for line in self.log:
                _print(line)
            self.quiet = False

    def start(self):
        """Print the header line."""
        kind = "hidden tests" if self.hidden else "check"
        _print(f"{kind} of {self.name}:")

    def done(self):
        """Print the summary line."""
        n = _len(self.passed)
        if self.hidden:
            _print(
                f"  \u2713 all {n} hidden checks passed"
                if n != 1
                else "  \u2713 the hidden check passed"
            )
        else:
            _print(
                f"All {n} checks of {self.name} passed."
                if n != 1
                else f"The check of {self.name} passed."
            )

    def note_printing(self):
        """Say that the student's function printed while it was checked (never shown)."""
        if self.printed:
            self.note(
                f"{self.name} printed {self.printed:,} characters while it was checked; "
                "they are not shown. Remove its print calls: in a training loop they run "
                "thousands of times, slow it down and flood the notebook"
            )
