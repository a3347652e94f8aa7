"""Grading the course with nbgrader: the instructor's workflow, and the judge.

    course.py     the Course: release, autograde, feedback, export (wraps nbgrader's API)
    autograde.py  grading a class in parallel, each student in a private course copy
    intake.py     taking in submissions without following a path the student made
    jail.py       the bubblewrap jail every piece of student code runs in
    stage.py      as root, a jail's first step: its cgroup, binds, the drop to its uid
    cgroup.py     memory and processes for a whole jail, where the machine allows
    execute.py    the notebook's run in its jail, for its outputs
    runner.py     inside that jail: the kernel's driver (time, output, dead kernels)
    judge.py      the trusted judge: the instructor's tests against the student's code
    notebook_code.py  what the judge reads of the two notebooks (never runs)
    remote.py     the judge's side of its worker: calls, callbacks, what comes back
    worker.py     inside another jail: the student's definitions, called on plain data
    wire.py       the plain-data messages between the judge and its worker
    review.py     code that reaches past its own work, noted for the instructor
    outcomes.py   graded / partly graded / tampering / not graded, and why
    report.py     the report per student and per exercise
    cli.py        the `dl-course` command

This package imports nothing on its own: stage.py, runner.py and worker.py
run by path (the last two inside jails, where the kit's package may not be
importable).
"""
