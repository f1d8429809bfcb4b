"""Fixtures of the balita tests: children with measurements, and real e-PPGBM files on disk."""

import datetime
from decimal import Decimal

import pandas as pd
import pytest

from balita import services
from tpps import xlsx
from balita.demo import EPPGBM_COLUMNS
from balita.models import Anak
from tests.factories import kelurahan, make_posyandu
from tpps.roles import SYSTEM


def make_anak(kelurahan_nama="Pesantren", *, nama="Aisyah Putri", nik=None, jenis_kelamin="P",
              tanggal_lahir=datetime.date(2024, 1, 10), nama_ibu="Siti Rahayu", posyandu="Melati", **extra):
    return Anak.objects.create(
        nama=nama, nik=nik, jenis_kelamin=jenis_kelamin, tanggal_lahir=tanggal_lahir, nama_ibu=nama_ibu,
        kelurahan=kelurahan(kelurahan_nama), posyandu=make_posyandu(kelurahan_nama, posyandu) if posyandu else None,
        **extra,
    )


def measure(anak, tanggal, berat=None, tinggi=None, cara_ukur="", user=SYSTEM, **extra):
    data = services.MeasurementInput(
        tanggal=tanggal,
        berat=None if berat is None else Decimal(str(berat)),
        tinggi=None if tinggi is None else Decimal(str(tinggi)),
        cara_ukur=cara_ukur, **extra,
    )
    return services.record_measurement(anak, data, user)


@pytest.fixture
def eppgbm_file(tmp_path):
    """eppgbm_file(rows, name="x.xlsx", columns=None) -> Path of a real XLSX/CSV file with e-PPGBM
    columns (rows: dicts by column name; missing columns empty)."""

    def write(rows, name="eppgbm.xlsx", columns=None, title_rows=0, separator=","):
        columns = columns or EPPGBM_COLUMNS
        frame = pd.DataFrame([{c: row.get(c, "") for c in columns} for row in rows], columns=columns)
        path = tmp_path / name
        if name.endswith(".csv"):
            with path.open("w", encoding="utf-8") as handle:
                for _ in range(title_rows):
                    handle.write("Laporan e-PPGBM\n")
                frame.to_csv(handle, index=False, sep=separator)
        else:
            if title_rows:
                title = ["DATA BALITA KOTA KEDIRI"] + [""] * (len(columns) - 1)
                blanks = [[""] * len(columns)] * (title_rows - 1)
                body = blanks + [list(columns)] + frame.astype(object).values.tolist()
                xlsx.write_table(path, title, body)
            else:
                xlsx.write_frame(path, frame)
        return path

    return write


def row(**values):
    """One e-PPGBM row with sensible defaults (a girl in Kelurahan Pesantren measured in 2025)."""
    base = {
        "NIK": "3571034101240001", "Nama": "Aisyah Putri", "JK": "P", "Tgl Lahir": "01/01/2024",
        "Nama Ortu": "Siti Rahayu", "Prov": "JAWA TIMUR", "Kab/Kota": "KOTA KEDIRI", "Kec": "PESANTREN",
        "Desa/Kel": "PESANTREN", "Posyandu": "Melati", "RT": "001", "RW": "002", "Alamat": "Jl. Mawar 1",
        "Usia Saat Ukur": "1 Tahun - 0 Bulan - 4 Hari", "Tanggal Pengukuran": "2025-01-05", "Berat": 8.9,
        "Tinggi": 73.5, "Cara Ukur": "Terlentang", "LiLA": 14.1,
    }
    base.update(values)
    return base
