"""The one CSV writer of the app (downloads and command output), and the one delimiter guess for
reading (pemisah_csv). The writer is the standard csv module, with text cells that a spreadsheet
would run as a formula neutralised the usual way (OWASP's "CSV injection"): a leading =, +, -, @,
tab or carriage return gets a single quote in front, so `=HYPERLINK(…)` typed as a child's name
arrives as text. Numbers stay numbers: ints, floats and Decimals are written as they are, and so
is text that is just a number ("-2.31", "1e-3"), which a spreadsheet reads as a number, never as
a formula.
"""

from __future__ import annotations

import csv
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def safe_cell(value):
    """A cell value that no spreadsheet runs as a formula (other values unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def pemisah_csv(teks: str) -> str:
    """The delimiter of a CSV (for uploads, the import and the z-score tool): the most frequent of
    , ; tab | on its first lines."""
    awal = "\n".join(teks.splitlines()[:30])
    return max([",", ";", "\t", "|"], key=awal.count)


class Writer:
    """csv.writer's writerow/writerows with every cell passed through safe_cell."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **kwargs) -> Writer:
    """Use instead of csv.writer(stream, **kwargs) everywhere in the app."""
    return Writer(stream, **kwargs)
