"""The course commands a student and an instructor type: copies, errors, exit codes."""

import json
import subprocess
import sys

from grading_helpers import (
    ROOT,
    cell_scores,
    copy_course,
    points,
    student_notebook,
    write_submission,
)

from dl_utils.grading.cli import main as dl_course


def test_student_copy_releases_everything_and_never_overwrites_work(tmp_path):
    course = copy_course(tmp_path / "course")
    student = tmp_path / "student"
    assert dl_course(["--course", str(course.root), "student-copy", "--to", str(student)]) == 0
    notebooks = sorted(p.relative_to(student).as_posix() for p in student.rglob("*.ipynb"))
    expected = [f"{a}/{a}.ipynb" for a in course.assignments()] + ["demos/playground.ipynb"]
    assert notebooks == sorted(expected)
    for path in student.rglob("*.ipynb"):
        assert "BEGIN SOLUTION" not in path.read_text(), path
    mine = student / "01_step_by_step" / "01_step_by_step.ipynb"
    work = json.loads(mine.read_text())
    work["cells"][0]["source"] = "my own notes"
    mine.write_text(json.dumps(work))
    assert dl_course(["--course", str(course.root), "student-copy", "--to", str(student)]) == 0
    assert json.loads(mine.read_text())["cells"][0]["source"] == "my own notes"


def test_bad_commands_say_what_is_wrong(tmp_path, capsys):
    assert dl_course(["--course", str(tmp_path), "release"]) == 2
    assert "has no nbgrader_config.py" in capsys.readouterr().err
    course = copy_course(tmp_path / "course")
    assert dl_course(["--course", str(course.root), "release", "05_nothing"]) == 2
    assert "unknown assignment 05_nothing" in capsys.readouterr().err
    submissions = tmp_path / "submissions" / "alice"
    submissions.mkdir(parents=True)
    (submissions / "01_step_by_step.ipynb").write_text("{}")
    args = ["--course", str(course.root), "autograde", "01_step_by_step"]
    assert dl_course([*args, "--submissions", str(tmp_path / "submissions")]) == 2
    assert "run `dl-course release` first" in capsys.readouterr().err
    assert (
        dl_course(
            [
                "--course",
                str(course.root),
                "autograde",
                "01_step_by_step",
                "--submissions",
                str(tmp_path / "none"),
            ]
        )
        == 2
    )
    assert "no folder of submissions" in capsys.readouterr().err


def test_the_commands_work_from_any_folder(tmp_path):
    bin_dir = f"{sys.prefix}/bin"
    result = subprocess.run(
        [
            f"{bin_dir}/dl-course",
            "--course",
            str(copy_course(tmp_path / "c").root),
            "release",
            "04_gradient_checking",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert (
        tmp_path / "c" / "release" / "04_gradient_checking" / "04_gradient_checking.ipynb"
    ).exists()
    assert not (tmp_path / "gradebook.db").exists(), "nothing is written where the command is run"


def test_make_course_opens_the_student_copies():
    plan = subprocess.run(["make", "-n", "course"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "dl-course student-copy --to student" in plan
    assert "--notebook-dir=student" in plan


def test_grading_refuses_to_start_without_a_jail_unless_the_instructor_accepts(
    tmp_path, monkeypatch, capsys
):
    import dl_utils.grading.course as course_module
    from dl_utils.grading.jail import UNJAILED_VARIABLE

    monkeypatch.setattr(course_module, "jail_problem", lambda: "bubblewrap is not installed")
    monkeypatch.setenv(UNJAILED_VARIABLE, "0")  # restored afterwards: --no-jail sets it
    course = copy_course(tmp_path / "course")
    course.release()
    a = "04_gradient_checking"
    write_submission(tmp_path / "in", "alice", a, {f"{a}.ipynb": student_notebook(course, a)})
    args = ["--course", str(course.root), "autograde", a, "--submissions", str(tmp_path / "in")]
    assert dl_course(args) == 2
    error = capsys.readouterr().err
    assert "cannot be jailed here: bubblewrap is not installed" in error and "--no-jail" in error
    assert not course.path("autograded").exists(), "no student code ran"
    assert dl_course([*args, "--no-jail"]) == 0
    assert "grading without a jail" in capsys.readouterr().out
    assert cell_scores(course, a, "alice") == points(course, a)


def test_without_course_the_commands_work_on_the_course_they_are_run_in(tmp_path, monkeypatch):
    from dl_utils.grading.course import DEFAULT_COURSE, find_course

    course = copy_course(tmp_path / "kit" / "notebooks")
    (tmp_path / "kit" / "notebooks" / "source" / "sub").mkdir()
    assert find_course(tmp_path / "kit") == course.root  # a copy of the kit
    assert find_course(tmp_path / "kit" / "notebooks" / "source" / "sub") == course.root
    assert find_course(tmp_path) == DEFAULT_COURSE  # nothing here: the kit's own
    monkeypatch.chdir(tmp_path / "kit")
    assert dl_course(["release", "04_gradient_checking"]) == 0
    assert course.path("release", "04_gradient_checking", "04_gradient_checking.ipynb").exists()
