"""Shared pieces of the benchmark (run.py) and the soak test (soak.py).

Everything here runs outside Django: the scripts drive gunicorn, wrk, Chromium and a few
`bench/djtasks.py` subprocesses, and talk to PostgreSQL directly only to create and drop
scratch databases. Loopback only.
"""

import gzip
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
HOST = "127.0.0.1"
WRK_MARKER = "WRK-RESULT "


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# Database URLs ---------------------------------------------------------------------------


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("DATABASE_URL is not set (make bench / make soak set it).")
    return url


def with_database(url: str, name: str) -> str:
    """The same server and user, another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_connection(url: str) -> psycopg.Connection:
    """An autocommit connection to the server's `postgres` database."""
    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def create_database(url: str, name: str, template: str | None = None) -> str:
    """(Re)create database `name`; with `template`, as a copy of it. Returns its URL.

    A template must have no other connections, so any left are ended first.
    """
    with admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            ended = conn.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [template],
            ).fetchone()[0]
            if ended:
                log(f"ended {ended} other connection(s) to {template} to copy it")
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(url, name)


def analyze(url: str) -> None:
    """Fresh planner statistics: a just-seeded or just-copied database may have none yet
    (autovacuum has not come round), and its plans would be seq scans."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def drop_database(url: str, name: str) -> None:
    with admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT version()").fetchone()[0]


# Environment and Django subprocesses --------------------------------------------------------


def production_env(url: str, **extra: str) -> dict[str, str]:
    """Production settings over plain HTTP on loopback."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("EMAIL_FILE_PATH", str(ROOT / "var" / "mail"))
    env.update(extra)
    return env


def manage(url: str, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=production_env(url, **extra),
        check=check,
        capture_output=True,
        text=True,
    )


def djtask(url: str, *args: str, timeout: float = 900) -> dict:
    """Run `bench/djtasks.py` against `url`; it prints one JSON object last."""
    result = subprocess.run(
        [PYTHON, str(BENCH / "djtasks.py"), *args],
        cwd=ROOT,
        env=production_env(url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"djtasks {args[0]} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# gunicorn -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def default_workers() -> int:
    """2 × cores: sync workers spend part of each request waiting on PostgreSQL."""
    return 2 * (os.cpu_count() or 1)


@dataclass
class Server:
    url: str
    database_url: str
    workers: int
    process: subprocess.Popen
    log_path: Path
    extra_env: dict = field(default_factory=dict)
    stopped: bool = False

    @property
    def base(self) -> str:
        return self.url

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        # Keep the error log only when something went wrong in the server.
        if self.log_path.exists():
            if "Traceback" in self.log_path.read_text(errors="replace"):
                log(f"gunicorn logged errors: see {self.log_path}")
            else:
                self.log_path.unlink()


def start_server(
    url: str, *, workers: int | None = None, app: str = "wabp.wsgi", **extra_env: str
) -> Server:
    """gunicorn serving `app` (bench/run.py: bench.wsgi:application, with the bare floor)."""
    workers = workers or default_workers()
    port = free_port()
    log_path = Path(tempfile.mkstemp(prefix="wabp-gunicorn-", suffix=".log")[1])
    log_file = log_path.open("w")
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            app,
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--graceful-timeout",
            "5",
        ],
        cwd=ROOT,
        env=production_env(url, **extra_env),
        # gunicorn's own log and Django's (WARNING and up) both go to stderr.
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log_file.close()
    server = Server(f"http://{HOST}:{port}", url, workers, process, log_path, extra_env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log_path}:\n{log_path.read_text()[-2000:]}")
        if fetch(server.base + "/healthz", timeout=2).status == 200:
            log(f"gunicorn ({workers} workers) on {server.base}, database {database_name(url)}")
            return server
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"gunicorn did not answer /healthz within 60 s; see {log_path}")


