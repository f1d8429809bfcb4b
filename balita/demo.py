"""Believable e-PPGBM data for Kota Kediri: children, monthly posyandu measurements, names, NIK.

`eppgbm_rows()` writes rows exactly as an e-PPGBM export has them (same column names), so the
demo data and the import benchmark go through the real import pipeline. Growth follows the WHO
curves: each child keeps its own length- and weight-for-age z-score with small month-to-month
noise; the city's z-scores improve slowly over time (stunting about 7 % early 2024 falling to
about 5 % late 2025) and are lower in the lokus kelurahan.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from balita.growth import engine
from balita.importers import eppgbm
from tpps.models import LokusKelurahan, Posyandu

EPPGBM_COLUMNS = eppgbm.TEMPLATE_HEADERS  # the export's columns, in its order

BOYS = ["Muhammad", "Ahmad", "Rizky", "Fajar", "Dimas", "Bagus", "Arya", "Raka", "Bima", "Galih", "Yusuf", "Farhan",
        "Alif", "Rafa", "Daffa", "Naufal", "Zidan", "Kevin", "Aditya", "Satria", "Hafiz", "Ilham", "Rendra", "Adam"]
GIRLS = ["Aisyah", "Nadia", "Putri", "Zahra", "Alya", "Salsabila", "Kirana", "Nayla", "Anindya", "Dewi", "Keisha",
         "Azzahra", "Citra", "Intan", "Rahma", "Syifa", "Laila", "Naura", "Amira", "Khansa", "Fitri", "Hana"]
SECOND_BOYS = ["Pratama", "Saputra", "Ramadhan", "Wijaya", "Hidayat", "Nugroho", "Kurniawan", "Putra", "Maulana",
               "Firmansyah", "Setiawan", "Prasetyo"]
SECOND_GIRLS = ["Permata", "Lestari", "Anggraini", "Safitri", "Rahmawati", "Puspita", "Wulandari", "Maharani",
                "Kusuma", "Ramadhani", "Azzahra", "Putri"]
MOTHERS = ["Siti", "Sri", "Dwi", "Eka", "Rina", "Yuli", "Wahyu", "Endang", "Nur", "Dian", "Ratna", "Ika", "Lilis",
           "Tri", "Umi", "Evi", "Novi", "Fitria", "Anis", "Lina", "Susanti", "Yeni", "Ani", "Puji"]
MOTHERS_2 = ["Rahayu", "Lestari", "Wahyuni", "Handayani", "Susilowati", "Astuti", "Purwanti", "Rahmawati",
             "Kurniasih", "Hidayati", "Ningsih", "Setyowati", "Maryani", "Fatimah", "Aminah", "Kartini"]
FATHERS = ["Agus", "Budi", "Eko", "Hadi", "Joko", "Slamet", "Bambang", "Andi", "Rudi", "Wawan", "Heru", "Dedi",
           "Yanto", "Imam", "Arif", "Suryadi", "Teguh", "Anton", "Hendra", "Rizal"]
STREETS = ["Jl. Mayor Bismo", "Jl. Dhoho", "Jl. Brawijaya", "Jl. Hayam Wuruk", "Jl. Joyoboyo", "Jl. Semeru",
           "Jl. Kawi", "Jl. Letjen Suprapto", "Jl. Veteran", "Jl. Penanggungan", "Jl. Sersan Bahrun", "Jl. Raya Ngletih"]

# Mean length-for-age z-score at the start of 2024, and its yearly improvement.
HAZ_MEAN = -0.53
HAZ_MEAN_LOKUS = -0.95
HAZ_GAIN_PER_YEAR = 0.065
HAZ_SPREAD = 0.88


def _from_z(table, sex0: np.ndarray, age_days: np.ndarray, z: np.ndarray) -> np.ndarray:
    """The measurement at z-score `z` (the inverse of the LMS formula)."""
    l, m, s = (table.lms[i, sex0, age_days] for i in range(3))
    return m * np.power(1.0 + l * s * z, 1.0 / l)


def children(count: int, areas: pd.DataFrame, *, born_from: datetime.date, born_to: datetime.date,
             seed: int = 2025, nik_serial_from: int = 1) -> pd.DataFrame:
    """`areas`: one row per posyandu with kelurahan, kecamatan, puskesmas, posyandu, lokus (bool),
    kecamatan_kode (e.g. '35.71.03') and weight (share of the city's toddlers). NIK serial numbers
    start at `nik_serial_from` (another range keeps generated children apart from the demo's)."""
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(areas), size=count, p=(areas["weight"] / areas["weight"].sum()).to_numpy())
    place = areas.iloc[pick].reset_index(drop=True)
    sex = rng.choice(np.array(["L", "P"]), size=count)
    span = (born_to - born_from).days
    born = np.datetime64(born_from) + rng.integers(0, span + 1, count).astype("timedelta64[D]")
    first = np.where(sex == "L", rng.choice(BOYS, count), rng.choice(GIRLS, count))
    second = np.where(sex == "L", rng.choice(SECOND_BOYS, count), rng.choice(SECOND_GIRLS, count))
    name = np.char.add(np.char.add(first.astype(str), " "), second.astype(str))
    mother = np.char.add(np.char.add(rng.choice(MOTHERS, count), " "), rng.choice(MOTHERS_2, count))
    father = rng.choice(FATHERS, count)
    frame = pd.DataFrame({
        "nama": name, "jenis_kelamin": sex, "tanggal_lahir": born, "nama_ibu": mother, "nama_ayah": father,
        "kelurahan": place["kelurahan"], "kecamatan": place["kecamatan"], "puskesmas": place["puskesmas"],
        "posyandu": place["posyandu"], "lokus": place["lokus"], "kecamatan_kode": place["kecamatan_kode"],
        "rt": [f"{n:03d}" for n in rng.integers(1, 12, count)], "rw": [f"{n:03d}" for n in rng.integers(1, 8, count)],
        "alamat": [f"{s} No. {n}" for s, n in zip(rng.choice(STREETS, count), rng.integers(1, 120, count))],
        "berat_lahir": np.round(np.clip(rng.normal(3.1, 0.45, count), 1.6, 4.6), 1),
        "panjang_lahir": np.round(np.clip(rng.normal(49, 2.0, count), 42, 54), 0),
        "posyandu_day": place["posyandu_day"].to_numpy(),
    })
    mean = np.where(frame["lokus"], HAZ_MEAN_LOKUS, HAZ_MEAN)
    frame["z_h"] = mean + rng.normal(0, HAZ_SPREAD, count)
    frame["z_w"] = 0.55 * frame["z_h"] + rng.normal(0.0, 0.75, count) - 0.1
    # NIK: region (35.71.0k), birth date (day + 40 for girls) and a serial number; 4% have none yet.
    stamp = pd.to_datetime(frame["tanggal_lahir"])
    day = stamp.dt.day + np.where(sex == "P", 40, 0)
    prefix = ("3571" + frame["kecamatan_kode"].str[-2:] + day.map("{:02d}".format)
              + stamp.dt.strftime("%m%y"))
    serial = frame.groupby(prefix).cumcount() + nik_serial_from
    frame["nik"] = np.where(rng.random(count) < 0.96, prefix + serial.map("{:04d}".format), "")
    return frame


def eppgbm_rows(kids: pd.DataFrame, *, start: datetime.date, end: datetime.date, seed: int = 2025,
                attendance: float = 0.82, dropout_stunted: float = 0.0, dropout_other: float = 0.0) -> pd.DataFrame:
    """Monthly posyandu visits of `kids` between start and end, as e-PPGBM export rows.
    `dropout_stunted` / `dropout_other`: the share of children born short (length-for-age below
    −2 SD) or not who stop coming from a random month on (moved away, stopped attending) — the
    "never measured again" that case management has to chase."""
    rng = np.random.default_rng(seed + 1)
    months = pd.period_range(start, end, freq="M")
    n = len(kids)
    stop = np.full(n, len(months))
    if dropout_stunted or dropout_other:
        leave = np.random.default_rng(seed + 2)  # its own stream: the visits stay those of no dropout
        leaving = leave.random(n) < np.where(kids["z_h"].to_numpy() < -2, dropout_stunted, dropout_other)
        stop[leaving] = leave.integers(1, len(months), int(leaving.sum()))
    parts = []
    for month_index, month in enumerate(months):
        day = np.minimum(kids["posyandu_day"].to_numpy(), month.days_in_month)
        date = np.datetime64(month.start_time.date()) + (day - 1).astype("timedelta64[D]")
        age = (date - kids["tanggal_lahir"].to_numpy()).astype("timedelta64[D]").astype(int)
        # February and August are the big weighing months (bulan timbang).
        chance = 0.97 if month.month in (2, 8) else attendance
        present = ((age >= 0) & (age < 1826) & (age / (365.25 / 12) < 60) & (rng.random(n) < chance)
                   & (month_index < stop))
        idx = np.flatnonzero(present)
        if not len(idx):
            continue
        years = (month.start_time - pd.Timestamp("2024-01-01")).days / 365.25
        parts.append(pd.DataFrame({"kid": idx, "tanggal": date[idx], "age": age[idx], "years": years}))
    visits = pd.concat(parts, ignore_index=True)
    kid = kids.iloc[visits["kid"]].reset_index(drop=True)
    tables = engine.tables()
    sex0 = np.where(kid["jenis_kelamin"] == "L", 0, 1)
    age = visits["age"].to_numpy()
    z_h = kid["z_h"].to_numpy() + HAZ_GAIN_PER_YEAR * visits["years"].to_numpy() + rng.normal(0, 0.12, len(kid))
    z_w = kid["z_w"].to_numpy() + 0.6 * HAZ_GAIN_PER_YEAR * visits["years"].to_numpy() + rng.normal(0, 0.09, len(kid))
    height = _from_z(tables["len"], sex0, age, z_h)
    weight = _from_z(tables["wei"], sex0, age, z_w)
    lying = age < 731
    # A few typing slips, as in real exports: they show up as WHO-flagged values.
    slip = rng.random(len(kid)) < 0.0015
    height = np.where(slip, height + rng.choice([-25.0, 25.0], len(kid)), height)
    rows = pd.DataFrame({
        "No": np.arange(1, len(kid) + 1),
        "NIK": kid["nik"],
        "Nama": kid["nama"],
        "JK": kid["jenis_kelamin"],
        "Tgl Lahir": pd.to_datetime(kid["tanggal_lahir"]).dt.strftime("%d/%m/%Y"),
        "BB Lahir": kid["berat_lahir"],
        "TB Lahir": kid["panjang_lahir"],
        "Nama Ortu": kid["nama_ibu"],
        "Prov": "JAWA TIMUR",
        "Kab/Kota": "KOTA KEDIRI",
        "Kec": kid["kecamatan"].str.upper(),
        "Pukesmas": kid["puskesmas"].str.upper(),
        "Desa/Kel": kid["kelurahan"].str.upper(),
        "Posyandu": kid["posyandu"].str.upper(),
        "RT": kid["rt"],
        "RW": kid["rw"],
        "Alamat": kid["alamat"],
        "Usia Saat Ukur": [_usia(a) for a in age],
        "Tanggal Pengukuran": pd.to_datetime(visits["tanggal"]).dt.strftime("%Y-%m-%d"),
        "Berat": np.round(weight, 1),
        "Tinggi": np.round(height, 1),
        "Cara Ukur": np.where(lying, "Terlentang", "Berdiri"),
        "LiLA": np.where(age >= 183, np.round(13.5 + 0.9 * z_w + rng.normal(0, 0.4, len(kid)), 1), np.nan),
    })
    for column in ("BB/U", "ZS BB/U", "TB/U", "ZS TB/U", "BB/TB", "ZS BB/TB", "Naik Berat Badan",
                   "PMT Diterima (kg)", "KPSP", "KIA", "Detail"):
        rows[column] = ""
    rows["ASI Eksklusif"] = _asi_answers(kids, visits["kid"].to_numpy(), age, seed)
    rows["Jml Vit A"] = np.where(pd.to_datetime(visits["tanggal"]).dt.month.isin([2, 8]) & (age >= 183), "1", "-")
    return rows[EPPGBM_COLUMNS]


def _asi_answers(kids: pd.DataFrame, kid: np.ndarray, age: np.ndarray, seed: int) -> np.ndarray:
    """ASI eksklusif at weighings under six months (183 days): about 55 % of infants are
    breastfed exclusively (Ya at nearly every weighing), the others start other food at a random
    age; about 6 % of answers are not recorded. Its own random stream: the rest of the demo stays."""
    rng = np.random.default_rng(seed + 7)
    exclusive = rng.random(len(kids)) < 0.55
    stop_day = rng.integers(10, 183, len(kids))
    yes = exclusive[kid] | (age < stop_day[kid])
    yes &= rng.random(len(age)) > 0.02
    answers = np.where(yes, "Ya", "Tidak").astype(object)
    answers[rng.random(len(age)) < 0.06] = ""
    answers[age >= 183] = ""
    return answers


def _usia(days: int) -> str:
    years, rest = divmod(int(days), 365)
    months, day = divmod(rest, 30)
    return f"{years} Tahun - {months} Bulan - {day} Hari"


def city_areas(seed: int = 2025) -> pd.DataFrame:
    """Every posyandu of the city with its kelurahan, kecamatan, puskesmas, lokus flag, a share of the
    city's toddlers and its monthly posyandu day (from the database)."""
    rng = np.random.default_rng(seed)
    lokus = set(LokusKelurahan.objects.values_list("kelurahan_id", flat=True))
    rows = []
    kelurahan_weight = {}
    for posyandu in Posyandu.objects.select_related("kelurahan__kecamatan").prefetch_related("kelurahan__puskesmas"):
        kelurahan = posyandu.kelurahan
        weight = kelurahan_weight.setdefault(kelurahan.id, rng.uniform(0.6, 1.5))
        puskesmas = next(iter(kelurahan.puskesmas.all()), None)
        rows.append({
            "kelurahan": kelurahan.nama, "kecamatan": kelurahan.kecamatan.nama,
            "kecamatan_kode": kelurahan.kecamatan.kode, "puskesmas": puskesmas.nama if puskesmas else "",
            "posyandu": posyandu.nama, "lokus": kelurahan.id in lokus,
            "weight": weight * rng.uniform(0.7, 1.3), "posyandu_day": int(rng.integers(3, 26)),
        })
    return pd.DataFrame(rows)
