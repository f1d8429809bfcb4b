"""From checked rows to what an import would write: which children are new or matched, which
measurements are new, changed or already there. Used alike by the preview, the dry run and the
import itself (inside its transaction), so the preview's counts are the import's counts.

Rules:
- A child is matched by NIK, else by name + birth date + mother's name (case, spaces and
  punctuation ignored); rows without NIK of a child whose other rows carry one join that child.
- Within one file the row with the latest measurement date gives the child's identity and
  residence; rows of the same NIK with another birth date or sex are errors.
- A measurement is one child on one date; the same child and date twice in one file with
  different values is an error (identical repeats count once).
- Empty cells never wipe stored values. A child's residence (kelurahan, posyandu, address) is
  only updated from a file whose latest measurement of that child is not older than the stored one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from balita.growth import engine
from balita.importers import identity as identity_checks

IDENTITY_FIELDS = ["nik", "nama", "jenis_kelamin", "tanggal_lahir", "berat_lahir", "panjang_lahir",
                   "nama_ibu", "nik_ibu", "nama_ayah"]
RESIDENCE_FIELDS = ["kelurahan_id", "posyandu_id", "alamat", "rt", "rw"]
MEASUREMENT_INPUTS = ["berat", "tinggi", "cara_ukur", "lila", "lingkar_kepala", "asi_eksklusif"]
MEASUREMENT_PLACE = ["kelurahan_id", "posyandu_id"]
NUMERIC = {"berat_lahir", "panjang_lahir", "berat", "tinggi", "lila", "lingkar_kepala"}


@dataclass
class Plan:
    rows: int
    errors: pd.DataFrame
    new_posyandu: dict
    children_new: pd.DataFrame = field(default_factory=pd.DataFrame)
    children_update: pd.DataFrame = field(default_factory=pd.DataFrame)
    children_matched: int = 0
    measurements_new: pd.DataFrame = field(default_factory=pd.DataFrame)
    measurements_update: pd.DataFrame = field(default_factory=pd.DataFrame)
    recompute_anak_ids: list = field(default_factory=list)
    flagged_rows: int = 0
    # Children held for review (balita.importers.identity) and, per matched child, what changes.
    reviews: pd.DataFrame = field(default_factory=pd.DataFrame)
    changes: list = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return int(self.errors["baris"].nunique()) if len(self.errors) else 0

    def counts(self) -> dict:
        return {
            "baris": self.rows,
            "anak_baru": len(self.children_new),
            "anak_cocok": self.children_matched,
            "pengukuran_baru": len(self.measurements_new),
            "pengukuran_diubah": len(self.measurements_update),
            "baris_galat": self.error_rows,
            "baris_flag": self.flagged_rows,
            "anak_berubah": len(self.changes),
        }


def person_key(values: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(values.astype(object).fillna(""))
    keys = np.array([re.sub(r"[^0-9a-z]+", " ", str(u).lower()).strip() for u in uniques] + [""], dtype=object)
    return pd.Series(keys[codes], index=values.index)


def name_keys(frame: pd.DataFrame) -> pd.Series:
    born = pd.to_datetime(frame["tanggal_lahir"]).dt.strftime("%Y-%m-%d").fillna("")
    return person_key(frame["nama"]) + "|" + born + "|" + person_key(frame["nama_ibu"])


def _row_errors(rows: pd.DataFrame, column_label: str, messages) -> pd.DataFrame:
    return pd.DataFrame({"baris": rows["_baris"].to_numpy(), "kolom": column_label,
                         "nilai": "", "pesan": messages})


def build(checked, existing_children: pd.DataFrame, load_measurements, labels: dict,
          checks: identity_checks.Checks) -> Plan:
    """`existing_children`: every stored child (columns of IDENTITY_FIELDS + RESIDENCE_FIELDS, id);
    `load_measurements(anak_ids)` -> stored measurements of those children; `labels`: column name
    -> header text of the file (for messages), also telling which optional columns the file has;
    `checks`: the identity checks' decisions, scope and wording (balita.importers.identity)."""
    frame = checked.frame
    errors = [checked.errors]
    rows = frame[frame["valid"]].copy()

    # --- one identity per child in the file ---------------------------------------------------
    rows["name_key"] = name_keys(rows)
    nik_by_name = rows.loc[rows["nik"].ne(""), ["name_key", "nik"]].drop_duplicates()
    nik_by_name = nik_by_name[~nik_by_name["name_key"].duplicated(keep=False)].set_index("name_key")["nik"]
    joined_nik = rows["name_key"].map(nik_by_name)
    rows["ident"] = np.where(rows["nik"].ne(""), "n:" + rows["nik"],
                             np.where(joined_nik.notna(), "n:" + joined_nik.fillna(""), "k:" + rows["name_key"]))
    rows = rows.sort_values(["ident", "tanggal", "_baris"], kind="stable")
    identity = rows.groupby("ident", sort=False).tail(1).set_index("ident")
    differs = (rows["tanggal_lahir"].to_numpy() != identity.loc[rows["ident"], "tanggal_lahir"].to_numpy()) | (
        rows["jenis_kelamin"].to_numpy() != identity.loc[rows["ident"], "jenis_kelamin"].to_numpy())
    if differs.any():
        bad = rows[differs]
        reference = identity.loc[bad["ident"], "_baris"].to_numpy()
        errors.append(_row_errors(bad, labels.get("nik", "NIK"),
                                  [f"NIK sama dengan baris {r} tetapi tanggal lahir atau jenis kelamin berbeda." for r in reference]))
        rows = rows[~differs]

    # --- one measurement per child and date -------------------------------------------------
    compare = ["ident", "tanggal", *MEASUREMENT_INPUTS, "kelurahan_id", "posyandu_key"]
    same_day = rows.duplicated(["ident", "tanggal"], keep=False)
    if same_day.any():
        group = rows[same_day]
        distinct = group[compare].astype(str).drop_duplicates().groupby(["ident", "tanggal"]).size()
        conflicting = distinct[distinct > 1].index
        in_conflict = pd.MultiIndex.from_frame(group[["ident", "tanggal"]].astype(str)).isin(conflicting)
        if in_conflict.any():
            bad = group[in_conflict]
            first = bad.groupby(["ident", "tanggal"])["_baris"].transform("min")
            errors.append(_row_errors(bad, labels.get("tanggal", "Tanggal Pengukuran"),
                                      [f"Anak yang sama diukur dua kali pada tanggal ini dengan nilai berbeda (baris {f})." for f in first]))
            rows = rows.drop(index=bad.index)
        rows = rows[~rows.duplicated(["ident", "tanggal"], keep="last")]
    identity = rows.groupby("ident", sort=False).tail(1).set_index("ident")

    # --- match children to stored ones --------------------------------------------------------
    stored = existing_children.copy()
    stored["name_key"] = name_keys(stored) if len(stored) else pd.Series(dtype=object)
    by_nik = stored[stored["nik"].notna() & stored["nik"].ne("")].drop_duplicates("nik").set_index("nik")["id"]
    by_name = stored.sort_values("id").drop_duplicates("name_key").set_index("name_key")["id"]
    by_name_without_nik = (stored[stored["nik"].isna() | stored["nik"].eq("")].sort_values("id")
                           .drop_duplicates("name_key").set_index("name_key")["id"])
    nik = identity["nik"]
    match = pd.Series(np.nan, index=identity.index)
    has_nik = nik.ne("")
    match[has_nik] = nik[has_nik].map(by_nik)
    unmatched_nik = has_nik & match.isna()
    match[unmatched_nik] = identity.loc[unmatched_nik, "name_key"].map(by_name_without_nik)
    match[~has_nik] = identity.loc[~has_nik, "name_key"].map(by_name)
    via_nik = has_nik & match.notna() & nik.isin(by_nik.index)
    outcome = identity_checks.check(identity, rows, stored, match, via_nik, labels, checks)
    errors.extend(outcome.errors)
    if outcome.drop:
        identity = identity.drop(index=list(outcome.drop))
        rows = rows[~rows["ident"].isin(list(outcome.drop))]
    identity["anak_id"] = outcome.match.reindex(identity.index).astype("Int64")
    identity["tmp_id"] = np.where(identity["anak_id"].isna(), np.arange(len(identity)), -1)
    for name in ("anak_id", "tmp_id", "jenis_kelamin", "tanggal_lahir"):
        # reindex, not map: map() fails on an empty datetime mapper (every child held or rejected)
        rows[name] = identity[name].reindex(rows["ident"].to_numpy()).to_numpy()
    rows["anak_id"] = rows["anak_id"].astype("Int64")

    new_children = identity[identity["anak_id"].isna()].reset_index(drop=True)
    matched = identity[identity["anak_id"].notna()]
    matched_ids = [int(i) for i in matched["anak_id"]]
    existing_measurements = load_measurements(matched_ids)

    children_update, recompute, changes = _child_updates(matched, stored, existing_measurements, outcome.new_nik)

    # --- measurements: new, changed, unchanged ----------------------------------------------
    existing_measurements = existing_measurements.rename(columns={"id": "pengukuran_id"})
    merged = rows.merge(existing_measurements, how="left", on=["anak_id", "tanggal"], suffixes=("", "_db"))
    is_existing = merged["pengukuran_id"].notna()
    for name in MEASUREMENT_INPUTS + ["kelurahan_id"]:
        empty = merged[name].isna() | (merged[name].astype(object) == "")
        merged.loc[is_existing & empty, name] = merged.loc[is_existing & empty, f"{name}_db"]
    keep_posyandu = is_existing & merged["posyandu_key"].eq("")
    merged.loc[keep_posyandu, "posyandu_id"] = merged.loc[keep_posyandu, "posyandu_id_db"]
    changed = pd.Series(False, index=merged.index)
    for name in MEASUREMENT_INPUTS + MEASUREMENT_PLACE:
        changed |= ~_same(merged[name], merged[f"{name}_db"], numeric=name in NUMERIC)
    changed |= merged["posyandu_id"].isna() & merged["posyandu_key"].ne("")  # a posyandu still to be created
    for name in ("berat", "tinggi", "lila", "lingkar_kepala"):
        merged[name] = pd.to_numeric(merged[name], errors="coerce")
    write = merged[~is_existing | changed].copy()
    if len(write):
        computed = engine.compute(write[["jenis_kelamin", "tanggal_lahir", "tanggal", "berat", "tinggi", "cara_ukur"]])
        write = pd.concat([write, computed], axis=1)
    flagged = 0
    if len(write):
        flagged = int(write[["flag_tbu", "flag_bbu", "flag_bbtb", "flag_imtu"]].any(axis=1).sum())

    errors_frame = pd.concat(errors, ignore_index=True).sort_values("baris", kind="stable").reset_index(drop=True)
    # The child each error row names, so the operator can find the record in e-PPGBM.
    by_row = frame.set_index("_baris")
    errors_frame["nama"] = errors_frame["baris"].map(by_row["nama"]).fillna("").astype(str).str.slice(0, 150)
    errors_frame["nik"] = errors_frame["baris"].map(by_row["nik"]).fillna("").astype(str).str.slice(0, 30)
    return Plan(
        rows=len(frame),
        errors=errors_frame,
        new_posyandu=checked.new_posyandu,
        children_new=new_children,
        children_update=children_update,
        children_matched=len(matched),
        measurements_new=write[~write["pengukuran_id"].notna()].reset_index(drop=True) if len(write) else write,
        measurements_update=write[write["pengukuran_id"].notna()].reset_index(drop=True) if len(write) else write,
        recompute_anak_ids=recompute,
        flagged_rows=flagged,
        reviews=outcome.reviews,
        changes=changes,
    )


