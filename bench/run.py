"""`make bench`: throughput, latency and scale figures of the portal; writes bench/RESULTS.md.

gunicorn with production settings on loopback, loaded with wrk (2 threads, 16 connections:
a 20 s warm-up, long enough for every worker to fill its per-version caches, then the median
of three 10 s runs), on the database DATABASE_URL points at
(real postcodes and the demo groups from `make setup`). Also: the search at 100,000 groups
(on a scratch copy of the database, grown with bench/djtasks.py), the postcode import time
(in a scratch database), the gzipped GeoJSON size and the time until the map shows clusters
in headless Chromium. Scratch databases are dropped at the end, also after an error.

    .venv/bin/python bench/run.py            # the real run (about 8-10 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # a smoke test: short runs, small samples;
                                             # writes to a temporary file, not RESULTS.md
"""

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lib
from lib import log

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Nothing leaves the machine: every host name but loopback fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
POSTCODE_FILES = ["postcodes/data/NL.txt", "postcodes/data/NL_full.txt.gz"]
# A cluster icon: markercluster's default class, or any marker icon whose class names a
# cluster (static/js/map.js draws its own `wabp-cluster` icons).
CLUSTER_SELECTOR = ".marker-cluster, .leaflet-marker-icon[class*='cluster']"

# Targets from issue 12 ("Fast for everyone"): req/s as a share of /ping, except /ping's own,
# which is a share of the bare Django view (no middleware).
PING_MIN_BARE = 0.6
SEARCH_MIN_RATIO = 0.5
SEARCH_MAX_P99_MS = 30
PAGE_MIN_RATIO = 0.5
MUNICIPALITY_MIN_RATIO = 0.3
GEOJSON_MIN_RATIO = 0.7
NOT_MODIFIED_MIN_RATIO = 0.9
SEARCH_SCALE_MAX = 1.1
MAP_MAX_S = {"small": 1.5, "large": 2.0}
# Endpoint key: (minimum ratio, maximum p99 in ms or None). /ping's ratio is to the bare view.
TARGETS = {
    "trivial": (PING_MIN_BARE, None),
    "home": (PAGE_MIN_RATIO, None),
    "search": (SEARCH_MIN_RATIO, SEARCH_MAX_P99_MS),
    "search_large": (SEARCH_MIN_RATIO, SEARCH_MAX_P99_MS),
    "search_name": (SEARCH_MIN_RATIO, SEARCH_MAX_P99_MS),
    "search_place": (SEARCH_MIN_RATIO, SEARCH_MAX_P99_MS),
    "group": (PAGE_MIN_RATIO, None),
    "municipality": (MUNICIPALITY_MIN_RATIO, None),
    "geojson": (GEOJSON_MIN_RATIO, None),
    "geojson_304": (NOT_MODIFIED_MIN_RATIO, None),
    "home_304": (NOT_MODIFIED_MIN_RATIO, None),
}
# What a browser sends; the map data row uses it, so it measures the encoding browsers get.
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"
# A cache-miss run needs a postcode per request: this many per second of run, per run.
MISS_PATHS_PER_SECOND = 600
BARE_PATH = "/__bare"
PROBE_TIMEOUT_S = 120
APP = "bench.wsgi:application"


@dataclass
class Settings:
    warmup_s: float = 20
    run_s: float = 10
    runs: int = 3
    connections: int = 16
    threads: int = 2
    sample_postcodes: int = 500
    sample_groups: int = 500
    sample_municipalities: int = 200
    search_requests: int = 300
    search_warmup: int = 50
    map_runs: int = 3
    large: int = 100_000


@dataclass
class Endpoint:
    key: str
    label: str
    paths: list[str]
    result: dict | None = None
    note: str = ""
    headers: dict = field(default_factory=lambda: {"Accept-Encoding": "gzip"})
    expect: int = 200
    # Cache misses: no warm-up, each run its own slice of `paths`, each path requested once.
    unique: bool = False
    # Revalidation: send the ETag the first path answers with as If-None-Match.
    revalidate: bool = False


