"""Voila's settings for the graph lab page (`make app`; Voila 0.5.13, jupyter_server 2).

Voila reads this file because `make app` passes --Voila.config_file_paths=app. Options on
the command line win over it: the Makefile's ADDRESS, PORT, TOKEN, POOL, MAX_KERNELS and
HOSTS become --Voila.ip, --port, --token, --pool_size, --CappedKernelManager.max_kernels
and --ClassroomIdentityProvider.allowed_hosts.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # for classroom.py (kept out of helpers/: see its docstring)
# The "classroom" template (app/jupyter/voila/templates/classroom): Voila finds templates
# only in Jupyter's data directories, so this one is put on JUPYTER_PATH.
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in (str(HERE / "jupyter"), os.environ.get("JUPYTER_PATH", "")) if p
)

c = get_config()  # noqa: F821 (given by Voila's config loader)

# Loopback only unless asked: a lab on 0.0.0.0 is open to everyone on the network.
c.Voila.ip = "127.0.0.1"
c.Voila.port = 8866
# The address put on the projector must be the one served: no silent move to another port.
c.Voila.port_retries = 0

# Preheated kernels: Voila keeps this many kernels that have already run the notebook, so a
# visitor's page comes at once instead of after a kernel start, torch's import and the
# notebook's run (4-8 s here). Each waiting kernel holds about 290 MiB (200 MiB of it its
# own, the rest shared with the others); 4 covers four visitors arriving at once.
c.VoilaConfiguration.preheat_kernel = True
c.VoilaConfiguration.default_pool_size = 4
# A kernel taken from the pool is replaced 5 s later, not 1 s: starting one (torch's import,
# the notebook's run) takes a core for about 2.7 s, and on a laptop that also shows the page
# it slowed that page's first picture by a few tenths of a second. The price: in a rush,
# a visitor past the pool's size waits those 4 s more for a kernel.
c.VoilaKernelManager.fill_delay = 5
# A page asking for another template or theme (?template=...) would skip the preheated
# kernels, which were rendered with this one, and start a kernel of its own.
c.VoilaConfiguration.template = "classroom"  # Voila's lab template without CDN requests
c.VoilaConfiguration.allow_template_override = "NO"
c.VoilaConfiguration.allow_theme_override = "NO"

# At most MAX_KERNELS kernels (pool included); past that, a page says the lab is full.
c.VoilaConfiguration.multi_kernel_manager_class = "classroom.CappedKernelManager"
c.CappedKernelManager.max_kernels = 20

# A closed page shuts its kernel down (its shutdown POST gets its _xsrf cookie from
# ClassroomIdentityProvider); a page that went without saying so (a crashed browser, a
# laptop gone to sleep) leaves a kernel with no connection, culled here: 45 s without a
# message from the kernel, checked every 10 s, so within a minute. A kernel with a page
# connected is never culled (cull_connected), however long its student stays idle; nor is
# one just handed to a page that is still loading, for up to connect_grace seconds.
c.MappingKernelManager.cull_idle_timeout = 45
c.MappingKernelManager.cull_interval = 10
c.MappingKernelManager.cull_connected = False
c.CappedKernelManager.connect_grace = 120

# The Host check (against DNS rebinding) and the _xsrf cookie: see app/classroom.py.
# CSRF protection stays on: every POST needs its _xsrf field.
c.Voila.identity_provider_class = "classroom.ClassroomIdentityProvider"
# The login page (a visit without ?token=...) would let anyone who knows the token, that is
# the whole room, set a password for the server, which logs everyone else out.
c.PasswordIdentityProvider.allow_password_change = False

# Compressed answers: HTTP by gzip (app/classroom.py adds it) and the kernel's websocket by
# permessage-deflate, which carries the view's code once (0.9 MB, about 0.65 MB deflated).
c.Voila.tornado_settings = {"websocket_compression_options": {}}

# The page needs the widgets' extensions only (Voila's own widget manager for ipywidgets 8,
# JupyterLab's, anywidget's) and pygments' colours. Others installed beside
# the course (Notebook 7's, for the tests; ipylab and jupytext's, which otter-grader brings) are
# not loaded: each would add to what every visitor downloads, and the ones built for a newer
# JupyterLab than Voila 0.5's fill the page's console with "Unsatisfied version" warnings.
c.VoilaConfiguration.extension_allowlist = [
    "@voila-dashboards/widgets-manager8",
    "@jupyter-widgets/jupyterlab-manager",
    "anywidget",
    "jupyterlab_pygments",
]
