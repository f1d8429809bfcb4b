"""The e-PPGBM import pipeline up to the plan: read the file, check every row, match children
and measurements against the database. Reads only; balita.services writes the plan.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
from django.db import connection

from balita.importers import identity, reading, validation
from balita.importers import plan as planning
from balita.importers.reading import FileError  # noqa: F401  (re-exported for callers)
from balita.models import Anak
from tpps import masking
from tpps.roles import VIEW

MEASUREMENT_COLUMNS = ["id", "anak_id", "tanggal", "berat", "tinggi", "cara_ukur", "lila", "lingkar_kepala",
                       "asi_eksklusif", "posyandu_id", "kelurahan_id"]
# The e-PPGBM export's columns in its order (the import page's template file).
TEMPLATE_HEADERS = [
    "No", "NIK", "Nama", "JK", "Tgl Lahir", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov", "Kab/Kota", "Kec",
    "Pukesmas", "Desa/Kel", "Posyandu", "RT", "RW", "Alamat", "Usia Saat Ukur", "Tanggal Pengukuran", "Berat",
    "Tinggi", "Cara Ukur", "LiLA", "BB/U", "ZS BB/U", "TB/U", "ZS TB/U", "BB/TB", "ZS BB/TB", "Naik Berat Badan",
    "PMT Diterima (kg)", "Jml Vit A", "KPSP", "KIA", "Detail", "ASI Eksklusif",
]
CHILD_COLUMNS = ["id", *planning.IDENTITY_FIELDS, *planning.RESIDENCE_FIELDS]


def prepare(path: Path | str, original_name: str, *, today: datetime.date, kelurahan_ids, viewer=None,
            decisions=None, undecided="error", progress=lambda percent, stage: None) -> planning.Plan:
    """The plan for one file. `kelurahan_ids`: where the user may write (a set; services take it from
    `Kelurahan.objects.for_user(user, "change")`); `viewer`: whose eyes the messages are written
    for (stored children named as far as they may see them); `decisions`/`undecided`: see
    balita.importers.identity.Checks."""
    progress(5, "Membaca berkas")
    return prepare_sheet(reading.read(path, original_name), today=today, kelurahan_ids=kelurahan_ids,
                         viewer=viewer, decisions=decisions, undecided=undecided, progress=progress)


def prepare_sheet(sheet: reading.Sheet, *, today: datetime.date, kelurahan_ids, viewer=None, decisions=None,
                  undecided="error", progress=lambda percent, stage: None) -> planning.Plan:
    progress(20, f"Memeriksa {len(sheet.frame):,} baris".replace(",", "."))
    checked = validation.check(sheet, validation.AreaIndex.from_database(), today, kelurahan_ids)
    progress(35, "Mencocokkan anak dan pengukuran")
    labels = {name: sheet.label(name) for name in reading.COLUMNS}
    checks = identity.Checks(decisions=decisions or {}, undecided=undecided, writable=set(kelurahan_ids),
                             describe=lambda anak_ids: describe_children(viewer, anak_ids))
    return planning.build(checked, load_children(), load_measurements, labels, checks)


def describe_children(viewer, anak_ids) -> dict:
    """{id: "Nama (P, lahir 01/01/2024, Kel. Betet)"} for the children `viewer` may see (the name
    masked as they may see it); children outside their view are left out. No viewer: nothing is
    named."""
    if viewer is None:
        return {}
    children = Anak.objects.for_user(viewer, VIEW).filter(id__in=list(anak_ids)).select_related("kelurahan")
    return {child.id: describe(viewer, child) for child in children}


def describe(viewer, child: Anak) -> str:
    return (f"{masking.name_for(viewer, child.nama)} ({child.jenis_kelamin}, lahir "
            f"{child.tanggal_lahir:%d/%m/%Y}, Kel. {child.kelurahan.nama})")


def _frame(sql: str, params, columns: list[str]) -> pd.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return pd.DataFrame(cursor.fetchall(), columns=columns)


def load_children() -> pd.DataFrame:
    frame = _frame(f"SELECT {', '.join(CHILD_COLUMNS)} FROM balita_anak", [], CHILD_COLUMNS)
    frame["tanggal_lahir"] = pd.to_datetime(frame["tanggal_lahir"]).astype("datetime64[ns]")
    for name in ("berat_lahir", "panjang_lahir"):
        frame[name] = pd.to_numeric(frame[name].astype(object), errors="coerce").astype(float)
    for name in ("kelurahan_id", "posyandu_id"):
        frame[name] = frame[name].astype("Int64")
    frame["id"] = frame["id"].astype("int64")
    return frame


def load_measurements(anak_ids: list[int]) -> pd.DataFrame:
    frame = _frame(
        f"SELECT {', '.join(MEASUREMENT_COLUMNS)} FROM balita_pengukuran WHERE anak_id = ANY(%s)",
        [anak_ids], MEASUREMENT_COLUMNS,
    )
    frame["tanggal"] = pd.to_datetime(frame["tanggal"]).astype("datetime64[ns]")
    for name in ("berat", "tinggi", "lila", "lingkar_kepala"):
        frame[name] = pd.to_numeric(frame[name].astype(object), errors="coerce").astype(float)
    for name in ("anak_id", "posyandu_id", "kelurahan_id"):
        frame[name] = frame[name].astype("Int64")
    frame["cara_ukur"] = frame["cara_ukur"].astype(object)
    frame["asi_eksklusif"] = frame["asi_eksklusif"].astype(object)
    return frame
