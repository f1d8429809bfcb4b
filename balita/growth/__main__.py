"""`python -m balita.growth IN OUT`: WHO z-scores for a CSV or XLSX file, without Django or a database
(see balita/growth/table.py). `manage.py zscore IN -o OUT` lands here too. Exit status 1 on a file
that cannot be used, after its messages (by row and column) on stderr."""

import argparse
import importlib.abc
import sys
from pathlib import Path


class _WithoutPandas(importlib.abc.MetaPathFinder):
    """pyarrow imports pandas (0.3-0.5 s, a third of this command's time) on its first array
    conversion, only to recognise pandas objects, which this process never has: refuse it here."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("pandas is not used by python -m balita.growth", name=name)
        return None


if __name__ == "__main__" and "pandas" not in sys.modules:  # run as the program, not imported
    sys.meta_path.insert(0, _WithoutPandas())

from balita.growth import table  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m balita.growth", description="Hitung z-skor WHO (TB/U, BB/U, BB/TB, IMT/U) untuk berkas CSV/XLSX berkolom e-PPGBM.")
    parser.add_argument("input", type=Path, help="berkas masukan .csv atau .xlsx")
    parser.add_argument("output", type=Path, nargs="?", help="berkas keluaran .csv atau .xlsx")
    parser.add_argument("-o", "--output", type=Path, dest="output_option", help="berkas keluaran (sama dengan OUTPUT)")
    args = parser.parse_args(argv)
    output = args.output or args.output_option
    if output is None:
        parser.error("berkas keluaran belum disebut")
    try:
        rows = table.run(args.input, output)
    except table.InputError as error:
        for message in error.details:
            print(message, file=sys.stderr)
        print(error.message, file=sys.stderr)
        return 1
    print(f"{rows} baris ditulis ke {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
