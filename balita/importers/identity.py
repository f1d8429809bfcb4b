"""Identity safety of the import: each child of a file against the stored child it matches.

- A NIK that belongs to a stored child with another sex or birth date is an error for every row of
  that child in the file (nothing of them is stored); so is a match with a child outside the
  writer's area.
- A NIK match whose name shares no word with the stored name, and a match by name + birth date +
  mother's name with a stored child that carries another NIK, are held for review: applied only
  after the operator decided "anak yang sama" (update the stored child) or "anak berbeda" (reject).

The same rules guard the child form and the merge (balita.services); the words of the messages
come from here so every entrance says the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

NIK_NAME = "nik_nama"  # same NIK, names without a common word
NAME_NIK = "nama_nik"  # same name, birth date and mother, another NIK
SAME, DIFFERENT = "sama", "beda"
SEX = {"L": "laki-laki", "P": "perempuan"}
OTHER_AREA = "NIK ini milik anak yang terdaftar di kelurahan lain"


@dataclass
class Checks:
    """What the identity checks need from outside the file.

    `decisions`: (ident, anak id) -> SAME/DIFFERENT, the operator's review decisions of this batch;
    `undecided`: "hold" (the preview: rows waiting for a decision are left out and listed) or
    "error" (an import: they are errors); `describe(anak_ids)` -> {anak id: "name (P, lahir …,
    Kel. …)"} for the children the user may see; `writable`: kelurahan ids the user may write to
    (every kelurahan for the whole city: there is no other spelling of it)."""

    writable: set
    decisions: dict = field(default_factory=dict)
    undecided: str = "hold"
    describe: Callable = lambda anak_ids: {}


@dataclass
class Outcome:
    match: pd.Series  # ident -> stored child id (NaN: new child)
    drop: set  # idents whose rows are not written at all
    errors: list  # frames baris, kolom, nilai, pesan
    reviews: pd.DataFrame  # one row per child held for review (decided or not)
    new_nik: set  # stored child ids whose NIK the file replaces (decided "same" on NAME_NIK)


def words(name) -> set:
    return set(re.findall(r"[0-9a-z]+", str(name or "").lower()))


def shares_a_word(a, b) -> bool:
    return bool(words(a) & words(b))


def date_text(value) -> str:
    return pd.Timestamp(value).strftime("%d/%m/%Y") if value is not None and not pd.isna(value) else ""


def conflict_message(description: str | None, stored_sex, stored_born, sex, born) -> str:
    """Why a NIK cannot be used for this child; `description` None: the stored child lies outside
    what the user may see, so nothing of it is named."""
    if description is None:
        return (f"{OTHER_AREA}. Data tidak disimpan; periksa NIK di e-PPGBM atau hubungi operator "
                "DP3AP2KB.")
    differences = []
    if stored_sex != sex:
        differences.append(f"jenis kelamin {SEX.get(stored_sex, stored_sex)}, bukan {SEX.get(sex, sex)}")
    if date_text(stored_born) != date_text(born):
        differences.append(f"tanggal lahir {date_text(stored_born)}, bukan {date_text(born)}")
    return (f"NIK ini sudah terdaftar untuk {description} dengan {' dan '.join(differences)}. Data tidak "
            "disimpan; perbaiki NIK di e-PPGBM, atau perbaiki data anak yang terdaftar bila datanya salah.")


def check(identity: pd.DataFrame, rows: pd.DataFrame, stored: pd.DataFrame, match: pd.Series,
          via_nik: pd.Series, labels: dict, checks: Checks) -> Outcome:
    """`identity`: one row per child of the file (index: ident); `rows`: every valid row (column
    `ident`); `stored`: stored children (with `name_key`); `match`: ident -> stored id found by NIK
    or by name without NIK; `via_nik`: which matches came from the NIK."""
    match = match.copy()
    by_id = stored.set_index("id") if len(stored) else stored
    errors, drop, new_nik = [], set(), set()

    # Another NIK for a stored child of the same name, birth date and mother.
    with_nik = stored[stored["nik"].notna() & stored["nik"].ne("")]
    by_name_with_nik = with_nik.sort_values("id").drop_duplicates("name_key").set_index("name_key")["id"]
    other_nik = identity["nik"].ne("") & match.isna()
    name_candidate = identity.loc[other_nik, "name_key"].map(by_name_with_nik).dropna()

    matched = match.dropna()

    positions = {}

    def rows_of(idents):
        if not positions:
            positions.update(rows.groupby("ident", sort=False).indices)
        return rows.iloc[[p for ident in idents for p in positions.get(ident, [])]]

    def add_errors(idents_messages, column):
        for ident, message, value in idents_messages:
            bad = rows_of([ident])
            errors.append(pd.DataFrame({"baris": bad["_baris"].to_numpy(), "kolom": labels.get(column, column),
                                        "nilai": value, "pesan": message}))
            drop.add(ident)

    # --- errors: a NIK of a child with another sex or birth date; a child outside the area -------
    # Vectorised over every matched child (a re-imported city export matches tens of thousands).
    mine = identity.loc[matched.index]
    theirs = by_id.loc[matched.astype(int).to_numpy()].set_index(matched.index) if len(matched) else mine
    nik_matched = via_nik.loc[matched.index].astype(bool)
    outside = pd.Series(False, index=matched.index)
    if len(matched):
        outside = ~theirs["kelurahan_id"].isin(list(checks.writable))
    for ident in outside[outside].index:
        message = (f"{OTHER_AREA}, di luar wilayah kerja Anda. Data tidak disimpan; pindah domisili "
                   "anak dicatat oleh operator DP3AP2KB.") if nik_matched[ident] else (
            "Anak dengan nama, tanggal lahir, dan nama ibu ini terdaftar di kelurahan lain, di luar "
            "wilayah kerja Anda. Data tidak disimpan; hubungi operator DP3AP2KB.")
        add_errors([(ident, message, mine.at[ident, "nik"])], "nik" if nik_matched[ident] else "nama")
    conflict = unrelated = pd.Series(False, index=matched.index)
    if len(matched):
        sex_differs = theirs["jenis_kelamin"].ne(mine["jenis_kelamin"])
        born_differs = (pd.to_datetime(theirs["tanggal_lahir"]).dt.normalize()
                        != pd.to_datetime(mine["tanggal_lahir"]).dt.normalize())
        conflict = nik_matched & ~outside & (sex_differs | born_differs)
        unrelated = nik_matched & ~outside & ~conflict & pd.Series(
            [not shares_a_word(a, b) for a, b in zip(mine["nama"], theirs["nama"])], index=matched.index, dtype=bool)
    # Only the children a message or a review names are described (one query for all of them).
    named = {int(i) for i in matched[conflict | unrelated]} | {int(i) for i in name_candidate}
    described = checks.describe(sorted(named)) if named else {}
    if len(matched):
        for ident in conflict[conflict].index:
            column = ("nik" if sex_differs[ident] and born_differs[ident]
                      else ("jenis_kelamin" if sex_differs[ident] else "tanggal_lahir"))
            value = {"nik": mine.at[ident, "nik"], "jenis_kelamin": mine.at[ident, "jenis_kelamin"],
                     "tanggal_lahir": date_text(mine.at[ident, "tanggal_lahir"])}[column]
            message = conflict_message(described.get(int(matched[ident])), theirs.at[ident, "jenis_kelamin"],
                                       theirs.at[ident, "tanggal_lahir"], mine.at[ident, "jenis_kelamin"],
                                       mine.at[ident, "tanggal_lahir"])
            add_errors([(ident, message, value)], column)

    # --- held for review ------------------------------------------------------------------------
    held = [(ident, int(matched[ident]), NIK_NAME) for ident in unrelated[unrelated].index]
    for ident, anak_id in name_candidate.items():
        theirs = by_id.loc[int(anak_id)]
        if theirs["kelurahan_id"] not in checks.writable:
            continue  # another child for the user's area: a new record, as before
        held.append((ident, int(anak_id), NAME_NIK))

    reviews = []
    for ident, anak_id, kind in held:
        decision = checks.decisions.get((ident, anak_id), "")
        mine = identity.loc[ident]
        own_rows = rows_of([ident])["_baris"].sort_values().tolist()
        reviews.append({"kunci": ident, "jenis": kind, "anak_id": anak_id, "keputusan": decision,
                        "baris": ", ".join(str(b) for b in own_rows), "baris_pertama": own_rows[0],
                        "nik": mine["nik"], "nama": mine["nama"], "jenis_kelamin": mine["jenis_kelamin"],
                        "tanggal_lahir": mine["tanggal_lahir"], "nama_ibu": mine["nama_ibu"],
                        "kelurahan_id": mine["kelurahan_id"]})
        description = described.get(anak_id) or "anak yang terdaftar di kelurahan lain"
        if decision == SAME:
            match[ident] = anak_id
            if kind == NAME_NIK:
                new_nik.add(anak_id)
        elif decision == DIFFERENT:
            add_errors([(ident, f"Ditolak saat peninjauan: bukan anak yang sama dengan {description}. Perbaiki "
                                "NIK atau nama di e-PPGBM.", mine["nik"])], "nik")
        elif checks.undecided == "error":
            add_errors([(ident, f"Ditahan untuk ditinjau: {_review_reason(kind)} {description}. Putuskan "
                                "di pratinjau halaman Impor e-PPGBM.", mine["nik"])], "nik")
        else:
            drop.add(ident)
    columns = ["kunci", "jenis", "anak_id", "keputusan", "baris", "baris_pertama", "nik", "nama", "jenis_kelamin",
               "tanggal_lahir", "nama_ibu", "kelurahan_id"]
    return Outcome(match=match, drop=drop, errors=errors,
                   reviews=pd.DataFrame(reviews, columns=columns), new_nik=new_nik)


def _review_reason(kind: str) -> str:
    return ("NIK sama, tetapi nama tidak mirip dengan" if kind == NIK_NAME
            else "nama, tanggal lahir, dan nama ibu sama, tetapi NIK berbeda dengan")
