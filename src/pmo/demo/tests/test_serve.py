"""``pmo serve`` runs the background-task worker beside the web server (unless told not to)."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pmo.demo.management.commands import serve


def test_serve_starts_the_task_worker_unless_no_worker(monkeypatch: Any) -> None:
    started: list[str] = []
    served: list[int] = []
    monkeypatch.setattr(serve, "start_task_worker", lambda: started.append("worker"))

    class Server:
        def __init__(self, port: int) -> None:
            self.port = port

        def run(self) -> None:
            served.append(self.port)

        def close(self) -> None:
            pass

    monkeypatch.setattr("waitress.create_server", lambda app, **kw: Server(kw["port"]))
    call_command("serve", "--port", "8799")
    call_command("serve", "--port", "8798", "--no-worker")
    assert (started, served) == (["worker"], [8799, 8798])


def test_the_worker_thread_is_a_daemon(monkeypatch: Any) -> None:
    runs: list[bool] = []

    class Worker:
        def __init__(self, **options: Any) -> None:
            assert options["queue_names"] == ["default"] and options["batch"] is False

        def run(self) -> None:
            runs.append(True)

    monkeypatch.setattr("pmo.core.worker.SturdyWorker", Worker)
    monkeypatch.setattr("pmo.core.worker.STATE.thread", None)  # restored after the test
    thread = serve.start_task_worker()
    thread.join(timeout=5)
    assert thread.daemon and runs == [True]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--port", "99999"], "a port is 1 to 65535, got 99999"),
        (["--port", "abc"], "not a port: 'abc'"),
        (["--threads", "0"], "a thread count is 1 to 256, got 0"),
    ],
)
def test_a_wrong_port_or_thread_count_is_one_line(arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("serve", *arguments)


def test_a_port_in_use_is_one_line_and_starts_no_worker(monkeypatch: Any) -> None:
    started: list[str] = []
    monkeypatch.setattr(serve, "start_task_worker", lambda: started.append("worker"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"cannot serve on 127.0.0.1:{port}: "):
            call_command("serve", "--port", str(port))
    assert started == []


def test_a_body_above_the_largest_upload_is_refused_before_it_is_read(
    monkeypatch: Any,
) -> None:
    import http.client
    import threading
    import time

    import waitress

    monkeypatch.setattr(serve, "max_request_body", lambda: 2_000)
    servers: list[Any] = []
    real = waitress.create_server

    def keep(app: Any, **kw: Any) -> Any:
        servers.append(real(app, **kw))
        return servers[-1]

    monkeypatch.setattr("waitress.create_server", keep)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stopping = threading.Event()

    def run() -> None:
        try:
            call_command("serve", "--port", str(port), "--no-worker")
        except OSError:  # the socket closed under the running loop by the teardown below
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started = time.monotonic() + 60  # the command's start is slow on a loaded machine
    while not servers and time.monotonic() < started:
        time.sleep(0.05)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", "/api/v1/impact", body=b"x" * 5_000)
        assert connection.getresponse().status == 413
        connection.close()
    finally:
        stopping.set()
        servers[0].close()
        thread.join(timeout=10)


def test_the_body_limit_is_the_largest_upload_plus_the_form(settings: Any) -> None:
    mb = 1024 * 1024
    settings.PMO_MAX_UPLOAD_MB = 20  # deliverables; MS Project files may have 50 MB
    assert serve.max_request_body() == 51 * mb
    settings.PMO_MAX_UPLOAD_MB = 100
    assert serve.max_request_body() == 101 * mb


class _Server:
    def run(self) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.mark.parametrize(
    ("https", "proxies", "warned"),
    [(True, (), True), (True, ("127.0.0.1",), False), (False, (), False)],
)
def test_https_without_a_trusted_proxy_warns_in_one_line_at_start(
    monkeypatch: Any, settings: Any, capsys: Any, https: bool, proxies: tuple[str], warned: bool
) -> None:
    # given PMO_HTTPS with or without a trusted proxy
    settings.PMO_HTTPS = https
    settings.PMO_TRUSTED_PROXY = proxies
    monkeypatch.setattr("waitress.create_server", lambda app, **kw: _Server())
    # when pmo serve starts
    call_command("serve", "--port", "8797", "--no-worker")
    # then only https without a proxy warns, in one line naming the variable to set
    lines = [line for line in capsys.readouterr().err.splitlines() if "PMO_TRUSTED_PROXY" in line]
    assert lines == ([serve.https_without_proxy_warning()] if warned else [])
    if warned:
        assert lines[0].startswith("warning: PMO_HTTPS=1 without PMO_TRUSTED_PROXY")
