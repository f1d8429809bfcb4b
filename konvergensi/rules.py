"""Pure rules of the app (no database): reporting periods, the percentage of an achievement,
the status of an achievement against its target, and readiness arithmetic.

Status of an achievement (capaian) against its target, with the indicator's direction:

- higher is better ("naik"): tercapai when capaian >= target; hampir tercapai when
  capaian >= 90 % of the target (i.e. at most 10 % of the target short); else belum tercapai.
- lower is better ("turun"): tercapai when capaian <= target; hampir tercapai when
  capaian <= 110 % of the target (at most 10 % of the target above it); else belum tercapai.

Example: target ASI eksklusif 80 % → 80 tercapai, 72 hampir (72 = 0.9 × 80), 71.9 belum.
Target KTD at most 15.5 % → 15.5 tercapai, 17.05 hampir (= 1.1 × 15.5), 17.06 belum.
Without a capaian the status is "belum ada data"; without a target, "tanpa target".
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models


# How far from the target (as a share of the target) still counts as "hampir tercapai".
HAMPIR_BATAS = Decimal("0.10")


class Arah(models.TextChoices):
    NAIK = "naik", "Makin tinggi makin baik"
    TURUN = "turun", "Makin rendah makin baik"


class StatusCapaian(models.TextChoices):
    TERCAPAI = "tercapai", "Tercapai"
    HAMPIR = "hampir", "Hampir tercapai"
    BELUM = "belum", "Belum tercapai"
    TANPA_DATA = "tanpa_data", "Belum ada data"
    TANPA_TARGET = "tanpa_target", "Tanpa target"


WARNA = {
    StatusCapaian.TERCAPAI: "green",
    StatusCapaian.HAMPIR: "amber",
    StatusCapaian.BELUM: "red",
    StatusCapaian.TANPA_DATA: "grey",
    StatusCapaian.TANPA_TARGET: "grey",
}


def status_capaian(capaian, target, arah) -> StatusCapaian:
    """Status of an achievement against its target, respecting the direction (see module doc)."""
    if capaian is None:
        return StatusCapaian.TANPA_DATA
    if target is None:
        return StatusCapaian.TANPA_TARGET
    capaian, target = Decimal(str(capaian)), Decimal(str(target))
    if arah == Arah.TURUN:
        if capaian <= target:
            return StatusCapaian.TERCAPAI
        if capaian <= target * (1 + HAMPIR_BATAS):
            return StatusCapaian.HAMPIR
        return StatusCapaian.BELUM
    if capaian >= target:
        return StatusCapaian.TERCAPAI
    if capaian >= target * (1 - HAMPIR_BATAS):
        return StatusCapaian.HAMPIR
    return StatusCapaian.BELUM


def persentase(pembilang, penyebut):
    """pembilang ÷ penyebut × 100 rounded to 2 decimals (Decimal), None when not computable."""
    if pembilang is None or penyebut in (None, 0):
        return None
    value = Decimal(str(pembilang)) * 100 / Decimal(str(penyebut))
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- reporting periods -------------------------------------------------------------------------
# Capaian are stored under tpps.periods' quarter and year codes ("t1"…"t4", "th"); these are the
# database choices for them, and every date range comes from tpps.periods.

class Periode(models.TextChoices):
    T1 = "t1", "Triwulan I"
    T2 = "t2", "Triwulan II"
    T3 = "t3", "Triwulan III"
    T4 = "t4", "Triwulan IV"
    TAHUN = "th", "Setahun"


# Later periods first: the freshest figure of a year is the annual one, then Q4, Q3, …
PERIODE_TERBARU_DULU = [Periode.TAHUN, Periode.T4, Periode.T3, Periode.T2, Periode.T1]


# --- readiness ---------------------------------------------------------------------------------

def kesiapan_persen(diterima: int, wajib: int):
    """Readiness of one action: required outputs with accepted evidence ÷ required outputs × 100
    (one decimal). None when the action has no required outputs."""
    if not wajib:
        return None
    return round(100 * diterima / wajib, 1)


def status_aksi(tercatat: str, kesiapan) -> str:
    """The status an action shows: "selesai" only at 100 % readiness. An action marked done while
    required outputs still lack accepted evidence reads "berjalan" (without required outputs the
    recorded status stands)."""
    if tercatat == "selesai" and kesiapan is not None and kesiapan < 100:
        return "berjalan"
    return tercatat


def rata_rata(values):
    """Mean of the values that are not None (one decimal), None when there are none."""
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 1) if present else None
