"""Serving the graph lab to a room (app/classroom.py, app/voila.py, `make app`): the cap on
kernels, the culler and Voila's pool, the Host check, the settings and the make options.
The same server in a real browser: tests/browser/test_voila_class.py."""

import asyncio
import concurrent.futures
import os
import re
import shutil
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import TraitError
from traitlets.config.loader import PyFileConfigLoader

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app"
sys.path.insert(0, str(APP))

import classroom  # noqa: E402
from classroom import CappedKernelManager, host_allowed  # noqa: E402

# ---- the Host check -------------------------------------------------------------------


@pytest.mark.parametrize(
    "host, local, allowed, served",
    [
        ("127.0.0.1:8866", "127.0.0.1", [], True),
        ("localhost:8866", "127.0.0.1", [], True),
        ("LOCALHOST.", "127.0.0.1", [], True),
        ("[::1]:8866", "::1", [], True),
        ("evil.example", "127.0.0.1", [], False),  # a DNS-rebinding page on this machine
        ("evil.example:8866", "192.168.1.20", [], False),
        ("localhost.evil.example", "127.0.0.1", [], False),
        ("192.168.1.20:8866", "192.168.1.20", [], True),  # the room types the machine's address
        ("192.168.1.20:8866", "::ffff:192.168.1.20", [], True),  # the same, on a dual-stack socket
        ("192.168.1.21:8866", "192.168.1.20", [], False),  # another machine's address
        ("10.0.0.5", None, ["10.0.0.5"], True),  # an address given with HOSTS= (behind a proxy)
        ("teacher.local:8866", "192.168.1.20", ["teacher.local"], True),
        ("Teacher.Local.", "192.168.1.20", ["teacher.local"], True),
        ("student.local", "192.168.1.20", ["teacher.local"], False),
        ("anything.example", "127.0.0.1", ["*"], True),
        ("", "127.0.0.1", [], False),
    ],
)
def test_host_check(host, local, allowed, served):
    assert host_allowed(host, local, allowed) is served


def test_the_machine_is_served_under_its_own_name():
    # Voila on 0.0.0.0 prints its address with the machine's name: that name must pass
    name = socket.gethostname()
    assert host_allowed(f"{name}:8866", "192.168.1.20", classroom.own_names())
    assert host_allowed(f"{name}.local:8866", "192.168.1.20", classroom.own_names())
    assert not host_allowed(f"{name}.evil.example", "192.168.1.20", classroom.own_names())


# ---- the cap and the culler, with kernels faked ---------------------------------------


class PoolManager(CappedKernelManager):
    """The cap with the parts of Voila's pool it relies on (Voila adds them with
    preheat_kernel: a dict of pools of tasks, fill_if_needed, a culler that skips them)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._pools = {"app.ipynb": []}
        self.fills = []

    def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
        self.fills.append(notebook_name)

    async def cull_kernel_if_idle(self, kernel_id):
        if kernel_id in self._pooled_now():
            return None
        return await super().cull_kernel_if_idle(kernel_id)


@pytest.fixture
def fake_kernels(monkeypatch):
    """AsyncMappingKernelManager's start and shutdown, without kernel processes."""
    counter = iter(range(1000))

    async def start_kernel(self, *, kernel_name=None, **kwargs):
        await asyncio.sleep(0.01)  # a start takes time: other starts run meanwhile
        kernel_id = f"k{next(counter)}"
        self._kernels[kernel_id] = SimpleNamespace(
            last_activity=utcnow(),
            execution_state="idle",
            kernel_name="python3",
            kernel_spec=SimpleNamespace(metadata={}),
        )
        self._kernel_connections[kernel_id] = 0
        return kernel_id

    async def shutdown_kernel(self, kernel_id, now=False, restart=False):
        await asyncio.sleep(0.01)
        self._kernels.pop(kernel_id)
        self._kernel_connections.pop(kernel_id, None)

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", start_kernel)
    monkeypatch.setattr(AsyncMappingKernelManager, "shutdown_kernel", shutdown_kernel)


