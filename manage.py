#!/usr/bin/env python
"""Django's command-line utility for Pantau Stunting."""
import os
import runpy
import sys


def main():
    if sys.argv[1:2] == ["zscore"]:
        # z-scores need no settings and no database: skipping Django's start-up (~0.7 s, several
        # seconds on a busy machine) is most of the command's time on a large file.
        # Run as a program (balita/growth/__main__.py keeps pandas out only then).
        sys.argv[:2] = ["manage.py zscore"]
        runpy.run_module("balita.growth", run_name="__main__", alter_sys=True)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpps.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