def _same(a: pd.Series, b: pd.Series, numeric: bool) -> pd.Series:
    if numeric:
        x = pd.to_numeric(a, errors="coerce").astype(float)
        y = pd.to_numeric(b, errors="coerce").astype(float)
        return pd.Series(np.isclose(x, y, atol=1e-6, equal_nan=True) | (x.isna() & y.isna()), index=a.index)
    x = a.astype(object).where(a.notna(), None).map(lambda v: "" if v is None else str(v))
    y = b.astype(object).where(b.notna(), None).map(lambda v: "" if v is None else str(v))
    return x == y


# What the preview shows per matched child (old -> new), in this order.
PREVIEW_FIELDS = ["nama", "jenis_kelamin", "tanggal_lahir", "nama_ibu", "alamat", "rt", "rw", "kelurahan_id",
                  "posyandu_id", "nik"]


def _child_updates(matched: pd.DataFrame, stored: pd.DataFrame, measurements: pd.DataFrame, new_nik=frozenset()):
    """Changed identity/residence fields of matched children, those whose birth date or sex
    changed (their stored z-scores must be recomputed), and per changed child its PREVIEW_FIELDS
    as {field: (old, new)} (a posyandu still to be created as ("posyandu_key", key))."""
    if not len(matched):
        return pd.DataFrame(), [], []
    current = stored.set_index("id").loc[matched["anak_id"].astype(int).to_numpy()].reset_index()
    incoming = matched.reset_index(drop=True)
    last_stored = measurements.groupby("anak_id")["tanggal"].max() if len(measurements) else pd.Series(dtype="datetime64[ns]")
    last_stored = last_stored.astype("datetime64[ns]").reindex(current["id"].to_numpy()).to_numpy()
    newest = pd.isna(last_stored) | (incoming["tanggal"].to_numpy() >= last_stored)
    result = current.copy()
    changed = pd.Series(False, index=current.index)
    for name in IDENTITY_FIELDS + RESIDENCE_FIELDS:
        new = incoming[name]
        if name == "posyandu_id":
            has_value = incoming["posyandu_key"].ne("")
        else:
            has_value = new.notna() & (new.astype(object) != "")
        if name in RESIDENCE_FIELDS:
            has_value &= newest
        if name == "nik":
            # A NIK is only filled in, or replaced after the operator decided it is the same child.
            has_value &= current["nik"].isna() | current["nik"].eq("") | current["id"].isin(list(new_nik))
        differs = has_value & (~_same(new, current[name], numeric=name in NUMERIC)
                               | (incoming["posyandu_id"].isna() if name == "posyandu_id" else False))
        result.loc[differs, name] = new[differs]
        changed |= differs
    result["posyandu_key"] = np.where(incoming["posyandu_key"].ne("") & newest, incoming["posyandu_key"], "")
    identity_changed = ~_same(result["tanggal_lahir"], current["tanggal_lahir"], numeric=False) | ~_same(
        result["jenis_kelamin"], current["jenis_kelamin"], numeric=False)
    recompute = [int(i) for i in result.loc[identity_changed, "id"]]
    return result[changed].reset_index(drop=True), recompute, _changes(current, result, incoming, changed)


