"""Web benchmark: the status center and the project API on a large demo portfolio.

For each database (SQLite file, PostgreSQL database ``pmo_bench``) this script

1. creates a fresh, empty database and runs ``pmo migrate``;
2. loads the demo portfolio with ``pmo demo --projects N --no-serve`` and times it
   (target: 5,000 projects with 26 weeks of history in under 2 minutes);
3. counts the SQL queries of each page in-process (Django test client), so that an
   N+1 shows up as a number and not only as a slow page;
4. starts ``pmo serve`` (waitress), signs in over HTTP through the login form (session
   cookie + CSRF token), warms up and times ``--requests`` sequential requests per URL
   (target: p95 under 300 ms);
5. stops the server and prints p50 / p95 / max per URL, then one ``summary:`` line.

Only 127.0.0.1 is contacted. Run from the checkout::

    python benchmarks/web.py --projects 5000 --requests 50 --database both
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
HOST = "127.0.0.1"
USER = "pmo"  # a PMO member: sees every project, as the PMO does
PASSWORD = "pmo-demo"  # the documented demo sign-in
URLS = [
    "/",
    "/?rag=red&program=CORE&sort=-slip",
    "/api/v1/projects?page=1",
    "/projects/P0001/",
    "/resources/heatmap/?by=role&periods=26",
    "/api/v1/capacity/heatmap?by=org_unit&periods=26",
]
P95_TARGET_MS = 300.0
DEMO_TARGET_S = 120.0
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/pmo_bench"


@dataclass
class UrlResult:
    """Timings (milliseconds) and the SQL query count of one URL."""

    url: str
    times_ms: list[float]
    queries: int | None = None
    size: int = 0

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile (``q`` in 0..100) of the timings."""
        ordered = sorted(self.times_ms)
        rank = max(1, math.ceil(q / 100 * len(ordered)))
        return ordered[rank - 1]

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        return self.percentile(95)


