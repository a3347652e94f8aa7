"""nbgrader configuration of the course. The course root is this folder.

The kit's commands (`dl-course ...`, see the README) load this file wherever
they are run from; plain `nbgrader ...` commands must be run from this folder.
"""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

c = get_config()  # noqa: F821 (provided by the config loader)

c.CourseDirectory.course_id = "deep-l-layer"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db")

# Limits of each student's grading kernel under `dl-course autograde` (see the
# README, "Grading safely"). Plain `nbgrader autograde` uses c.Execute.timeout.
c.SandboxedExecute.cell_timeout = 60  # seconds a cell may run before it is interrupted
c.SandboxedExecute.interrupt_grace = 5  # seconds to stop after that, else the kernel is killed
c.SandboxedExecute.memory_mb = 3072  # memory cap of the kernel (MiB)
c.SandboxedExecute.output_kb = 256  # output kept per cell (KiB)
c.SandboxedExecute.file_mb = 64  # largest file the student's code may write (MiB)
c.SandboxedExecute.reverify = True  # re-run the passed tests in a clean process
c.Execute.timeout = 60
# Short tracebacks: feedback shows the check's message, not the test code.
c.Execute.extra_arguments = [
    "--InteractiveShell.xmode=Minimal",
    "--IPKernelApp.log_level=ERROR",
]

# Feedback shows the score per exercise and the checks' messages, never the
# code of the hidden tests.
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, ClearHiddenTests]

# Long outputs are cut in the graded copy.
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
