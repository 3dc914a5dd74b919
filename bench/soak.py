"""`make soak`: mixed load and a database outage on loopback; writes bench/SOAK.md.

gunicorn with production settings (as bench/run.py) and two bounded phases:

1. 60 s of mixed traffic at 32 connections (wrk: home page, search, group pages, GeoJSON,
   municipality pages) while Python threads send join requests through the real form
   (a fresh session and CSRF token each). Passes with zero 5xx and every acknowledged join
   request (302 to the "check your mail" page) in the database.
2. The same, with the database stopped for 10 s in the middle (embedded PostgreSQL only,
   scripts/pgembed.py; skipped when DATABASE_URL points at another server). Passes when the
   only 5xx is 503 and only during the outage, every endpoint answers 200 again within
   RECOVERY_LIMIT_S of the restart, and no acknowledged join request is lost.

gunicorn runs with PROXY_COUNT=1 and every join POST carries its own X-Forwarded-For
address, so the per-IP rate limit of the join form (20 an hour) does not turn the writes
into 429s; the soak's join requests (addresses @example.invalid), their mails and mail
tasks are deleted afterwards (--keep leaves them).

    .venv/bin/python bench/soak.py            # about 2.5 minutes
    .venv/bin/python bench/soak.py --quick    # 20 s phases, 4 s outage; report in /tmp
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lib
from lib import log

CONNECTIONS = 32
POST_THREADS = 2
RECOVERY_LIMIT_S = 10
# Requests in the wrk mix, by kind (a cycle of these).
MIX = ["home", "search", "search", "search", "group", "group", "geojson", "municipality"]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Post:
    at: float
    email: str
    status: int
    acknowledged: bool


@dataclass
class Phase:
    name: str
    seconds: float
    outage: tuple[float, float] | None = None  # seconds after the start: stop, down for
    started: float = 0.0
    wrk: dict = field(default_factory=dict)
    by_second: dict[int, Counter] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    db_stopped_at: float | None = None
    db_started_at: float | None = None
    recovered_after_s: float | None = None
    joins: dict = field(default_factory=dict)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    info: list[tuple[str, str]] = field(default_factory=list)
    skipped: str = ""


# wrk -----------------------------------------------------------------------------------


def mixed_script(paths: dict[str, list[str]]) -> str:
    """A wrk script cycling through MIX and counting statuses per wall-clock second."""
    kinds = [kind for kind in MIX if paths.get(kind)]
    lists = ",\n".join(f"[{json.dumps(kind)}] = {lib.lua_list(paths[kind])}" for kind in kinds)
    return (
        f"local mix = {lib.lua_list(kinds)}\nlocal paths = {{\n{lists}\n}}\n"
        'wrk.headers["Accept-Encoding"] = "gzip"\n'
        + """
local threads = {}
local counter = 0
function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
  table.insert(threads, thread)
