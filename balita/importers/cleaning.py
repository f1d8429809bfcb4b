"""Turn raw spreadsheet cells into typed values, vectorised over whole columns.

Each parser returns (values, unreadable mask); an empty cell is neither a value nor an error.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from tpps.impor import EMPTY_MARKERS, area_key, cell_text as _cell_text, one_date as _one_date  # noqa: F401


def text(values: pd.Series) -> pd.Series:
    """Trimmed text with single spaces; whole numbers without '.0' (NIK typed as a number);
    '-' and similar placeholders as ''. Only distinct values are converted (speed)."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    converted = np.array([_cell_text(u) for u in uniques] + [""], dtype=object)
    return pd.Series(converted[codes], index=values.index, dtype=object)


def digits_only(values: pd.Series) -> pd.Series:
    """'3571 0123-4567 8901' or "'3571..." -> '35710123...'; other characters stay so they fail checks."""
    return values.str.replace(r"[\s.'`-]", "", regex=True)


def numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers with a decimal point or comma ('12,5'), units allowed ('9,5 kg')."""
    raw = values.astype(object)
    is_number = raw.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    result = pd.Series(np.nan, index=values.index, dtype=float)
    result[is_number] = raw[is_number].astype(float)
    words = text(raw[~is_number])
    cleaned = words.str.lower().str.replace(r"\s*(kg|cm|gr|g)$", "", regex=True).str.replace(",", ".", regex=False)
    result[~is_number] = pd.to_numeric(cleaned, errors="coerce")
    unreadable = result.isna() & ~is_number & words.reindex(values.index).fillna("").ne("")
    return result, unreadable


def dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO (2024-05-24), dd/mm/yyyy (also with '-' or '.'), Excel serial numbers or date cells."""
    raw = values.astype(object)
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    parsed = [_one_date(u) for u in uniques]
    converted = np.array([p[0] for p in parsed] + [np.datetime64("NaT")], dtype="datetime64[ns]")
    bad = np.array([p[1] for p in parsed] + [False], dtype=bool)
    return pd.Series(converted[codes], index=values.index), pd.Series(bad[codes], index=values.index)


POSYANDU_WORDS = {"posyandu", "posy", "pos", "psy", "pysd", "kel", "kelurahan", "desa", "ilp"}


def posyandu_key(value: str, kelurahan_name: str = "") -> str:
    """A posyandu's name within its kelurahan: 'POSYANDU MELATI', 'Melati' and 'Melati Betet' in
    Betet -> 'melati'. Words like 'Posyandu'/'Pos'/'Psy' and the kelurahan's own name are ignored;
    a name that is nothing but those words keeps its plain key ('Posyandu Betet' -> 'betet')."""
    words = re.findall(r"[0-9a-z]+", str(value).lower())
    place = re.findall(r"[0-9a-z]+", str(kelurahan_name).lower())
    place_joined = "".join(place)
    kept = [w for w in words if w not in POSYANDU_WORDS]
    text = " ".join(kept)
    for phrase in (" ".join(place), place_joined):  # "banjar mlati" and "banjarmlati"
        if phrase:
            text = re.sub(rf"\b{re.escape(phrase)}\b", " ", text)
    key = re.sub(r"[^0-9a-z]", "", text)
    return key or "".join(kept) or area_key(value)


def display_name(value: str) -> str:
    """A name as typed, without the 'Posyandu' prefix; ALL CAPS turned into Title Case."""
    value = re.sub(r"^(posyandu|posy|pos|psy)\b\.?\s*", "", " ".join(str(value).split()), flags=re.IGNORECASE)
    return value.title() if value.isupper() or value.islower() else value