@dataclass
class Results:
    machine: dict = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    workers: int = 0
    counts_small: dict = field(default_factory=dict)
    counts_large: dict = field(default_factory=dict)
    endpoints: list[Endpoint] = field(default_factory=list)
    search_large: Endpoint | None = None
    search_scale: dict | None = None
    search_scale_note: str = ""
    # `?q=` and `?plaats=` in-process, each request a page-cache miss: {"small"/"large": ...}.
    name_search: dict = field(default_factory=dict)
    import_time: dict | None = None
    import_note: str = ""
    geojson: dict = field(default_factory=dict)
    map: dict = field(default_factory=dict)
    quick: bool = False


# Measures --------------------------------------------------------------------------------


def measure_endpoint(server: lib.Server, endpoint: Endpoint, s: Settings) -> None:
    """Warm-up, then the median of s.runs wrk runs; skipped when the page does not answer as
    expected (200, or 304 for a revalidation)."""
    headers = dict(endpoint.headers)
    if endpoint.revalidate:
        first = lib.fetch(server.base + endpoint.paths[0], headers=headers, timeout=PROBE_TIMEOUT_S)
        etag = {k.lower(): v for k, v in first.headers.items()}.get("etag")
        if first.status != 200 or not etag:
            endpoint.note = (
                f"not measured: {endpoint.paths[0]} answers {first.status or 'nothing'}"
                + ("" if etag else " without an ETag")
            )
            log(endpoint.note)
            return
        headers["If-None-Match"] = etag
    probe_path = endpoint.paths[-1] if endpoint.unique else endpoint.paths[0]
    # The first request after a change may build what the page serves (the map data: seconds).
    probe = lib.fetch(server.base + probe_path, headers=headers, timeout=PROBE_TIMEOUT_S)
    if probe.status != endpoint.expect:
        endpoint.note = f"not measured: {probe_path} answers {probe.status or 'nothing'}"
        if endpoint.expect != 200:
            endpoint.note += f", not {endpoint.expect}"
        log(endpoint.note)
        return
    options = {"connections": s.connections, "threads": s.threads}
    if endpoint.unique:
        # The probe used the last path; the runs share out the others, one slice each.
        paths = endpoint.paths[:-1]
        size = len(paths) // s.runs
        slices = [paths[i * size : (i + 1) * size] for i in range(s.runs)]
        scripts = [
            lib.write_script(lib.cycling_script(part, headers, step=len(part) // s.threads))
            for part in slices
        ]
    else:
        scripts = [lib.write_script(lib.cycling_script(endpoint.paths, headers))] * s.runs
    try:
        if not endpoint.unique:
            lib.wrk(server.base, scripts[0], seconds=s.warmup_s, **options)
        runs = [lib.wrk(server.base, script, seconds=s.run_s, **options) for script in scripts]
    finally:
        for script in set(scripts):
            script.unlink()
    if not all(r["requests"] for r in runs):
        endpoint.note = f"not measured: no request finished within a {s.run_s:g} s run"
        log(f"{endpoint.label}: {endpoint.note}")
        return
    endpoint.result = {
        "rps": lib.median([r["rps"] for r in runs]),
        "p50_ms": lib.median([r["p50_us"] for r in runs]) / 1000,
        "p99_ms": lib.median([r["p99_us"] for r in runs]) / 1000,
        "bad_status": sum(r["status_errors"] for r in runs),
        "socket_errors": sum(r["connect"] + r["read"] + r["write"] + r["timeout"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "runs_rps": [round(r["rps"], 1) for r in runs],
    }
    if endpoint.unique:
        # More requests than paths in a slice: the rest were repeats, possibly cache hits.
        repeats = sum(
            max(0, r["requests"] - len(part)) for r, part in zip(runs, slices, strict=True)
        )
        endpoint.result["repeats"] = repeats
        if repeats:
            endpoint.note = f"{repeats} of {endpoint.result['requests']} requests were repeats"
    r = endpoint.result
    log(
        f"{endpoint.label}: {r['rps']:.0f} req/s, p50 {r['p50_ms']:.1f} ms, "
        f"p99 {r['p99_ms']:.1f} ms, non-2xx/3xx {r['bad_status']}, timeouts/socket errors"
        f" {r['socket_errors']} (runs {r['runs_rps']})"
    )


def measure_map(server: lib.Server, runs: int) -> dict:
    """Seconds from navigation start until the first `.marker-cluster` is visible."""
    probe = lib.fetch(server.base + "/kaart/")
    if probe.status != 200:
        return {"note": f"not measured: /kaart/ answers {probe.status or 'nothing'}"}
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"note": "not measured: Playwright is not installed in .venv"}
    if not Path(CHROMIUM).exists():
        return {"note": f"not measured: no Chromium at {CHROMIUM}"}
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for _ in range(runs):
                # A fresh context each time: an empty cache, like a first visit.
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                try:
                    page.goto(server.base + "/kaart/", wait_until="commit", timeout=30_000)
                    page.wait_for_selector(CLUSTER_SELECTOR, state="visible", timeout=30_000)
                    times.append(page.evaluate("performance.now()") / 1000)
                except PlaywrightError as error:
                    first_line = str(error).splitlines()[0]
                    return {"note": f"not measured: no visible cluster icon ({first_line})"}
                finally:
                    context.close()
        finally:
            browser.close()
    return {"seconds": lib.median(times), "runs": [round(t, 3) for t in times]}


def measure_import(url: str, name: str) -> dict:
    """Migrate a fresh database, then time the postcode import alone."""
    scratch = lib.create_database(url, name)
    try:
        lib.manage(scratch, "migrate", "--noinput", "-v0")
        return lib.djtask(scratch, "import-time", *POSTCODE_FILES)
    finally:
        lib.drop_database(url, name)


# Report ----------------------------------------------------------------------------------


def fmt_int(n: float) -> str:
    return f"{n:,.0f}"


def fmt_rps(n: float) -> str:
    return f"{n:,.0f}" if n >= 10 else f"{n:.1f}"


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None:
        return ""
    return f"{ratio:.2f}" if ratio >= 0.01 else "< 0.01"


def verdict(ok: bool | None) -> str:
    return {True: "met", False: "**NOT MET**", None: "–"}[ok]


def build_report(res: Results) -> tuple[str, list[str]]:
    s = res.settings
    lines: list[str] = []
    unmet: list[str] = []
    m = res.machine
    lines += [
        "# Benchmark results",
        "",
        "Written by `make bench` (`bench/run.py`); do not edit the figures by hand. Targets from"
        " issue 12. Lines marked `(explain)` are for a person to fill in; bench/README.md says how"
        " to read the tables.",
        "",
    ]
    if res.quick:
        lines += ["**QUICK RUN (smoke test): short runs, small samples; not real figures.**", ""]
    lines += [
        "## Machine and setup",
        "",
        "| | |",
        "|---|---|",
        f"| Date | {m['date']} |",
        f"| CPU | {m['cpu']} |",
        f"| Cores | {m['cores']} |",
        f"| Memory | {m['memory_gb']} GB |",
        f"| OS | {m['os']} |",
        f"| Python | {m['python']} |",
        f"| PostgreSQL | {m['postgresql']} |",
        f"| gunicorn | {res.workers} sync workers (2 × cores), production settings"
        " (DEBUG=0), loopback, plain HTTP |",
        f"| Load | wrk -t{s.threads} -c{s.connections}, {s.warmup_s:g} s warm-up, median of"
        f" {s.runs} × {s.run_s:g} s (cache misses: no warm-up); requests send `Accept-Encoding:"
        f" gzip` (the map data rows: `{BROWSER_ENCODINGS}`) |",
        f"| Data | {fmt_int(res.counts_small.get('groups', 0))} groups"
        f" ({fmt_int(res.counts_small.get('active_groups', 0))} active,"
        f" {fmt_int(res.counts_small.get('coverage', 0))} covered postcodes),"
        f" {fmt_int(res.counts_small.get('postcodes', 0))} postcodes |",
    ]
    if res.counts_large:
        lines.append(
            f"| Scale copy | {fmt_int(res.counts_large['groups'])} groups"
            f" ({fmt_int(res.counts_large['active_groups'])} active,"
            f" {fmt_int(res.counts_large['coverage'])} covered postcodes) |"
        )
    lines += [
        "",
        f"## Throughput and latency ({s.connections} connections)",
        "",
        "| Endpoint | req/s | × bare | × /ping | p50 | p99 | non-2xx/3xx"
        " | timeouts, socket errors | Target | Result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    by_key = {ep.key: ep for ep in res.endpoints}

    def rps(key: str) -> float | None:
        ep = by_key.get(key)
        return ep.result["rps"] if ep and ep.result else None

    bare, ping = rps("bare"), rps("trivial")
    rows = list(res.endpoints) + ([res.search_large] if res.search_large else [])
    for ep in rows:
        target, ok = "", None
        minimum, max_p99 = TARGETS.get(ep.key, (None, None))
        base = bare if ep.key == "trivial" else ping
        if minimum is not None:
            target = f"≥ {minimum} × {'bare' if ep.key == 'trivial' else '/ping'}"
            if max_p99 is not None:
                target += f" and p99 < {max_p99} ms"
        if ep.result is None:
            lines.append(f"| {ep.label} | – | – | – | – | – | – | – | {target} | {ep.note} |")
            if target:
                unmet.append(f"{ep.label}: {ep.note}")
            continue
        r = ep.result
        ratio_bare = r["rps"] / bare if bare else None
        ratio_ping = r["rps"] / ping if ping else None
        ratio = r["rps"] / base if base else None
        # wrk leaves timed-out requests out of the latency figures: more than a few and
        # the p99 is not to be trusted.
        valid = (r["bad_status"] + r["socket_errors"]) <= 0.01 * r["requests"]
        if target and ratio is not None:
            ok = ratio >= minimum and (max_p99 is None or r["p99_ms"] < max_p99) and valid
            if not ok:
                unmet.append(
                    f"{ep.label}: {fmt_ratio(ratio)} × {'bare' if ep.key == 'trivial' else '/ping'}"
                    f", p99 {r['p99_ms']:.1f} ms"
                    + (
                        ""
                        if valid
                        else f", {r['bad_status']} non-2xx/3xx, {r['socket_errors']} timeouts"
                    )
                )
        result = verdict(ok) if target else ""
        if not valid:
            result = (result + " (errors or timeouts over 1 %: figures not valid)").strip()
        if ep.note:
            result = (result + f" ({ep.note})").strip()
        lines.append(
            f"| {ep.label} | {fmt_rps(r['rps'])} | {fmt_ratio(ratio_bare)} |"
            f" {fmt_ratio(ratio_ping)} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms |"
            f" {r['bad_status']} | {r['socket_errors']} | {target} | {result} |"
        )
    lines += ["", "## Scale, import and size", "", "| Measure | Value | Target | Result |"]
    lines.append("|---|---|---|---|")
    large = fmt_int(res.counts_large.get("groups", s.large))
    small = fmt_int(res.counts_small.get("groups", 0))
    if res.search_scale:
        sc = res.search_scale
        ok = sc["ratio"] <= SEARCH_SCALE_MAX
        lines.append(
            f"| Search time at {large} vs {small} groups (in-process, median of"
            f" {sc['requests']} requests one at a time) | {sc['ratio']:.2f} ×"
            f" ({sc['large_ms']:.1f} ms vs {sc['small_ms']:.1f} ms) | ≤ {SEARCH_SCALE_MAX} × |"
            f" {verdict(ok)} |"
        )
        if not ok:
            unmet.append(f"Search at {large} groups: {sc['ratio']:.2f} × its time at {small}")
    else:
        lines.append(
            f"| Search time at {large} vs {small} groups | – | ≤ {SEARCH_SCALE_MAX} × |"
            f" {res.search_scale_note} |"
        )
        unmet.append(f"Search at {large} groups: {res.search_scale_note}")
    for timing in res.name_search.values():
        groups = fmt_int(timing["counts"]["groups"])
        for key, label in (
            ("q", "`/zoeken/?q=` (group and place names, aliases)"),
            ("plaats", "`/zoeken/?plaats=` (all groups of a place, page 1)"),
        ):
            t = timing[key]
            lines.append(
                f"| {label} at {groups} groups, page-cache miss (in-process, {t['requests']}"
                f" requests one at a time) | median {t['median_ms']:.1f} ms, p90"
                f" {t['p90_ms']:.1f} ms | – | statuses {t['statuses']} |"
            )
    if res.import_time:
        it = res.import_time
        lines.append(
            f"| Postcode import (`import_postcodes` {' '.join(POSTCODE_FILES)} into an empty,"
            f" migrated database; {fmt_int(it['counts']['postcodes'])} postcodes) |"
            f" {it['seconds']:.1f} s | – | – |"
        )
    else:
        lines.append(f"| Postcode import | – | – | {res.import_note} |")
    for size, label in (("small", small), ("large", large)):
        g = res.geojson.get(size)
        if not g:
            continue
        title = f"Map data `/kaart/groepen.geojson`, {label} groups: brotli vs gzip"
        if g.get("status") != 200:
            note = g.get("note") or f"not measured: answers {g.get('status') or 'nothing'}"
            lines.append(f"| {title} | – | – | {note} |")
            continue
        parts = []
        for coding, name in (("br", "brotli"), ("gzip", "gzip")):
            if g.get(coding) is None:
                parts.append(f"{name}: not offered")
                continue
            same = "" if g.get(f"{coding}_same") else " (**decodes to other bytes**)"
            parts.append(f"{name} {fmt_int(g[coding])} bytes = {g[coding] / 1024:.0f} KB{same}")
        value = "; ".join(parts) + f"; uncompressed {g['identity'] / 1024:.0f} KB"
        if g.get("br") and g.get("gzip"):
            value += f"; brotli = {g['br'] / g['gzip']:.2f} × gzip"
        lines.append(f"| {title} | {value} | – | – |")
    for size, label in (("small", small), ("large", large)):
        mp = res.map.get(size)
        if mp is None:
            continue
        target = f"< {MAP_MAX_S[size]} s"
        title = f"Map shows clusters (headless Chromium, /kaart/), {label} groups"
        if "seconds" in mp:
            ok = mp["seconds"] < MAP_MAX_S[size]
            runs = ", ".join(f"{t:.2f}" for t in mp["runs"])
            lines.append(
                f"| {title} | {mp['seconds']:.2f} s (median of {len(mp['runs'])}: {runs}) |"
                f" {target} | {verdict(ok)} |"
            )
            if not ok:
                unmet.append(f"Map clusters at {label} groups: {mp['seconds']:.2f} s")
        else:
            lines.append(f"| {title} | – | {target} | {mp['note']} |")
            unmet.append(f"Map clusters at {label} groups: {mp['note']}")
    lines += ["", "## Targets not met", ""]
    if unmet:
        lines += [
            f"- {item}. Limited by: (explain). Next step, measured: (explain)" for item in unmet
        ]
    else:
        lines.append("None.")
    lines += [
        "",
        "## How these were measured",
        "",
        "- Search: `/zoeken/?postcode=` over a fixed random sample (seed 1) of"
        f" {s.sample_postcodes} real PC6 postcodes; group and municipality pages over samples"
        f" of {s.sample_groups} active groups and {s.sample_municipalities} municipalities;"
        " wrk cycles through each list.",
        f"- Bare Django view: `{BARE_PATH}`, answered by `bench/wsgi.py` in the same gunicorn"
        " workers through Django's WSGI handler with no middleware and a one-URL URLconf: the"
        " floor of any Django page here. Trivial view: `/ping` (full middleware, no database).",
        "- Search cache hit: 20 of the sampled postcodes, searched by every worker during the"
        " warm-up. Cache miss: postcodes never searched before on this server, each once"
        " (no warm-up; a separate slice per run). 304: the page's own ETag as If-None-Match.",
        f"- Search at {large} groups: a copy of the database grown with groups shaped like the"
        " demo groups (status, admins, coverage size; `bench/djtasks.py grow`). The ratio"
        " compares the median time of the search view called in-process with"
        " `django.test.Client`, one request at a time, after a warm-up; the wrk row"
        f" `/zoeken/ at {large} groups` is the same load test as above on that copy.",
        "- Map: a fresh browser context per run (empty cache), from navigation start"
        " (`performance.now()`) until the first cluster icon is visible (`.marker-cluster`, or"
        " a Leaflet marker icon with `cluster` in its class: the map draws `wabp-cluster`).",
        "",
    ]
    return "\n".join(lines), unmet


# Main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke test: 2 s runs, small samples")
    parser.add_argument("--large", type=int, help="groups in the scale test (default 100000)")
    parser.add_argument("--skip-import", action="store_true", help="skip the import timing")
    parser.add_argument("--skip-large", action="store_true", help="skip the 100k-group copy")
    parser.add_argument("--output", help="where to write the report (default bench/RESULTS.md)")
    args = parser.parse_args()

    s = Settings()
    if args.quick:
        s = Settings(
            warmup_s=1,
            run_s=2,
            runs=1,
            sample_postcodes=50,
            sample_groups=50,
            sample_municipalities=20,
            search_requests=30,
            search_warmup=5,
            map_runs=1,
            large=12_000,
        )
    if args.large:
        s.large = args.large
    if args.output:
        output = Path(args.output)
    elif args.quick:
        output = Path(tempfile.gettempdir()) / "wabp-bench-RESULTS-quick.md"
    else:
        output = lib.BENCH / "RESULTS.md"

    # A SIGTERM (e.g. from make) must still stop gunicorn and drop the scratch databases.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    url = lib.database_url()
    main_db = lib.database_name(url)
    large_db = f"{main_db}_bench100k"
    import_db = f"{main_db}_benchimport"
    res = Results(settings=s, quick=args.quick, workers=lib.default_workers())
    servers: list[lib.Server] = []
    started = time.monotonic()
    try:
        lib.ensure_wrk()
        res.machine = lib.machine(url)
        lib.analyze(url)
        log("collectstatic")
        lib.manage(url, "collectstatic", "--noinput", "-v0")
        sample = lib.djtask(
            url,
            "sample",
            "--seed",
            "1",
            "--postcodes",
            str(s.sample_postcodes),
            "--groups",
            str(s.sample_groups),
            "--municipalities",
            str(s.sample_municipalities),
            "--unseen-postcodes",
            str(int(MISS_PATHS_PER_SECOND * s.run_s * s.runs) + 1),
        )
        res.counts_small = sample["counts"]
        log(f"data: {res.counts_small}")
        if not sample["postcodes"]:
            sys.exit("The database has no postcodes: run 'make setup' first.")
        postcodes_file = Path(tempfile.mkstemp(prefix="wabp-postcodes-", suffix=".json")[1])
        postcodes_file.write_text(json.dumps(sample["postcodes"]))

        if args.skip_import:
            res.import_note = "skipped (--skip-import)"
        else:
            log("postcode import into a scratch database")
            res.import_time = measure_import(url, import_db)
            log(f"import: {res.import_time['seconds']:.1f} s")

        search_args = [
            "search-time",
            "--postcodes-file",
            str(postcodes_file),
            "--requests",
            str(s.search_requests),
            "--warmup",
            str(s.search_warmup),
        ]
        large_url = None
        if args.skip_large:
            res.search_scale_note = "skipped (--skip-large)"
        elif res.counts_small["groups"] >= s.large:
            res.search_scale_note = f"not measured: the database already has ≥ {s.large} groups"
        else:
            log(f"copying {main_db} to {large_db} and growing it to {s.large} groups")
            large_url = lib.create_database(url, large_db, template=main_db)
            grown = lib.djtask(large_url, "grow", "--target", str(s.large), "--seed", "2")
            res.counts_large = grown["counts"]
            lib.analyze(large_url)
            log(f"grown in {grown['seconds']:.0f} s: {res.counts_large}")

        if large_url:
            small_search = lib.djtask(url, *search_args)
            large_search = lib.djtask(large_url, *search_args)
            bad = {k: v for k, v in small_search["statuses"].items() if k != "200"}
            if bad or set(large_search["statuses"]) != {"200"}:
                res.search_scale_note = (
                    f"not measured: search answered {small_search['statuses']} /"
                    f" {large_search['statuses']}"
                )
            else:
                res.search_scale = {
                    "small_ms": small_search["median_ms"],
                    "large_ms": large_search["median_ms"],
                    "ratio": large_search["median_ms"] / small_search["median_ms"],
                    "requests": s.search_requests,
                }
                log(f"search scale: {res.search_scale}")

        name_args = ["name-search-time", "--requests", str(s.search_requests), "--warmup", "10"]
        res.name_search["small"] = lib.djtask(url, *name_args)
        if large_url:
            res.name_search["large"] = lib.djtask(large_url, *name_args)
        log(f"name search: {res.name_search}")

        server = lib.start_server(url, app=APP)
        servers.append(server)
        res.workers = server.workers
        search_paths = [f"/zoeken/?postcode={code}" for code in sample["postcodes"]]
        name_paths = [f"/zoeken/?{urlencode({'q': q})}" for q in sample["name_queries"]]
        place_paths = [f"/zoeken/?{urlencode({'plaats': p})}" for p in sample["place_names"]]
        hit_paths = search_paths[:20]
        res.endpoints = [
            Endpoint(
                "bare", f"bare Django view `{BARE_PATH}` (no middleware; the floor)", [BARE_PATH]
            ),
            Endpoint("trivial", "trivial view `/ping`", ["/ping"]),
            Endpoint("home", "`/`", ["/"]),
            Endpoint(
                "home_304",
                "`/` revalidated (If-None-Match: its ETag → 304)",
                ["/"],
                expect=304,
                revalidate=True,
            ),
            Endpoint(
                "search",
                f"`/zoeken/?postcode=` ({len(sample['postcodes'])} postcodes)",
                search_paths,
            ),
            Endpoint(
                "search_hit",
                f"`/zoeken/?postcode=` cache hit ({len(hit_paths)} postcodes, all warm)",
                hit_paths,
            ),
            Endpoint(
                "search_miss",
                "`/zoeken/?postcode=` cache miss (each postcode searched once)",
                [f"/zoeken/?postcode={code}" for code in sample["unseen_postcodes"]],
                unique=True,
            ),
            Endpoint(
                "search_name",
                f"`/zoeken/?q=` group and place names ({len(name_paths)} queries)",
                name_paths,
            ),
            Endpoint(
                "search_place",
                f"`/zoeken/?plaats=` all groups of a place ({len(place_paths)} places)",
                place_paths,
            ),
            Endpoint(
                "group",
                f"`/groepen/<slug>/` ({len(sample['groups'])} groups)",
                [f"/groepen/{slug}/" for slug in sample["groups"]] or ["/groepen/-/"],
            ),
            Endpoint(
                "geojson",
                f"`/kaart/groepen.geojson` (Accept-Encoding: {BROWSER_ENCODINGS})",
                ["/kaart/groepen.geojson"],
                headers={"Accept-Encoding": BROWSER_ENCODINGS},
            ),
            Endpoint(
                "geojson_304",
                "`/kaart/groepen.geojson` revalidated (If-None-Match: its ETag → 304)",
                ["/kaart/groepen.geojson"],
                headers={"Accept-Encoding": BROWSER_ENCODINGS},
                expect=304,
                revalidate=True,
            ),
            Endpoint(
                "municipality",
                f"`/gemeenten/<slug>/` ({len(sample['municipalities'])} municipalities)",
                [f"/gemeenten/{slug}/" for slug in sample["municipalities"]] or ["/gemeenten/-/"],
            ),
        ]
        if lib.fetch(server.base + "/ping").status != 200:
            log("/ping is missing: the trivial view falls back to /healthz (one SELECT 1)")
            res.endpoints[1] = Endpoint(
                "trivial", "trivial view `/healthz` (no /ping yet)", ["/healthz"]
            )
        for endpoint in res.endpoints:
            measure_endpoint(server, endpoint, s)
        res.geojson["small"] = lib.encoded_sizes(server.base + "/kaart/groepen.geojson")
        res.map["small"] = measure_map(server, s.map_runs)
        log(f"map at {res.counts_small['groups']} groups: {res.map['small']}")
        server.stop()

        if large_url:
            server = lib.start_server(large_url, app=APP)
            servers.append(server)
            res.search_large = Endpoint(
                "search_large",
                f"`/zoeken/` at {fmt_int(res.counts_large['groups'])} groups",
                search_paths,
            )
            measure_endpoint(server, res.search_large, s)
            res.geojson["large"] = lib.encoded_sizes(server.base + "/kaart/groepen.geojson")
            res.map["large"] = measure_map(server, s.map_runs)
            log(f"map at {res.counts_large['groups']} groups: {res.map['large']}")
            server.stop()
        else:
            res.map["large"] = {"note": res.search_scale_note}
        postcodes_file.unlink()
    finally:
        for server in servers:
            server.stop()
        for name in (large_db, import_db):
            try:
                lib.drop_database(url, name)
            except Exception as error:
                log(f"could not drop {name}: {error}")

    report, unmet = build_report(res)
    output.write_text(report)
    print()
    print(report)
    log(f"wrote {output} in {(time.monotonic() - started) / 60:.1f} minutes")
    if unmet:
        log(f"{len(unmet)} target(s) not met or not measured")


if __name__ == "__main__":
    os.chdir(lib.ROOT)
    main()
