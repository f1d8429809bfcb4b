"""Check every row of an e-PPGBM sheet and turn it into typed values, with errors by row and column.

Messages are in Bahasa Indonesia and name the spreadsheet row and the column as written in the
file. A row with any error is never stored (not even its child).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from balita.importers import cleaning
from balita.importers.reading import Sheet
from tpps import impor
from tpps.ages import DAYS_PER_MONTH
from tpps.models import Kecamatan, Kelurahan, Posyandu

# Physically possible values for a child under five (wider than any real child; WHO flags handle
# the merely implausible ones).
LIMITS = {
    "berat": (0.5, 45.0, "kg"),
    "tinggi": (35.0, 130.0, "cm"),
    "lila": (5.0, 35.0, "cm"),
    "lingkar_kepala": (25.0, 60.0, "cm"),
    "berat_lahir": (0.3, 6.5, "kg"),
    "panjang_lahir": (25.0, 65.0, "cm"),
}
MAX_LENGTH = {"nama": 150, "nama_ibu": 150, "nama_ayah": 150, "alamat": 255, "rt": 3, "rw": 3}
CARA_UKUR = {"terlentang": "terlentang", "telentang": "terlentang", "berbaring": "terlentang",
             "tidur": "terlentang", "berdiri": "berdiri"}


@dataclass
class AreaIndex:
    """Kelurahan, kecamatan and posyandu of the city, by tolerant key (cleaning.area_key)."""

    kelurahan: dict  # key -> (kelurahan id, kecamatan id, name)
    kecamatan: dict  # key -> (kecamatan id, name)
    posyandu: dict  # (kelurahan id, exact key) -> posyandu id
    # (kelurahan id, key within the kelurahan, see cleaning.posyandu_key) -> posyandu id, or None
    # when two stored posyandu of the kelurahan share it (then only the exact key matches)
    posyandu_in_kelurahan: dict = field(default_factory=dict)

    @classmethod
    def from_database(cls) -> "AreaIndex":
        kelurahan = list(Kelurahan.objects.all())
        names = {k.id: k.nama for k in kelurahan}
        within = {}
        posyandu = list(Posyandu.objects.all())
        for p in posyandu:
            key = (p.kelurahan_id, cleaning.posyandu_key(p.nama, names.get(p.kelurahan_id, "")))
            within[key] = None if key in within else p.id
        return cls(
            kelurahan={cleaning.area_key(k.nama): (k.id, k.kecamatan_id, k.nama) for k in kelurahan},
            kecamatan={cleaning.area_key(k.nama): (k.id, k.nama) for k in Kecamatan.objects.all()},
            posyandu={(p.kelurahan_id, cleaning.area_key(p.nama)): p.id for p in posyandu},
            posyandu_in_kelurahan=within,
        )

    def find_posyandu(self, kelurahan_id, exact_key: str, key: str):
        if not exact_key or kelurahan_id is None or kelurahan_id is pd.NA:
            return None
        return self.posyandu.get((kelurahan_id, exact_key)) or self.posyandu_in_kelurahan.get((kelurahan_id, key))


@dataclass
class Checked:
    frame: pd.DataFrame  # typed values, one row per sheet row, `_baris` and `valid`
    errors: pd.DataFrame  # baris, kolom, nilai, pesan
    new_posyandu: dict = field(default_factory=dict)  # (kelurahan id, key) -> display name


class ErrorList:
    def __init__(self, sheet: Sheet, raw: pd.DataFrame):
        self.sheet, self.raw, self.parts = sheet, raw, []

    def add(self, mask, column: str, message, value_column: str | None = None):
        """Record `message` (text, or a Series of texts per row) for the rows in `mask`."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = self.raw.loc[mask]
        values = rows[value_column or column].map(cleaning._cell_text) if (value_column or column) in rows else ""
        messages = message[mask] if isinstance(message, pd.Series) else message
        self.parts.append(pd.DataFrame({
            "baris": rows["_baris"].to_numpy(),
            "kolom": self.sheet.label(column),
            "nilai": values.to_numpy() if isinstance(values, pd.Series) else values,
            "pesan": messages.to_numpy() if isinstance(messages, pd.Series) else messages,
        }))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({"baris": pd.Series(dtype=int), "kolom": [], "nilai": [], "pesan": []})
        errors = pd.concat(self.parts, ignore_index=True)
        errors["nilai"] = errors["nilai"].astype(str).str.slice(0, 200)
        return errors.sort_values(["baris"], kind="stable").reset_index(drop=True)


def _fmt(number: float) -> str:
    return f"{number:g}".replace(".", ",")


