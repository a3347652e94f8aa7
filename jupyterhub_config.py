"""JupyterHub for the course: one machine, local Linux users, nbgrader's exchange.

Copy-paste ready (see the README, "On JupyterHub, with nbgrader's exchange"):

    git clone KIT /opt/dl-course && cd /opt/dl-course
    make hub-install PYTHON=/usr/bin/python3     # shared env every user can read
    mkdir -p -m 1777 /srv/nbgrader/exchange
    .venv/bin/jupyterhub -f jupyterhub_config.py  # as root

The hub runs from the kit's shared environment (this file's folder, .venv) and
starts each user's server from the same environment. The settings a test or
another machine changes are read from environment variables (defaults below).
"""

import os
import sys

c = get_config()  # noqa: F821 (provided by JupyterHub's config loader)

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("DL_HUB_DATA", "/srv/jupyterhub")  # hub database and cookie secret
IDLE_TIMEOUT = int(os.environ.get("DL_HUB_IDLE_TIMEOUT", "3600"))  # seconds before culling

# --- where the hub listens ------------------------------------------------------------
# Put TLS in front of it (or set c.JupyterHub.ssl_cert/ssl_key) before students log in.
c.JupyterHub.bind_url = os.environ.get("DL_HUB_BIND_URL", "http://:8000/")
c.JupyterHub.hub_bind_url = os.environ.get("DL_HUB_API_URL", "http://127.0.0.1:8081")
c.ConfigurableHTTPProxy.api_url = os.environ.get("DL_HUB_PROXY_API_URL", "http://127.0.0.1:8001")
# configurable-http-proxy from npm, pinned in hub/package-lock.json (make hub-install)
c.ConfigurableHTTPProxy.command = [
    os.path.join(HERE, "hub", "node_modules", ".bin", "configurable-http-proxy")
]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(DATA, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(DATA, "jupyterhub_cookie_secret")

# --- who logs in ------------------------------------------------------------------------
# PAM: the machine's own Linux users and passwords. Students are the members of one
# Linux group (usermod -aG dl-course NAME); the instructors are named.
INSTRUCTORS = {n for n in os.environ.get("DL_COURSE_INSTRUCTORS", "instructor").split(",") if n}
c.JupyterHub.authenticator_class = "pam"
c.LocalAuthenticator.allowed_groups = {os.environ.get("DL_HUB_GROUP", "dl-course")}
c.Authenticator.allowed_users = set(INSTRUCTORS)

# --- each user's server -------------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(sys.prefix, "bin", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# One BLAS thread per kernel: on a shared machine a second thread waits for a busy core
# and thin matrix products slow down by an order of magnitude (see the README).
c.Spawner.environment = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PATH": os.path.join(sys.prefix, "bin") + ":/usr/local/bin:/usr/bin:/bin",
}
# The course settings read by the global nbgrader config (hub/nbgrader_config.py,
# installed into the environment's etc/jupyter by make hub-install).
c.Spawner.env_keep = [
    "LANG",
    "LC_ALL",
    "DL_COURSE_EXCHANGE",
    "DL_COURSE_INSTRUCTORS",
    "DL_COURSE_ROOT",
]
# Limits. The local process spawner does NOT enforce these: it only passes them to the
# server as MEM_LIMIT and CPU_LIMIT (jupyter-resource-usage shows them). They are
# enforced by systemdspawner on one machine (cgroups), and on Kubernetes by KubeSpawner,
# which makes them the pod's limits (Zero to JupyterHub: singleuser.memory.limit,
# singleuser.cpu.limit; see docs/past_one_machine.md).
c.Spawner.mem_limit = os.environ.get("DL_HUB_MEM_LIMIT", "2G")
c.Spawner.cpu_limit = float(os.environ.get("DL_HUB_CPU_LIMIT", "1"))
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# --- idle culling: stop servers nobody has used for IDLE_TIMEOUT seconds -------------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={IDLE_TIMEOUT}",
            f"--cull-every={max(IDLE_TIMEOUT // 6, 10)}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
