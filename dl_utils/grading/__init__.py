"""Grading the course with nbgrader: the instructor's workflow (see cli.py)."""

from .course import DEFAULT_COURSE, Course, GradingError
from .outcomes import Outcome
