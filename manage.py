#!/usr/bin/env python
import os
import sys


def development_defaults() -> None:
    """A bare `manage.py` in a checkout is development, as under `make`: DEBUG on and the
    embedded database. Once anything is configured (SECRET_KEY or DEBUG, as every
    deployment sets), nothing is assumed and the settings stay strict.
    """
    if "SECRET_KEY" in os.environ or "DEBUG" in os.environ:
        return
    os.environ["DEBUG"] = "1"
    port = os.environ.get("PGEMBED_PORT", "54329")
    name = os.environ.get("PGEMBED_DB", "wabp")
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:{port}/{name}")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wabp.settings")
    development_defaults()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