@dataclass
class DatabaseResult:
    """Everything measured on one database."""

    name: str
    demo_seconds: float = 0.0
    urls: list[UrlResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.demo_seconds < DEMO_TARGET_S and all(u.p95 < P95_TARGET_MS for u in self.urls)


# --- subprocesses ------------------------------------------------------------------------------


def _env(database_url: str) -> dict[str, str]:
    """The environment of every ``pmo`` subprocess: this checkout's code, the bench database."""
    env = dict(os.environ)
    src = str(ROOT / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PMO_DATABASE_URL"] = database_url
    env["PMO_ALLOW_DEV_KEY"] = "1"
    env["PMO_HOME"] = str(ROOT)
    env.pop("PMO_DEBUG", None)  # measure what production serves
    env.pop("PMO_TEST_DATABASE_URL", None)
    return env


def _pmo(*args: str, env: dict[str, str], timeout: float = 600) -> float:
    """Run ``pmo ARGS`` to completion (output shown only on failure); return its wall time."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pmo.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"web bench: 'pmo {' '.join(args)}' failed (exit {done.returncode})")
    return elapsed


def _fresh_sqlite() -> str:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / "web.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _fresh_postgres(url: str) -> str:
    """Drop and recreate the database named in ``url`` (connecting to ``postgres`` to do it)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or parts.hostname not in (HOST, "localhost"):
        raise SystemExit(f"web bench: refusing database {url!r} (local, plain name only)")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return url


# --- query counts (in-process, through the Django test client) ---------------------------------

COUNT_SCRIPT = """
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pmo.accounts.models import User
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(username=sys.argv[1]))
counts = {}
for url in sys.argv[2:]:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    counts[url] = len(ctx.captured_queries) if status == 200 else -status
print(json.dumps(counts))
"""


def _query_counts(env: dict[str, str]) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", COUNT_SCRIPT, USER, *URLS],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit("web bench: counting queries failed")
    counts: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return counts


# --- HTTP --------------------------------------------------------------------------------------


class Browser:
    """A cookie-keeping HTTP client for one signed-in session (stdlib only)."""

    def __init__(self, port: int) -> None:
        self.base = f"http://{HOST}:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, timeout: float = 30) -> tuple[int, bytes]:
        with self.opener.open(self.base + path, timeout=timeout) as response:
            return response.status, response.read()

    def sign_in(self, username: str, password: str) -> None:
        """Post the login form with its CSRF token; fail unless the session is signed in."""
        _status, html = self.get("/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if match is None:
            raise SystemExit("web bench: no CSRF token on the login form")
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": match[1].decode()}
        ).encode()
        request = urllib.request.Request(
            self.base + "/accounts/login/", data=body, headers={"Referer": self.base + "/"}
        )
        with self.opener.open(request, timeout=60) as response:
            final = response.geturl()
        if urllib.parse.urlsplit(final).path.startswith("/accounts/login/"):
            raise SystemExit(f"web bench: signing in as {username!r} failed")

    def time(self, path: str) -> tuple[float, int]:
        """Milliseconds for one complete request (headers and body), and the body size."""
        started = time.perf_counter()
        status, body = self.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise SystemExit(f"web bench: GET {path} answered {status}")
        return elapsed, len(body)


def _wait_until_up(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"web bench: the server exited early (code {server.returncode})")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/accounts/login/", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise SystemExit(f"web bench: the server did not answer on port {port} within {seconds:.0f} s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


# --- one database ------------------------------------------------------------------------------


def bench_database(name: str, database_url: str, args: argparse.Namespace) -> DatabaseResult:
    """Fresh database, demo load, query counts, then the timed requests against ``pmo serve``."""
    result = DatabaseResult(name=name)
    env = _env(database_url)
    print(f"[{name}] migrate ...", flush=True)
    _pmo("migrate", "--no-input", "-v", "0", env=env)
    print(f"[{name}] pmo demo --projects {args.projects} --no-serve ...", flush=True)
    result.demo_seconds = _pmo("demo", "--projects", str(args.projects), "--no-serve", env=env)
    print(f"[{name}] demo loaded in {result.demo_seconds:.1f} s", flush=True)
    counts = _query_counts(env)

    log_path = BENCH_DIR / f"serve-{name}.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "pmo.cli", "serve", "--host", HOST, "--port", str(args.port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(args.port, server)
            client = Browser(args.port)
            client.sign_in(USER, PASSWORD)
            for url in URLS:
                for _ in range(args.warmup):
                    client.time(url)
                timings = [client.time(url) for _ in range(args.requests)]
                result.urls.append(
                    UrlResult(
                        url=url,
                        times_ms=[t for t, _size in timings],
                        queries=counts.get(url),
                        size=timings[-1][1],
                    )
                )
        finally:
            _stop(server)
    return result


def print_table(result: DatabaseResult, projects: int, requests: int) -> None:
    """The per-URL table of one database."""
    print(
        f"\n{result.name}: {projects} projects, demo load {result.demo_seconds:.1f} s, "
        f"{requests} sequential requests per URL"
    )
    print(f"{'URL':<40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8} {'KiB':>7}")
    for u in result.urls:
        print(
            f"{u.url:<40} {u.p50:>8.1f} {u.p95:>8.1f} {max(u.times_ms):>8.1f} "
            f"{u.queries if u.queries is not None else '?':>8} {u.size / 1024:>7.0f}"
        )


def summary_line(results: list[DatabaseResult]) -> str:
    """One line for logs and CI: worst p95 and demo time per database, and the verdict."""
    parts = []
    for r in results:
        worst = max(r.urls, key=lambda u: u.p95)
        parts.append(
            f"{r.name} demo={r.demo_seconds:.1f}s worst_p95={worst.p95:.0f}ms ({worst.url}) "
            f"max_queries={max((u.queries or 0) for u in r.urls)}"
        )
    verdict = "PASS" if all(r.ok for r in results) else "FAIL"
    targets = f"targets p95<{P95_TARGET_MS:.0f}ms demo<{DEMO_TARGET_S:.0f}s"
    return f"summary: {verdict} {targets}; " + "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run every requested database, print the tables and the summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=5000, help="demo projects (default 5000)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per URL")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per URL first")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--port", type=int, default=8765, help="port of the served app")
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        help="PostgreSQL database to DROP and recreate (default %(default)s)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.projects <= 100_000 or not 1 <= args.requests <= 10_000:
        parser.error("--projects must be 1..100000 and --requests 1..10000")
    if not 0 <= args.warmup <= 1000:
        parser.error("--warmup must be 0..1000")

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    names = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = []
    for name in names:
        url = _fresh_sqlite() if name == "sqlite" else _fresh_postgres(args.postgres_url)
        results.append(bench_database(name, url, args))
    for result in results:
        print_table(result, args.projects, args.requests)
    print()
    print(summary_line(results))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
