#!/usr/bin/env python
"""Django's command-line utility for Pantau Stunting."""
import os
import sys


def main():
    if sys.argv[1:2] == ["zscore"]:
        # z-scores need no settings and no database: skipping Django's start-up (~0.7 s, several
        # seconds on a busy machine) is most of the command's time on a large file.
        from balita.growth.__main__ import main as zscore

        sys.exit(zscore(sys.argv[2:], prog="manage.py zscore"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpps.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
