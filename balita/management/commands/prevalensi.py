"""`manage.py prevalensi --dari 2025-01 --sampai 2025-06 [--per kelurahan] [-o hasil.csv]`.

For analysts and for checking: each child's latest measurement in the months (the rule every
figure follows, read through balita.figures as the whole city) analysed as WHO's anthro does
(balita.prevalence), with the chosen area or group as anthro's grouping: one CSV row per group
and indicator, `Semua` first.
"""

import calendar
import contextlib
import datetime
import re

import pandas as pd
from django.core.management.base import BaseCommand

from balita import figures, prevalence
from balita.models import JenisKelamin
from tpps import csvfile
from tpps.ages import DAYS_PER_MONTH
from tpps.errors import UserError, command_error
from tpps.roles import SYSTEM

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# anthro's age groups (completed WHO months)
AGE_GROUPS = [(0, "0-5 bulan"), (6, "6-11 bulan"), (12, "12-23 bulan"), (24, "24-35 bulan"),
              (36, "36-47 bulan"), (48, "48-59 bulan")]
PER = ("kota", "kecamatan", "kelurahan", "posyandu", "jenis_kelamin", "kelompok_umur")


def parse_month(text: str, option: str) -> tuple[int, int]:
    match = MONTH.match(text or "")
    if not match or not 1 <= int(match[2]) <= 12:
        raise UserError(f"--{option} harus berupa bulan TTTT-BB, misalnya 2025-03 (tertulis: {text!r}).",
                        field=option)
    return int(match[1]), int(match[2])


def age_group(days: int) -> str:
    months = days / DAYS_PER_MONTH
    return [label for start, label in AGE_GROUPS if months >= start][-1]


def with_group(rows: pd.DataFrame, per: str) -> pd.DataFrame:
    """The rows with a `kelompok` column, ordered so groups come out in a natural order."""
    rows = rows.copy()
    if per == "kota":
        return rows
    if per == "posyandu":
        # Posyandu names repeat across kelurahan ("Melati"): the kelurahan tells them apart.
        rows["kelompok"] = rows.posyandu.fillna("Tanpa posyandu") + " (" + rows.kelurahan + ")"
    elif per == "jenis_kelamin":
        rows["kelompok"] = rows.jenis_kelamin.map(dict(JenisKelamin.choices))
    elif per == "kelompok_umur":
        rows["kelompok"] = rows.umur_hari.map(age_group)
        return rows.sort_values("umur_hari", kind="stable")
    else:
        rows["kelompok"] = rows[per]
    return rows.sort_values("kelompok", kind="stable")


def number(value, decimals: int) -> str:
    return "" if value is None or pd.isna(value) else f"{value:.{decimals}f}"


class Command(BaseCommand):
    help = ("Prevalensi stunting, sangat pendek, wasting, underweight dan overweight dengan selang "
            "kepercayaan 95 % seperti paket anthro WHO, dari pengukuran terakhir tiap anak dalam rentang bulan.")

    def add_arguments(self, parser):
        parser.add_argument("--dari", required=True, help="bulan pertama, TTTT-BB")
        parser.add_argument("--sampai", required=True, help="bulan terakhir, TTTT-BB")
        parser.add_argument("--per", choices=PER, default="kota", help="pengelompokan (bawaan: kota)")
        parser.add_argument("-o", "--output", help="berkas CSV (bawaan: layar)")

    def handle(self, *args, dari, sampai, per, output=None, **options):
        try:
            first, last = parse_month(dari, "dari"), parse_month(sampai, "sampai")
            if first > last:
                raise UserError(f"--dari ({dari}) tidak boleh sesudah --sampai ({sampai}).", field="dari")
        except UserError as error:
            raise command_error(error) from error
        start = datetime.date(*first, 1)
        end = datetime.date(*last, calendar.monthrange(*last)[1])
        rows = with_group(figures.latest_rows(SYSTEM, start, end), per)
        result = prevalence.table(rows, None if per == "kota" else "kelompok")
        with (open(output, "w", newline="", encoding="utf-8") if output else contextlib.nullcontext(self.stdout)) as stream:
            writer = csvfile.writer(stream, lineterminator="\n")
            writer.writerow(prevalence.COLUMNS)
            for row in result.itertuples(index=False):
                writer.writerow([row.kelompok, row.indikator, row.n, row.kasus, number(row.prevalensi, 6),
                                 number(row.ci_bawah, 6), number(row.ci_atas, 6), number(row.rerata_z, 4),
                                 number(row.sd_z, 4)])
        if output:
            self.stderr.write(f"{len(result)} baris ditulis ke {output}.")

