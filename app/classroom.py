"""Two pieces of Voila's server for serving the graph lab to a room (`make app`, app/voila.py).

* CappedKernelManager: at most `max_kernels` kernels at once, the preheated pool included.
  A visit past the cap gets the "graph lab is full" page (503.html of the classroom
  template) instead of a kernel; the pool is refilled again once a kernel has gone.
  It also keeps the idle culler off a preheated kernel that a visitor has just taken,
  until the visitor's page has connected to it.
* ClassroomIdentityProvider: refuses a request whose Host header names the server by a
  name it was not given (a DNS-rebinding page), and hands the page the `_xsrf` cookie
  that its shutdown request on closing needs.

This module sits in app/ and not in helpers/ on purpose: importing anything from helpers
runs helpers/__init__.py, which imports torch and the widgets into the server process
(about 200 MiB more, for nothing: the server never runs a graph).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import time
from collections.abc import Iterable

from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from tornado.ioloop import IOLoop
from traitlets import Integer, List, TraitError, Unicode


class CappedKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager with a cap on the number of kernels alive at once."""

    max_kernels = Integer(
        20,
        config=True,
        help="At most this many kernels at once, the preheated ones included: one per visitor, "
        "each about 300 MiB. A visit past the cap gets a page saying the lab is full.",
    )

    connect_grace = Integer(
        120,
        config=True,
        help="Seconds a kernel taken from the pool is kept, unconnected, for its visitor's page "
        "to load and connect to it; then the idle culler may take it.",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._starting = 0  # kernels being started, not yet counted by len(self)
        self._pools_to_refill: set[str] = set()
        self._pooled_seen: set[str] = set()  # kernels seen waiting in Voila's pool
        self._handed_out: dict[str, float] = {}  # kernels taken from it, not yet connected: when
        self._connected: set[str] = set()  # kernels a page has connected to
        self._going: set[str] = set()  # kernels being shut down
        self._stopping = False

    def kernels_alive(self) -> int:
        return len(self) + self._starting

    async def start_kernel(self, *, kernel_name=None, **kwargs):
        if kwargs.get("kernel_id") not in self and self.kernels_alive() >= self.max_kernels:
            self._refuse()
        self._starting += 1  # counted before the first await: visits at the same moment see it
        try:
            kernel_id = await super().start_kernel(kernel_name=kernel_name, **kwargs)
        finally:
            self._starting -= 1
        # A kernel started for a visitor past the pool runs the notebook while the page is
        # rendered, then waits, idle, for the page to connect: on a busy machine or a slow
        # network longer than the cull timeout. It gets the same grace as one from the pool.
        if kernel_id not in self._connected:
            self._handed_out.setdefault(kernel_id, time.monotonic())
        return kernel_id

    def _refuse(self):
        # A refill of Voila's pool runs as a task kept in the pool's list; a visitor would
        # take that task and find it failed. Take it out and refill once a kernel has gone.
        task = asyncio.current_task()
        for notebook, pool in getattr(self, "_pools", {}).items():
            if task in pool:
                pool.remove(task)
                self._pools_to_refill.add(notebook)
                task.add_done_callback(_forget_exception)
        self.log.warning("Kernel refused: %d kernels alive, the cap is %d", self.kernels_alive(), self.max_kernels)
        places = "The only place is taken." if self.max_kernels == 1 else f"All {self.max_kernels} places are taken."
        raise web.HTTPError(503, "%s", places, reason="The graph lab is full")

    # Culling. Voila's pool keeps its waiting kernels from being culled, but once a visitor
    # takes one it is fair game: idle since it ran the notebook, often for longer than the
    # cull timeout, and with no connection until the page has loaded its scripts (about
    # 5 MB: seconds on a crowded Wi-Fi). The culler took such kernels from under their
    # pages. A kernel handed out is left alone until its page connects, or connect_grace.

    async def cull_kernels(self):
        self._pooled_seen |= self._pooled_now()
        await super().cull_kernels()
        self._pooled_seen |= self._pooled_now()  # some may have come during the round

    async def cull_kernel_if_idle(self, kernel_id):
        # Voila's override returns early for the kernels waiting in its pool; here come the others.
        if kernel_id in self._going or kernel_id not in self._kernels:
            return None  # being shut down already (its page said it closed), or gone meanwhile
        try:
            self._kernels[kernel_id].last_activity  # noqa: B018 (reading it is the check)
        except TraitError:
            return None  # still starting: no activity to measure yet (jupyter_server would log a traceback)
        if kernel_id in self._pooled_seen and kernel_id not in self._pooled_now():
            self._pooled_seen.discard(kernel_id)  # it was waiting, it is not: a visitor took it
            if kernel_id not in self._connected:
                self._handed_out[kernel_id] = time.monotonic()
        given = self._handed_out.get(kernel_id)
        if given is not None and kernel_id not in self._connected:
            if time.monotonic() - given < self.connect_grace:
                return None  # its page is still on its way
        return await super().cull_kernel_if_idle(kernel_id)

    def notify_connect(self, kernel_id):
        super().notify_connect(kernel_id)
        self._connected.add(kernel_id)
        self._handed_out.pop(kernel_id, None)

    def _pooled_now(self) -> set[str]:
        ids = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result()["kernel_id"])
        return ids

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        self._pooled_seen.discard(kernel_id)
        self._connected.discard(kernel_id)
        self._handed_out.pop(kernel_id, None)
        self._going.add(kernel_id)
        try:
            result = await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self._going.discard(kernel_id)
        fill = getattr(self, "fill_if_needed", None)  # Voila's pool, there with preheat_kernel
        while fill and self._pools_to_refill and not self._stopping:
            fill(delay=0, notebook_name=self._pools_to_refill.pop())
        return result

    async def shutdown_all(self, *args, **kwargs):
        self._stopping = True
        return await super().shutdown_all(*args, **kwargs)