def run(coroutine):
    # In a thread of its own: in the full suite Playwright's sync API keeps an event loop
    # running in the main thread, where asyncio.run refuses to start another.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def test_the_cap_refuses_a_kernel_with_the_full_page(fake_kernels):
    async def scenario():
        manager = PoolManager(max_kernels=2)
        await manager.start_kernel()
        await manager.start_kernel()
        with pytest.raises(web.HTTPError) as refused:
            await manager.start_kernel()
        return refused.value

    refused = run(scenario())
    assert refused.status_code == 503 and refused.reason == "The graph lab is full"
    assert refused.log_message % refused.args == "All 2 places are taken."


def test_visits_at_the_same_moment_cannot_pass_the_cap(fake_kernels):
    async def scenario():
        manager = PoolManager(max_kernels=3)
        results = await asyncio.gather(*(manager.start_kernel() for _ in range(5)), return_exceptions=True)
        return manager, results

    manager, results = run(scenario())
    assert len(manager) == 3
    assert sum(isinstance(r, web.HTTPError) for r in results) == 2


def test_a_refused_refill_leaves_the_pool_and_comes_back_when_a_kernel_goes(fake_kernels):
    async def scenario():
        manager = PoolManager(max_kernels=1)
        first = await manager.start_kernel()
        refill = asyncio.get_running_loop().create_task(manager.start_kernel())
        manager._pools["app.ipynb"].append(refill)  # as Voila's fill_if_needed keeps it
        with pytest.raises(web.HTTPError):
            await refill
        assert manager._pools["app.ipynb"] == []  # no failed task left for a visitor to take
        assert manager.fills == []
        await manager.shutdown_kernel(first)
        return manager

    assert run(scenario()).fills == ["app.ipynb"]


def waiting_in_pool(manager, kernel):
    task = asyncio.get_running_loop().create_future()
    task.set_result({"kernel_id": kernel})
    manager._pools["app.ipynb"].append(task)


def test_a_kernel_just_taken_from_the_pool_is_not_culled_before_its_page_connects(fake_kernels):
    async def scenario():
        manager = PoolManager(max_kernels=5, cull_idle_timeout=30, connect_grace=120)
        kernel = await manager.start_kernel()
        waiting_in_pool(manager, kernel)
        manager._kernels[kernel].last_activity = utcnow() - timedelta(minutes=10)  # ran the notebook long ago
        await manager.cull_kernels()
        assert kernel in manager  # waiting in the pool: never culled
        manager._pools["app.ipynb"].clear()  # a visitor takes it; the page is still loading
        await manager.cull_kernels()
        await manager.cull_kernels()
        assert kernel in manager
        manager._handed_out[kernel] -= 200  # the page never came (a crash, a closed lid)
        await manager.cull_kernels()
        return kernel, manager

    kernel, manager = run(scenario())
    assert kernel not in manager


def test_a_kernel_started_for_a_visitor_past_the_pool_waits_for_its_page(fake_kernels):
    async def scenario():
        manager = PoolManager(max_kernels=5, cull_idle_timeout=30, connect_grace=120)
        kernel = await manager.start_kernel()  # no pool kernel left: one started for this visit
        manager._kernels[kernel].last_activity = utcnow() - timedelta(minutes=1)  # ran the notebook
        await manager.cull_kernels()
        assert kernel in manager  # the page is still loading its scripts
        manager._handed_out[kernel] -= 200  # and never came
        await manager.cull_kernels()
        return kernel, manager

    kernel, manager = run(scenario())
    assert kernel not in manager


def test_a_kernel_still_starting_is_left_alone_by_the_culler(fake_kernels):
    class Starting:
        @property
        def last_activity(self):
            raise TraitError("The 'last_activity' trait expected a datetime, not the NoneType None.")

    async def scenario():
        manager = PoolManager(max_kernels=5, cull_idle_timeout=30)
        manager._kernels["starting"] = Starting()
        return await manager.cull_kernel_if_idle("starting"), manager

    result, manager = run(scenario())
    assert result is None and "starting" in manager._kernels


def test_a_kernel_whose_page_came_and_went_is_culled(fake_kernels):
    async def scenario():
        manager = PoolManager(max_kernels=5, cull_idle_timeout=30, connect_grace=120)
        kernel = await manager.start_kernel()
        waiting_in_pool(manager, kernel)
        await manager.cull_kernels()
        manager._pools["app.ipynb"].clear()
        await manager.cull_kernels()
        manager.notify_connect(kernel)  # the page connects ...
        manager._kernels[kernel].last_activity = utcnow() - timedelta(minutes=1)
        await manager.cull_kernels()
        assert kernel in manager  # ... and stays, idle: never culled while connected
        manager.notify_disconnect(kernel)  # gone without a word
        await manager.cull_kernels()
        return kernel, manager

    kernel, manager = run(scenario())
    assert kernel not in manager