def _changes(current: pd.DataFrame, result: pd.DataFrame, incoming: pd.DataFrame, changed: pd.Series) -> list:
    differs = {name: ~_same(result[name], current[name], numeric=False) for name in PREVIEW_FIELDS}
    new_posyandu = changed & incoming["posyandu_id"].isna() & result["posyandu_key"].ne("")
    differs["posyandu_id"] = differs["posyandu_id"] | new_posyandu
    any_change = pd.concat(differs.values(), axis=1).any(axis=1)
    out = []
    for position in np.flatnonzero(any_change.to_numpy()):
        fields = {}
        for name in PREVIEW_FIELDS:
            if differs[name].iat[position]:
                old, new = current[name].iat[position], result[name].iat[position]
                if name == "posyandu_id" and new_posyandu.iat[position]:
                    new = ("posyandu_key", result["posyandu_key"].iat[position])
                fields[name] = (_plain(old), _plain(new) if not isinstance(new, tuple) else new)
        out.append({"anak_id": int(current["id"].iat[position]), "baris": int(incoming["_baris"].iat[position]),
                    "kelurahan_id": _plain(result["kelurahan_id"].iat[position]), "fields": fields})
    return out


def _plain(value):
    """JSON-ready: dates as ISO text, missing as None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).date().isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value
