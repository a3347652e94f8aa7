"""nbgrader's settings for every user of the hub (the global nbgrader config).

make hub-install copies this file into the shared environment's etc/jupyter/, on
the config path of every server and nbgrader command run from that environment
(or copy it to /etc/jupyter/nbgrader_config.py). The exchange is one folder every
user can write (mode 1777); an instructor's course is the folder ~/course (a copy
of the kit's notebooks/), which the formgrader lists only with CourseDirectory.root.
"""

import getpass
import os

c = get_config()  # noqa: F821 (provided by the config loader)

c.Exchange.root = os.environ.get("DL_COURSE_EXCHANGE", "/srv/nbgrader/exchange")
c.CourseDirectory.course_id = "deep-l-layer"

INSTRUCTORS = os.environ.get("DL_COURSE_INSTRUCTORS", "instructor").split(",")
if getpass.getuser() in INSTRUCTORS:
    c.CourseDirectory.root = os.path.expanduser(os.environ.get("DL_COURSE_ROOT", "~/course"))
