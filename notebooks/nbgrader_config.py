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

# Limits of each submission under `dl-course autograde` (see the README,
# "Grading safely"): its notebook runs in one jail, its tests are judged
# against a worker in another. Plain `nbgrader autograde` uses c.Execute.timeout.
c.JudgedExecute.cell_timeout = 60  # seconds a notebook cell may run before it is interrupted
c.JudgedExecute.interrupt_grace = 5  # seconds to stop after that, else the kernel is killed
c.JudgedExecute.notebook_timeout = 900  # seconds the whole notebook may run
c.JudgedExecute.call_timeout = 15  # seconds one call of a student's function may take
c.JudgedExecute.check_budget = 45  # seconds all the calls of one exercise may take
c.JudgedExecute.judge_timeout = 600  # seconds the judging of one submission may take
c.JudgedExecute.memory_mb = 3072  # address space of each process (MiB)
c.JudgedExecute.processes = 64  # processes and threads in one jail
c.JudgedExecute.disk_mb = 256  # everything a jail may write (MiB)
c.JudgedExecute.file_mb = 64  # largest file the student's code may write (MiB)
c.JudgedExecute.output_kb = 256  # notebook output kept per cell (KiB)
c.JudgedExecute.output_mb = 64  # output a jail may print before it is stopped (MiB)
c.Execute.timeout = 60
# Short tracebacks: feedback shows the check's message, not the test code.
c.Execute.extra_arguments = [
    "--InteractiveShell.xmode=Minimal",
    "--IPKernelApp.log_level=ERROR",
]

# Feedback shows the score per exercise and the checks' messages, never the
# code of the hidden tests.
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, ClearHiddenTests]

# The students' markdown (their written answers) and outputs are shown as HTML in
# the formgrader and the feedback: sanitized, so that no script of a student's
# runs in the instructor's browser.
c.HTMLExporter.sanitize_html = True

# Long outputs are cut in the graded copy.
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