def _forget_exception(task: asyncio.Task) -> None:
    if not task.cancelled():
        task.exception()  # retrieved: asyncio does not log it as lost


class ClassroomIdentityProvider(PasswordIdentityProvider):
    """Voila's identity provider (token or password), with a Host check in front.

    jupyter_server's own Host check (allow_remote_access) is switched off by Voila 0.5, and
    it would accept no address but loopback ones; this one also accepts the address the
    request arrived on and the machine's own name, so a room can reach the lab at
    http://<the machine's address or name>:8866.
    """

    allowed_hosts = List(
        Unicode(),
        config=True,
        help="Names accepted in the Host header besides localhost, this machine's own name, "
        "loopback addresses and the address a request arrived on (e.g. a name the room's "
        "network gives the machine). '*' turns the check off, for a proxy in front that "
        "checks names itself.",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Voila makes its tornado Application after this provider; its loop runs only then.
        app = kwargs.get("parent")
        IOLoop.current().add_callback(lambda: compress_responses(getattr(app, "app", None)))

    async def get_user(self, handler: web.RequestHandler):
        local = _local_address(handler.request)
        if not host_allowed(handler.request.host, local, [*self.allowed_hosts, *own_names()]):
            self.log.warning("Refused a request for Host %r (served at %s)", handler.request.host, local)
            handler.current_user = None  # as jupyter_server's own Host check: the error page reads it
            raise web.HTTPError(
                403,
                "%s",
                f"This lab is not served under the name {_host_name(handler.request.host)!r}. "
                "Open it by the address the teacher gave; the teacher can add a name "
                "with make app HOSTS=<name>.",
                reason="Not served at this address",
            )
        user = await super().get_user(handler)
        if user is not None and handler.request.method == "GET" and _is_page(handler):
            # The page posts /voila/api/shutdown/<kernel> when it closes, with the _xsrf cookie's
            # value as its _xsrf field; Voila never sets that cookie, so the POST got a 403.
            handler.current_user = user  # what prepare() sets next; xsrf_token reads it
            handler.xsrf_token  # noqa: B018 (reading it sets the cookie)
        return user


def compress_responses(application: web.Application | None) -> None:
    """gzip every HTTP answer: the page's JavaScript and CSS are 5.4 MB, about a quarter of
    that gzipped. tornado reads its compress_response setting only when the Application is
    made, before Voila's tornado_settings reach it, so the transform is added here."""
    if application is not None and web.GZipContentEncoding not in application.transforms:
        application.transforms.append(web.GZipContentEncoding)


def _is_page(handler: web.RequestHandler) -> bool:
    from voila.handler import VoilaHandler

    return isinstance(handler, VoilaHandler)


_HOST = re.compile(r"\[(?P<v6>[^\]]+)\](?::\d*)?|(?P<name>[^:]*)(?::\d*)?")


def _host_name(host: str) -> str:
    """The name in a Host header: no port, no brackets around an IPv6 address, no final dot."""
    match = _HOST.fullmatch(host.strip())
    if match is None:
        return host.strip().lower()
    return (match["v6"] or match["name"] or "").lower().rstrip(".")


def _ip(text: str | None):
    """The address in `text` (an IPv4 address written as IPv6, ::ffff:a.b.c.d, as IPv4), or None."""
    try:
        address = ipaddress.ip_address((text or "").split("%")[0])
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def host_allowed(host: str, local_address: str | None, allowed: Iterable[str] = ()) -> bool:
    """Whether a request with this Host header is served.

    A DNS-rebinding page reaches the server under the attacker's own name, so names are
    checked against a list; an address in the Host header cannot be rebound, and is
    accepted if it is a loopback one or the one the request arrived on (`local_address`).
    """
    allowed = {name.lower().rstrip(".") for name in allowed}
    if "*" in allowed:
        return True
    name = _host_name(host)
    address = _ip(name)
    if address is not None:
        return address.is_loopback or address == _ip(local_address) or str(address) in allowed
    return name == "localhost" or name in allowed


def own_names() -> list[str]:
    """This machine's own name, as Voila prints it in its address when serving on 0.0.0.0,
    and as mDNS gives it (name.local). Asked of the system, not of DNS: no lookup to wait for."""
    name = socket.gethostname().lower()
    return [name, f"{name}.local"] if name else []


def _local_address(request) -> str | None:
    """The server's address that this request's connection arrived on."""
    try:
        return request.connection.stream.socket.getsockname()[0]
    except (AttributeError, OSError, IndexError):
        return None