def test_a_kernel_being_shut_down_is_not_culled_again(fake_kernels):
    async def scenario():
        manager = PoolManager(max_kernels=5, cull_idle_timeout=30)
        kernel = await manager.start_kernel()
        manager._kernels[kernel].last_activity = utcnow() - timedelta(minutes=10)
        calls = []
        original = AsyncMappingKernelManager.shutdown_kernel

        async def counted(self, kernel_id, *args, **kwargs):
            calls.append(kernel_id)
            await original(self, kernel_id, *args, **kwargs)

        AsyncMappingKernelManager.shutdown_kernel = counted
        try:
            await asyncio.gather(manager.shutdown_kernel(kernel), manager.cull_kernels())
        finally:
            AsyncMappingKernelManager.shutdown_kernel = original
        return calls

    assert run(scenario()) == ["k0"]


# ---- the settings: app/voila.py and its template ---------------------------------------


@pytest.fixture(scope="module")
def settings():
    loader = PyFileConfigLoader("voila.py", path=str(APP))
    before = os.environ.get("JUPYTER_PATH")
    try:
        return loader.load_config()
    finally:  # the file puts its template on JUPYTER_PATH for Voila's process; not for this one
        if before is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = before


def test_settings_serve_this_machine_only_with_a_pool_a_cap_and_a_culler(settings):
    assert settings.Voila.ip == "127.0.0.1"
    assert settings.VoilaConfiguration.preheat_kernel is True
    assert settings.VoilaConfiguration.default_pool_size >= 4  # four visitors at once
    assert settings.VoilaConfiguration.multi_kernel_manager_class == "classroom.CappedKernelManager"
    assert settings.Voila.identity_provider_class == "classroom.ClassroomIdentityProvider"
    kernels = settings.MappingKernelManager
    # a kernel without a connection goes within a minute; one with its page open stays
    assert 0 < kernels.cull_idle_timeout and kernels.cull_idle_timeout + kernels.cull_interval <= 60
    assert kernels.cull_connected is False
    assert settings.PasswordIdentityProvider.allow_password_change is False
    # CSRF protection is not turned off anywhere
    assert "disable_check_xsrf" not in str(settings)


def test_the_classroom_template_asks_nothing_of_the_outside(settings):
    template = APP / "jupyter" / "voila" / "templates" / settings.VoilaConfiguration.template
    assert (template / "conf.json").exists() and (template / "index.html.j2").exists()
    for path in template.iterdir():
        text = path.read_text()
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text), path.name
    # the two links the lab template would add are the ones it replaces
    lab = Path(sys.prefix, "share", "jupyter", "voila", "templates", "lab", "index.html.j2").read_text()
    assert "cdn.jsdelivr.net/npm/@fortawesome" in lab


# ---- `make app` options ------------------------------------------------------------------


def make_app(*variables: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    out = subprocess.run(
        ["make", "-n", "-s", "app", *variables], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    return next(line for line in out.splitlines() if "voila notebooks/app_graph_lab.ipynb" in line)


def test_make_app_serves_this_machine_only_by_default():
    command = make_app()
    assert "--Voila.ip=127.0.0.1" in command and "--token" not in command
    assert f"--Voila.config_file_paths={APP}" in command


def test_make_app_for_a_room():
    command = make_app(
        "ADDRESS=0.0.0.0",
        "TOKEN=graphs",
        "POOL=6",
        "MAX_KERNELS=40",
        "PORT=9000",
        "HOSTS=teacher.local lab.school.example",
    )
    for option in [
        "--Voila.ip=0.0.0.0",
        "--token=graphs",
        "--pool_size=6",
        "--CappedKernelManager.max_kernels=40",
        "--port=9000",
        "--ClassroomIdentityProvider.allowed_hosts=teacher.local",
        "--ClassroomIdentityProvider.allowed_hosts=lab.school.example",
    ]:
        assert option in command.split(), option


def test_make_app_on_a_network_without_a_token_makes_one_up():
    assert "--token" in make_app("ADDRESS=0.0.0.0").split()
    assert "--token" not in make_app("ADDRESS=localhost").split()
