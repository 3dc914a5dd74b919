"""Every page, as the persona who sees it, is valid HTML according to the Nu HTML Checker.

The checker is the `vnu-jar` npm package (package.json), installed with
`npm ci --ignore-scripts` into node_modules/; it runs on the system's Java. The pages are
rendered with the Django test client, written to files and checked in one run of the
checker, which is slow to start.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from tests.html.pages import ANONYMOUS, PASSWORD_ONLY, build_world, pages
from tests.support import log_in
from wabp.models import User

pytestmark = pytest.mark.html

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Error pages that no test request can reach: rendered straight from their templates.
ERROR_TEMPLATES = ["400.html", "403.html", "403_csrf.html", "429.html", "500.html", "503.html"]


def checker() -> list[str]:
    """The command that runs the Nu HTML Checker; fails (never skips) when it is missing."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is needed for the Nu HTML Checker: apt-get install default-jre-headless")
    if not VNU.exists():
        pytest.fail(
            f"The Nu HTML Checker is missing ({VNU.relative_to(settings.BASE_DIR)}). "
            "Install it with `npm ci --ignore-scripts` in the project folder."
        )
    return [java, "-jar", str(VNU)]


def check_html(command: list[str], files: list[Path]) -> list[str]:
    """Run the Nu HTML Checker once over `files`; its errors as "file:line: message"."""
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"The Nu HTML Checker failed:\n{result.stdout}\n{result.stderr}")
    errors = []
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        name = Path(message.get("url", "?").removeprefix("file:")).name
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{name}:{message.get('lastLine', '?')}: {message['message']}  [{extract}]")
    return errors


def render_pages(world, folder: Path) -> list[Path]:
    clients = {ANONYMOUS: Client()}
    files = []
    for number, page in enumerate(pages(world), start=1):
        if page.persona not in clients:
            clients[page.persona] = Client()
            user = User.objects.get(email=page.persona)
            if page.persona in PASSWORD_ONLY:
                clients[page.persona].force_login(user)
            else:
                log_in(clients[page.persona], user)
        client = clients[page.persona]
        response = client.get(page.path) if page.data is None else client.post(page.path, page.data)
        assert response.status_code < 300 or response.status_code >= 400, (
            f"{page.label} ({page.path}) redirects to {response.get('Location')}"
        )
        assert response.status_code < 500, f"{page.label} ({page.path}): {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), page.label
        slug = re.sub(r"[^a-z0-9]+", "-", page.label.lower()).strip("-")
        path = folder / f"{number:03d}-{slug}.html"
        path.write_bytes(response.content)
        files.append(path)
    request = RequestFactory().get("/")
    for template in ERROR_TEMPLATES:
        path = folder / f"fout-{template}"
        path.write_text(render_to_string(template, request=request), encoding="utf-8")
        files.append(path)
    return files


def test_every_page_is_valid_html(db, tmp_path):
    command = checker()
    world = build_world()
    files = render_pages(world, tmp_path)
    errors = check_html(command, files)
    assert not errors, f"{len(errors)} HTML errors in {len(files)} pages:\n" + "\n".join(errors)