end
counts = {}
local n = nil
local position = {}
function request()
  if n == nil then n = offset or 0 end
  n = n + 1
  local kind = mix[n % #mix + 1]
  local list = paths[kind]
  position[kind] = ((position[kind] or (offset or 0)) % #list) + 1
  return wrk.format("GET", list[position[kind]])
end
function response(status, headers, body)
  local key = os.time() .. ":" .. status
  counts[key] = (counts[key] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, string.format('"%s": %d', k, v)) end
  io.write(string.format(
    'MARKER{"requests": %d, "duration_us": %d, "status_errors": %d, "connect": %d, '
    .. '"read": %d, "write": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, '
    .. '"counts": {%s}}\\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), table.concat(parts, ", ")))
end
""".replace("MARKER", lib.WRK_MARKER)
    )


def run_wrk(base: str, script: Path, seconds: float) -> subprocess.Popen:
    return subprocess.Popen(
        [
            lib.ensure_wrk(),
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{round(seconds)}s",
            "--timeout=10s",
            "--latency",
            "-s",
            str(script),
            base,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wrk_result(process: subprocess.Popen, seconds: float) -> dict:
    stdout, stderr = process.communicate(timeout=seconds + 60)
    for line in stdout.splitlines():
        if line.startswith(lib.WRK_MARKER):
            return json.loads(line[len(lib.WRK_MARKER) :])
    raise RuntimeError(f"wrk gave no result:\n{stdout}\n{stderr}")


# Join requests through the form ----------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_join(base: str, slug: str, email: str, postcode: str, address: str) -> tuple[int, str]:
    """One resident: open the form (new session, new CSRF token), send it. (status, Location)"""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect
    )
    url = f"{base}/groepen/{slug}/aanmelden/"
    try:
        with opener.open(url, timeout=15) as response:
            page = response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, "(form)"
    except OSError:
        return 0, "(form)"
    match = CSRF_FIELD.search(page)
    if not match:
        return -1, "(no CSRF token in the form)"
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": match.group(1),
            "name": "Soak Test",
            "email": email,
            "phone": "06 12345678",
            "street": "Teststraat 1",
            "postcode": postcode,
            "consent": "on",
            "website": "",
            "outside_ok": "1",  # skip the "outside the group's area" question
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback http
        url, data=data, headers={"X-Forwarded-For": address}
    )
    try:
        with opener.open(request, timeout=15) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")
    except OSError:
        return 0, ""


def post_worker(
    phase: Phase, base: str, slugs: list[str], postcodes: list[str], worker: int, stop_at: float
) -> None:
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        tag = re.sub(r"[^a-z0-9]+", "-", phase.name)
        email = f"soak-{tag}-{int(time.time())}-{worker}-{n}@example.invalid"
        address = f"10.{worker}.{(n >> 8) & 255}.{n & 255}"
        status, location = post_join(
            base, slugs[n % len(slugs)], email, postcodes[n % len(postcodes)], address
        )
        acknowledged = status == 302 and "/aanmelden/verzonden/" in location
        phase.posts.append(Post(time.monotonic() - phase.started, email, status, acknowledged))
        time.sleep(0.05)


# The embedded database ---------------------------------------------------------------------


def embedded_database(url: str) -> str:
    """'' when DATABASE_URL is the running embedded PostgreSQL, else why not."""
    result = subprocess.run(
        [lib.PYTHON, "scripts/pgembed.py", "url"], cwd=lib.ROOT, capture_output=True, text=True
    )
    embedded = urlsplit(result.stdout.strip())
    ours = urlsplit(url)
    if result.returncode != 0 or (embedded.hostname, embedded.port) != (ours.hostname, ours.port):
        return "DATABASE_URL does not point at the embedded PostgreSQL (scripts/pgembed.py)"
    status = subprocess.run(
        [lib.PYTHON, "scripts/pgembed.py", "status"], cwd=lib.ROOT, capture_output=True, text=True
    )
    if status.stdout.strip() != "running":
        return "the embedded PostgreSQL is not running"
    return ""


def pgembed(command: str) -> None:
    subprocess.run(
        [lib.PYTHON, "scripts/pgembed.py", command], cwd=lib.ROOT, check=True, capture_output=True
    )


def wait_for_recovery(base: str, probes: list[str], limit_s: float) -> float | None:
    """Seconds until a round in which every probe answered 200 began (None: not in limit_s)."""
    started = time.monotonic()
    while (round_started := time.monotonic()) - started < limit_s:
        if all(lib.fetch(base + path, timeout=5).status == 200 for path in probes):
            return round_started - started
        time.sleep(0.25)
    return None


# A phase -----------------------------------------------------------------------------------


def run_phase(phase: Phase, server: lib.Server, sample: dict, paths: dict) -> None:
    script = lib.write_script(mixed_script(paths))
    slugs = sample["groups"][:50]
    probes = [paths[kind][0] for kind in MIX if paths.get(kind)]
    probes = list(dict.fromkeys(probes))
    log(f"phase {phase.name}: {phase.seconds:g} s at {CONNECTIONS} connections")
    phase.started = time.monotonic()
    wall_start = time.time()
    process = run_wrk(server.base, script, phase.seconds)
    stop_at = phase.started + phase.seconds
    workers = [
        threading.Thread(
            target=post_worker,
            args=(phase, server.base, slugs, sample["postcodes"], worker, stop_at),
            daemon=True,
        )
        for worker in range(1, POST_THREADS + 1)
    ]
    for thread in workers:
        thread.start()
    try:
        if phase.outage:
            begin, down_for = phase.outage
            time.sleep(max(0.0, phase.started + begin - time.monotonic()))
            log("stopping the database")
            phase.db_stopped_at = time.monotonic() - phase.started
            pgembed("stop")
            time.sleep(max(0.0, phase.started + phase.db_stopped_at + down_for - time.monotonic()))
            log("starting the database")
            pgembed("start")
            phase.db_started_at = time.monotonic() - phase.started
            phase.recovered_after_s = wait_for_recovery(server.base, probes, 30)
            log(f"recovered after {phase.recovered_after_s} s")
        phase.wrk = wrk_result(process, phase.seconds)
    finally:
        if process.poll() is None:
            process.kill()
        for thread in workers:
            thread.join(timeout=30)
        script.unlink()
    for key, count in phase.wrk["counts"].items():
        second, status = key.split(":")
        relative = int(second) - int(wall_start)
        phase.by_second.setdefault(relative, Counter())[int(status)] += count
    acknowledged = [p.email for p in phase.posts if p.acknowledged]
    emails_file = Path(tempfile.mkstemp(prefix="wabp-soak-", suffix=".json")[1])
    emails_file.write_text(json.dumps(acknowledged))
    try:
        phase.joins = lib.djtask(server.database_url, "joins", "--emails-file", str(emails_file))
    finally:
        emails_file.unlink()
    evaluate(phase)


def evaluate(phase: Phase) -> None:
    statuses = Counter()
    for counter in phase.by_second.values():
        statuses.update(counter)
    post_statuses = Counter(p.status for p in phase.posts)
    bad = {s: n for s, n in (statuses + post_statuses).items() if s >= 500 and s != 503}
    checks = phase.checks
    w = phase.wrk
    socket_errors = w["connect"] + w["read"] + w["write"] + w["timeout"]
    if phase.outage is None:
        fives = {s: n for s, n in (statuses + post_statuses).items() if s >= 500}
        checks.append(("no 5xx responses", not fives, str(fives or "none")))
    else:
        checks.append(("no 5xx but 503", not bad, str(bad or "none")))
        # 503s only between the stop and the moment every endpoint answered again
        # (a second of slack either side for the per-second buckets).
        window_end = phase.db_started_at + (phase.recovered_after_s or RECOVERY_LIMIT_S) + 1
        outside = sum(
            counter[503]
            for second, counter in phase.by_second.items()
            if not (phase.db_stopped_at - 1 <= second <= window_end)
        ) + sum(
            1
            for p in phase.posts
            if p.status == 503 and not (phase.db_stopped_at - 1 <= p.at <= window_end)
        )
        checks.append(("503s only during the outage", outside == 0, f"{outside} outside"))
        recovered = (
            phase.recovered_after_s is not None and phase.recovered_after_s <= RECOVERY_LIMIT_S
        )
        checks.append(
            (
                f"every endpoint 200 again within {RECOVERY_LIMIT_S} s of the restart",
                recovered,
                "never" if phase.recovered_after_s is None else f"{phase.recovered_after_s:.1f} s",
            )
        )
        late = sum(
            n
            for second, counter in phase.by_second.items()
            if second > window_end
            for status, n in counter.items()
            if status >= 400
        )
        checks.append(("only 2xx/3xx after recovery", late == 0, f"{late} other responses"))
    acknowledged = sum(p.acknowledged for p in phase.posts)
    checks.append(
        (
            "some join requests acknowledged",
            acknowledged > 0,
            f"{acknowledged} of {len(phase.posts)}",
        )
    )
    missing = phase.joins.get("missing", [])
    checks.append(
        (
            "every acknowledged join request is in the database",
            not missing and phase.joins.get("found") == acknowledged,
            f"{phase.joins.get('found')} of {acknowledged} found",
        )
    )
    # Not one of the criteria (those are about 5xx and lost writes), so reported
    # apart: a request wrk gave up on after 10 s says the machine was overloaded.
    phase.info.append(("timeouts and socket errors (wrk)", f"{socket_errors}"))
    for name, ok, detail in checks:
        log(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    for name, detail in phase.info:
        log(f"  info {name}: {detail}")


# Report ------------------------------------------------------------------------------------


def status_summary(counter: Counter) -> str:
    return ", ".join(f"{status}: {n:,}" for status, n in sorted(counter.items())) or "–"


def build_report(machine: dict, server_workers: int, phases: list[Phase], quick: bool) -> str:
    lines = [
        "# Soak test results",
        "",
        "Written by `make soak` (`bench/soak.py`); do not edit by hand.",
        "",
    ]
    if quick:
        lines += ["**QUICK RUN (smoke test): short phases; not the real test.**", ""]
    lines += [
        f"Date {machine['date']}; {machine['cpu']}, {machine['cores']} cores,"
        f" {machine['memory_gb']} GB; {machine['os']}; Python {machine['python']};"
        f" {machine['postgresql'].split(' on ')[0]}. gunicorn with {server_workers} sync workers"
        f" (2 × cores), production settings, loopback. wrk -t2 -c{CONNECTIONS} cycling through"
        f" {', '.join(dict.fromkeys(MIX))}; {POST_THREADS} threads sending join requests"
        " through the form (fresh session and CSRF token each, own X-Forwarded-For address"
        " with PROXY_COUNT=1 so the per-IP limit does not apply).",
        "",
    ]
    for phase in phases:
        title = f"## {phase.name}: {phase.seconds:g} s"
        if phase.outage:
            title += f", database stopped for {phase.outage[1]:g} s"
        lines += [title, ""]
        if phase.skipped:
            lines += [f"Skipped: {phase.skipped}", ""]
            continue
        statuses = Counter()
        for counter in phase.by_second.values():
            statuses.update(counter)
        w = phase.wrk
        post_statuses = Counter(p.status for p in phase.posts)
        lines += [
            "| | |",
            "|---|---|",
            f"| wrk requests | {w['requests']:,} ({w['requests'] / phase.seconds:.0f}/s),"
            f" p50 {w['p50_us'] / 1000:.0f} ms, p99 {w['p99_us'] / 1000:.0f} ms |",
            f"| wrk statuses | {status_summary(statuses)} |",
            f"| wrk timeouts, socket errors | timeout {w['timeout']}, connect {w['connect']},"
            f" read {w['read']}, write {w['write']} |",
            f"| join POSTs | {len(phase.posts)}: {status_summary(post_statuses)} (0 = no answer) |",
            f"| acknowledged (302 to the 'check your mail' page) |"
            f" {sum(p.acknowledged for p in phase.posts)} |",
            f"| acknowledged found in the database | {phase.joins.get('found')} |",
        ]
        if phase.outage:
            recovered = (
                "not within 30 s"
                if phase.recovered_after_s is None
                else f"{phase.recovered_after_s:.1f} s after the restart"
            )
            lines += [
                f"| database stopped / started | {phase.db_stopped_at:.1f} s /"
                f" {phase.db_started_at:.1f} s after the phase began |",
                f"| every endpoint 200 again | {recovered} |",
            ]
        lines += ["", "| Check | Result | Detail |", "|---|---|---|"]
        lines += [
            f"| {name} | {'pass' if ok else '**FAIL**'} | {detail} |"
            for name, ok, detail in phase.checks
        ]
        lines += [f"| {name} | (information) | {detail} |" for name, detail in phase.info]
        if phase.outage:
            first = int(phase.db_stopped_at) - 3
            last = int(phase.db_started_at + (phase.recovered_after_s or 0)) + 4
            lines += ["", "Responses per second around the outage (wrk):", ""]
            lines += ["| second | statuses |", "|---:|---|"]
            lines += [
                f"| {second} | {status_summary(phase.by_second.get(second, Counter()))} |"
                for second in range(max(0, first), min(last, int(phase.seconds)) + 1)
            ]
        lines.append("")
    passed = all(ok for phase in phases for _, ok, _ in phase.checks)
    lines += [f"**Overall: {'PASS' if passed else 'FAIL'}**", ""]
    return "\n".join(lines)


# Main --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 s phases, 4 s outage")
    parser.add_argument("--keep", action="store_true", help="keep the soak's join requests")
    parser.add_argument("--output", help="where to write the report (default bench/SOAK.md)")
    args = parser.parse_args()
    seconds, outage = (20.0, (6.0, 4.0)) if args.quick else (60.0, (25.0, 10.0))
    if args.output:
        output = Path(args.output)
    elif args.quick:
        output = Path(tempfile.gettempdir()) / "wabp-SOAK-quick.md"
    else:
        output = lib.BENCH / "SOAK.md"

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    url = lib.database_url()
    lib.ensure_wrk()
    machine = lib.machine(url)
    log("collectstatic")
    lib.manage(url, "collectstatic", "--noinput", "-v0")
    sample = lib.djtask(url, "sample", "--seed", "3", "--postcodes", "300", "--groups", "300")
    if not sample["groups"]:
        sys.exit("The database has no active groups: run 'make setup' first.")
    paths = {
        "home": ["/"],
        "search": [f"/zoeken/?postcode={code}" for code in sample["postcodes"]],
        "group": [f"/groepen/{slug}/" for slug in sample["groups"]],
        "geojson": ["/kaart/groepen.geojson"],
        "municipality": [f"/gemeenten/{slug}/" for slug in sample["municipalities"]],
    }
    phases = [Phase("mixed traffic", seconds), Phase("database outage", seconds, outage)]
    server = lib.start_server(url, PROXY_COUNT="1")
    # Leave out what does not answer 200 yet (pages still being built).
    for kind, kind_paths in list(paths.items()):
        status = lib.fetch(server.base + kind_paths[0]).status
        if status != 200:
            log(f"leaving {kind} out of the mix: {kind_paths[0]} answers {status}")
            paths.pop(kind)
    all_emails: list[str] = []
    try:
        run_phase(phases[0], server, sample, paths)
        all_emails += [p.email for p in phases[0].posts]
        why_not = embedded_database(url)
        if why_not:
            phases[1].skipped = why_not
            log(f"skipping the outage phase: {why_not}")
        else:
            time.sleep(2)
            run_phase(phases[1], server, sample, paths)
            all_emails += [p.email for p in phases[1].posts]
    finally:
        # The database must come back even if the phase broke off mid-outage.
        if phases[1].db_stopped_at is not None and phases[1].db_started_at is None:
            pgembed("start")
        server.stop()
        if all_emails and not args.keep:
            emails_file = Path(tempfile.mkstemp(prefix="wabp-soak-", suffix=".json")[1])
            emails_file.write_text(json.dumps(all_emails))
            try:
                cleaned = lib.djtask(url, "joins", "--emails-file", str(emails_file), "--delete")
                log(
                    f"deleted the soak's {cleaned['deleted_join_requests']} join requests,"
                    f" {cleaned['deleted_mail']} mails and {cleaned['deleted_tasks']} mail tasks"
                )
            finally:
                emails_file.unlink()

    report = build_report(machine, server.workers, phases, args.quick)
    output.write_text(report)
    print()
    print(report)
    log(f"wrote {output}")
    passed = all(ok for phase in phases for _, ok, _ in phase.checks)
    return 0 if passed else 1


if __name__ == "__main__":
    os.chdir(lib.ROOT)
    sys.exit(main())