# HTTP -------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, *, headers: dict | None = None, timeout: float = 10) -> Response:
    """GET without following redirects; status 0 when the server did not answer."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback http
    try:
        with _opener.open(request, timeout=timeout) as response:
            return Response(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers), error.read())
    except (urllib.error.URLError, OSError):
        return Response(0, {}, b"")


def encoded_sizes(url: str) -> dict:
    """Bytes on the wire for plain, gzip and brotli requests, and whether each decodes to the
    same body as the plain one."""
    import brotli

    plain = fetch(url, timeout=60)
    if plain.status != 200:
        return {"status": plain.status}
    sizes = {"status": 200, "identity": len(plain.body)}
    decoders = {"gzip": gzip.decompress, "br": brotli.decompress}
    for coding, decode in decoders.items():
        response = fetch(url, headers={"Accept-Encoding": coding}, timeout=60)
        encoding = {k.lower(): v for k, v in response.headers.items()}.get("content-encoding", "")
        if response.status != 200 or encoding != coding:
            sizes[coding] = None
            continue
        sizes[coding] = len(response.body)
        sizes[f"{coding}_same"] = decode(response.body) == plain.body
    return sizes


def gzipped_size(url: str) -> dict:
    """Bytes on the wire with Accept-Encoding: gzip (compressed here if the server did not)."""
    response = fetch(url, headers={"Accept-Encoding": "gzip"}, timeout=60)
    if response.status != 200:
        return {"status": response.status}
    encoding = {k.lower(): v for k, v in response.headers.items()}.get("content-encoding", "")
    if encoding == "gzip":
        return {
            "status": 200,
            "gzip_bytes": len(response.body),
            "raw_bytes": len(gzip.decompress(response.body)),
            "server_gzip": True,
        }
    return {
        "status": 200,
        "gzip_bytes": len(gzip.compress(response.body, 6)),
        "raw_bytes": len(response.body),
        "server_gzip": False,
    }


# wrk --------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk (Debian package)")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        wrk = shutil.which("wrk")
        if wrk:
            return wrk
    sys.exit("wrk is not installed: run 'sudo apt-get install wrk' (Debian/Ubuntu) and try again.")


_LUA_RESULT = """
function done(summary, latency, requests)
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "status_errors": %d, "connect": %d, '
    .. '"read": %d, "write": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "mean_us": %f}\\n',
    "MARKER", summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
""".replace("MARKER", WRK_MARKER)


def lua_list(paths: list[str]) -> str:
    return "{\n" + ",\n".join(json.dumps(p) for p in paths) + "\n}"


def cycling_script(paths: list[str], headers: dict | None = None, step: int = 7919) -> str:
    """A wrk script that requests `paths` in turn, thread n from offset n × step."""
    header_lines = "".join(
        f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}\n" for k, v in (headers or {}).items()
    )
    return (
        f"local paths = {lua_list(paths)}\nlocal step = {int(step)}\n"
        + header_lines
        + """
local counter = 0
function setup(thread)
  thread:set("offset", counter * step)
  counter = counter + 1
end
local i = nil
function request()
  if i == nil then i = offset or 0 end
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
"""
        + _LUA_RESULT
    )


def write_script(text: str) -> Path:
    handle, name = tempfile.mkstemp(prefix="wabp-wrk-", suffix=".lua")
    with os.fdopen(handle, "w") as f:
        f.write(text)
    return Path(name)


def wrk(
    base: str,
    script: Path,
    *,
    seconds: float,
    connections: int = 16,
    threads: int = 2,
    timeout_s: int = 5,
) -> dict:
    """One wrk run; the script's done() prints the figures as JSON."""
    command = [
        ensure_wrk(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout_s}s",
        "--latency",
        "-s",
        str(script),
        base,
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + timeout_s + 60
    )
    for line in result.stdout.splitlines():
        if line.startswith(WRK_MARKER):
            data = json.loads(line[len(WRK_MARKER) :])
            data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
            data["raw"] = result.stdout
            return data
    raise RuntimeError(f"wrk gave no result:\n{result.stdout}\n{result.stderr}")


def median(values: list[float]) -> float:
    return statistics.median(values)


# The machine ---------------------------------------------------------------------------------


def machine(url: str) -> dict:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    python = subprocess.run(
        [PYTHON, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": f"{os_name} (kernel {platform.release()})",
        "python": python,
        "postgresql": server_version(url),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }
