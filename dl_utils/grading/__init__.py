"""Grading the course with nbgrader: the instructor's workflow.

    course.py     the Course: release, autograde, feedback, export (wraps nbgrader's API)
    autograde.py  grading a class in parallel, each student in a private course copy
    runner.py     the grading kernel's driver: time, output and dead-kernel rules
    sandbox.py    limits and hidden folders for the student's code
    verify.py     the clean-process re-verification of passed tests
    outcomes.py   graded / partly graded / tampering / not graded, and why
    report.py     the report per student and per exercise
    cli.py        the `dl-course` command

This package imports nothing on its own: the sandbox and the re-verification
start as `python -m dl_utils.grading.<module>` for every student, and must not
pay for importing nbgrader.
"""