def check(sheet: Sheet, areas: AreaIndex, today: datetime.date, kelurahan_ids) -> Checked:
    """Validate and type every row. `kelurahan_ids`: the kelurahan the user may write to."""
    raw = sheet.frame
    errors = ErrorList(sheet, raw)
    out = pd.DataFrame({"_baris": raw["_baris"].to_numpy()}, index=raw.index)
    today64 = np.datetime64(today, "ns")

    # --- identity -----------------------------------------------------------------------------
    for name in ("nama", "nama_ibu", "nama_ayah", "alamat", "rt", "rw", "posyandu", "kelurahan", "kecamatan", "kab_kota"):
        out[name] = cleaning.text(raw[name])
    for name, limit in MAX_LENGTH.items():
        errors.add(out[name].str.len() > limit, name, f"Terlalu panjang (paling banyak {limit} karakter).")
    errors.add(out["nama"].eq(""), "nama", "Nama anak kosong.")

    for name, label in (("nik", "NIK"), ("nik_ibu", "NIK ibu")):
        nik = cleaning.digits_only(cleaning.text(raw[name]))
        nik = nik.where(~nik.isin(["0"]), "")
        bad = nik.ne("") & ~nik.str.fullmatch(r"[0-9]{16}")
        errors.add(bad, name, f"{label} harus 16 angka.")
        errors.add(nik.str.fullmatch(r"0{16}"), name, f"{label} tidak boleh nol semua.")
        out[name] = nik

    sex = cleaning.text(raw["jenis_kelamin"]).str.upper().str[:1]
    errors.add(~sex.isin(["L", "P"]), "jenis_kelamin", "Jenis kelamin harus L (laki-laki) atau P (perempuan).")
    out["jenis_kelamin"] = sex

    # --- dates -----------------------------------------------------------------------------
    for name, label in (("tanggal_lahir", "Tanggal lahir"), ("tanggal", "Tanggal pengukuran")):
        values, unreadable = cleaning.dates(raw[name])
        errors.add(unreadable, name, f"{label} tidak terbaca: tulis seperti 24/05/2024 atau 2024-05-24.")
        errors.add(values.isna() & ~unreadable, name, f"{label} kosong.")
        errors.add(values > today64, name, f"{label} di masa depan.")
        out[name] = values
    before_birth = out["tanggal"] < out["tanggal_lahir"]
    errors.add(before_birth, "tanggal", "Tanggal pengukuran sebelum tanggal lahir.")
    age_days = (out["tanggal"] - out["tanggal_lahir"]).dt.days
    errors.add(age_days / DAYS_PER_MONTH >= 60, "tanggal", "Umur saat diukur 60 bulan atau lebih: bukan balita.")

    # --- numbers -----------------------------------------------------------------------------
    for name, (low, high, unit) in LIMITS.items():
        values, unreadable = cleaning.numbers(raw[name])
        label = sheet.label(name)
        errors.add(unreadable, name, f"{label} tidak terbaca sebagai angka.")
        impossible = (values < low) | (values > high)
        hint = ""
        if unit == "kg":
            hint = pd.Series(np.where(values > 100, " Apakah ditulis dalam gram?", ""), index=values.index)
        elif unit == "cm":
            hint = pd.Series(np.where(values < 3, " Apakah ditulis dalam meter?", ""), index=values.index)
        message = f"{label} tidak mungkin untuk balita (batas {_fmt(low)}–{_fmt(high)} {unit})."
        errors.add(impossible, name, message + hint if isinstance(hint, pd.Series) else message)
        out[name] = values.where(~impossible)
    out["berat"] = out["berat"].round(2)
    for name in ("tinggi", "lila", "lingkar_kepala", "panjang_lahir"):
        out[name] = out[name].round(1)
    out["berat_lahir"] = out["berat_lahir"].round(2)
    blank_weight = _per_distinct(raw["berat"], cleaning._cell_text).eq("")
    blank_height = _per_distinct(raw["tinggi"], cleaning._cell_text).eq("")
    errors.add(blank_weight & blank_height, "berat", "Berat dan tinggi kosong: tidak ada yang diukur.")

    position = cleaning.text(raw["cara_ukur"]).str.lower()
    mapped = position.map(CARA_UKUR)
    errors.add(position.ne("") & mapped.isna(), "cara_ukur", "Cara ukur harus Terlentang atau Berdiri.")
    out["cara_ukur"] = mapped.fillna("")

    # Exclusive breastfeeding: Ya/Tidak (Y/T, 1/0); empty stays unknown, which is not "Tidak".
    asi = _per_distinct(raw["asi_eksklusif"], impor.parse_yes_no)
    errors.add(asi.map(lambda parsed: parsed[1]).to_numpy(dtype=bool), "asi_eksklusif",
               "ASI eksklusif harus Ya atau Tidak (Y/T, 1/0), atau kosong.")
    out["asi_eksklusif"] = asi.map(lambda parsed: parsed[0]).astype(object)

    # --- area -----------------------------------------------------------------------------
    city = _per_distinct(out["kab_kota"], _is_kota_kediri)
    errors.add(out["kab_kota"].ne("") & ~city, "kab_kota", "Data bukan dari Kota Kediri.")

    found = _per_distinct(out["kelurahan"], lambda name: areas.kelurahan.get(cleaning.area_key(name)))
    errors.add(out["kelurahan"].eq(""), "kelurahan", "Kelurahan kosong.")
    errors.add(out["kelurahan"].ne("") & found.isna(), "kelurahan",
               "Kelurahan \u201c" + out["kelurahan"] + "\u201d tidak ada di Kota Kediri.")
    out["kelurahan_id"] = pd.array(_per_distinct(found, lambda f: f[0] if f else None), dtype="Int64")
    kecamatan_of_kelurahan = _per_distinct(found, lambda f: f[1] if f else None)
    kelurahan_name = _per_distinct(found, lambda f: f[2] if f else "")

    kecamatan_found = _per_distinct(out["kecamatan"], lambda v: areas.kecamatan.get(cleaning.area_key(v)) if v else None)
    errors.add(out["kecamatan"].ne("") & kecamatan_found.isna(), "kecamatan",
               "Kecamatan \u201c" + out["kecamatan"] + "\u201d tidak ada di Kota Kediri.")
    mismatch = kecamatan_found.notna() & found.notna() & (
        _per_distinct(kecamatan_found, lambda f: f[0] if f else None) != kecamatan_of_kelurahan)
    errors.add(mismatch, "kelurahan",
               "Kelurahan " + kelurahan_name + " tidak berada di Kecamatan " + out["kecamatan"] + ".")

    # Every row is checked against the writer's area (the whole city is simply every kelurahan).
    outside = out["kelurahan_id"].notna() & ~out["kelurahan_id"].isin(list(kelurahan_ids)).fillna(False)
    errors.add(outside.to_numpy(dtype=bool), "kelurahan", "Kelurahan " + kelurahan_name + " di luar wilayah kerja Anda.")

    # Posyandu are matched within their kelurahan: "POSYANDU MELATI" = "Melati Betet" in Betet.
    exact_key = _per_distinct(out["posyandu"], cleaning.area_key)
    pairs = pd.DataFrame({"kelurahan_id": out["kelurahan_id"].astype(object), "nama": out["posyandu"],
                          "kelurahan": kelurahan_name.fillna(""), "exact": exact_key})
    distinct = pairs.drop_duplicates(["kelurahan_id", "nama"])  # a few hundred of 100,000 rows
    distinct_key = [cleaning.posyandu_key(n, k) if n else "" for n, k in zip(distinct["nama"], distinct["kelurahan"])]
    distinct_id = [areas.find_posyandu(k, e, p) for k, e, p in zip(distinct["kelurahan_id"], distinct["exact"], distinct_key)]
    lookup = pd.MultiIndex.from_frame(distinct[["kelurahan_id", "nama"]].astype(str))
    position = lookup.get_indexer(pd.MultiIndex.from_frame(pairs[["kelurahan_id", "nama"]].astype(str)))
    posyandu_key = pd.Series(np.array(distinct_key, dtype=object)[position] if len(pairs) else [], index=out.index, dtype=object)
    out["posyandu_id"] = pd.array(list(np.array(distinct_id, dtype=object)[position]) if len(pairs) else [], dtype="Int64")
    out["posyandu_key"] = posyandu_key

    errors_frame = errors.frame()
    out["valid"] = ~out["_baris"].isin(errors_frame["baris"])

    new_posyandu = {}
    unknown = out["valid"] & out["posyandu_id"].isna().to_numpy() & posyandu_key.ne("")
    for kelurahan_id, key, name in zip(out.loc[unknown, "kelurahan_id"], posyandu_key[unknown], out.loc[unknown, "posyandu"]):
        new_posyandu.setdefault((int(kelurahan_id), key), cleaning.display_name(name))
    return Checked(frame=out, errors=errors_frame, new_posyandu=new_posyandu)


def _per_distinct(values: pd.Series, function) -> pd.Series:
    """values.map(function), calling it once per distinct value: a column of 100,000 rows holds a
    few hundred kelurahan, posyandu or weights (the import's checks ran 100,000 Python calls each).
    Results that are all True/False come back as a bool Series, as map gives them."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=False)
    # factorize turns None into NaN: the functions here take None for "nothing" (and give NaN the same).
    results = [function(None if u is None or (isinstance(u, float) and u != u) else u) for u in uniques]
    if results and all(isinstance(r, bool) for r in results):
        return pd.Series(np.array(results, dtype=bool)[codes], index=values.index)
    mapped = np.empty(len(results), dtype=object)
    for i, result in enumerate(results):  # item by item: a tuple stays one value
        mapped[i] = result
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def _is_kota_kediri(value: str) -> bool:
    key = "".join(ch for ch in value.lower() if ch.isalnum())
    return key in {"3571", "kotakediri", "kediri", "kedirikota", "kotkediri"}
