"""Taking in submissions: copied without following a path the student made.

A submission folder is student-made: it may hold symbolic links (to a secret,
to another student's notebook, to the gradebook), files that are not
notebooks, scratch notebooks beside the assignment's, or notebooks nobody can
read. The grader's code outside the jail

- never follows a symbolic link: ``copy_folder`` copies regular files and
  folders only and names every link it left out;
- grades the assignment's notebooks only (``split_notebooks``): an extra
  notebook is left out and noted;
- reads a notebook itself before nbgrader does (``notebook_problem``), so a
  file that is not JSON, nested too deeply or not a notebook gets its own
  plain reason;
- puts back the instructor's nbgrader metadata (``restore_metadata``): the
  metadata in a submission is the student's to change, and nbgrader stops on
  a changed one ("Inconsistent checksums") where the instructor's is known.
"""

import json
import os
import shutil

MAX_NOTEBOOK_MB = 50
SKIPPED_FOLDERS = {".ipynb_checkpoints", "__pycache__"}


def copy_folder(source, target):
    """Copy the regular files and folders of ``source`` into ``target`` (made).

    Symbolic links, sockets and the like are left out. Returns the notes: one
    line per thing left out, e.g. "secret.txt is a symbolic link (left out)".
    """
    notes = []
    os.makedirs(target, exist_ok=True)
    for root, dirs, files in os.walk(source, followlinks=False):
        relative_root = os.path.relpath(root, source)
        for name in list(dirs):
            path = os.path.join(root, name)
            if name in SKIPPED_FOLDERS:
                dirs.remove(name)
            elif os.path.islink(path):
                dirs.remove(name)
                notes.append(f"{_relative(relative_root, name)} is a symbolic link (left out)")
            else:
                os.makedirs(os.path.join(target, relative_root, name), exist_ok=True)
        for name in files:
            path = os.path.join(root, name)
            relative = _relative(relative_root, name)
            if os.path.islink(path):
                notes.append(f"{relative} is a symbolic link (left out)")
            elif not os.path.isfile(path):
                notes.append(f"{relative} is not a regular file (left out)")
            else:
                _copy_file(path, os.path.join(target, relative_root, name))
    return notes


def _copy_file(source, target):
    """Copy one regular file, refusing to open it if it became a link meanwhile."""
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)


def _relative(root, name):
    return name if root == "." else os.path.join(root, name)


def split_notebooks(folder, expected):
    """Move aside the notebooks of ``folder`` that the assignment does not have.

    expected: the assignment's notebook file names, e.g. ["01_step_by_step.ipynb"].
    Returns (missing, notes): the expected notebooks not in the folder, and one
    note per extra notebook (removed from the folder, so that it is not graded).
    """
    notes = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".ipynb") and name not in expected and os.path.isfile(path):
            os.remove(path)
            notes.append(f"{name} is not a notebook of this assignment (not graded)")
    missing = [name for name in expected if not os.path.isfile(os.path.join(folder, name))]
    return missing, notes


def notebook_problem(path):
    """Why nbgrader could not read the notebook at ``path``, in plain words; None if it can."""
    if os.path.getsize(path) > MAX_NOTEBOOK_MB * 1024 * 1024:
        return f"invalid notebook: the file is larger than {MAX_NOTEBOOK_MB} MB"
    try:
        with open(path, "rb") as f:
            data = json.loads(f.read().decode("utf-8"))
    except UnicodeDecodeError:
        return "invalid notebook: the file is not text (UTF-8)"
    except RecursionError:
        return "invalid notebook: the file is nested too deeply to be read"
    except ValueError:
        return "invalid notebook: the file is not valid JSON"
    if type(data) is not dict or type(data.get("cells")) is not list:
        return "invalid notebook: not a valid notebook file (it has no list of cells)"
    if _depth(data) > 64:
        return "invalid notebook: the file is nested too deeply to be read"
    return None


def _depth(value, limit=65):
    """How deeply lists and dicts nest in value (counted up to limit), without recursion."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, depth = todo.pop()
        deepest = max(deepest, depth)
        if depth >= limit:
            return depth
        children = item.values() if type(item) is dict else item if type(item) is list else ()
        todo.extend((child, depth + 1) for child in children if type(child) in (dict, list))
    return deepest


def _set_type(cell, kind):
    """Make a cell a code or markdown cell again, with the fields that type has."""
    cell["cell_type"] = kind
    if kind == "code":
        cell.setdefault("outputs", [])
        cell.setdefault("execution_count", None)
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)


NBGRADER_KEYS = ("grade", "solution", "locked", "task", "points", "grade_id", "schema_version")


def restore_metadata(path, released):
    """Give the cells of the notebook at ``path`` the nbgrader metadata of the
    released notebook ``released`` (nbformat-like dicts read as JSON); rewrite it.

    A cell keeps its place and its source; a cell whose grade_id the release
    does not know becomes a plain cell. Returns the notes, one per change.
    """
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    known = {}
    for cell in released["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta and meta.get("grade_id"):
            known[meta["grade_id"]] = (cell["cell_type"], meta)
    notes, seen = [], []
    for index, cell in enumerate(nb["cells"], start=1):
        if type(cell) is not dict or type(cell.get("metadata")) is not dict:
            continue
        meta = cell["metadata"].get("nbgrader")
        if meta is None:
            continue
        grade_id = meta.get("grade_id") if type(meta) is dict else None
        if grade_id not in known:
            del cell["metadata"]["nbgrader"]
            notes.append(
                f"cell {index} had nbgrader metadata the assignment does not have "
                "(it was graded as a plain cell)"
            )
            continue
        kind, original = known[grade_id]
        if cell.get("cell_type") != kind:
            notes.append(
                f"cell {index} ({grade_id}) had been turned into a {cell.get('cell_type')} cell"
            )
            _set_type(cell, kind)
        if any(meta.get(key) != original.get(key) for key in NBGRADER_KEYS):
            notes.append(
                f"the nbgrader metadata of cell {index} ({grade_id}) had been changed: "
                "the instructor's was put back"
            )
        cell["metadata"]["nbgrader"] = dict(original)
        seen.append(grade_id)
    for grade_id in known:
        if grade_id not in seen and known[grade_id][1].get("grade"):
            notes.append(f"the cell {grade_id} had been deleted (nbgrader put it back)")
    for grade_id in sorted({g for g in seen if seen.count(g) > 1}):
        notes.append(
            f"the cell {grade_id} appears {seen.count(grade_id)} times (the last is graded)"
        )
    with open(path, "w", encoding="utf-8") as f:
        json.dump(nb, f)
    return notes
