"""Figures the app itself measures that can answer a recommendation, read only from the single
read models (balita.figures for prevalence with its interval and coverage, balita's data-quality
report for the validity score, kasus' cohorts for case management); nothing is recomputed here.

A later app plugs in either by giving the indicator catalogue a computed indicator (konvergensi's
`HitungOtomatis`: the recommendation then links that indicator and shows its trend), or by
registering a measure here from its AppConfig.ready(): `register(Ukuran(kode, label, satuan,
arah, baca))`, where `baca(user, tahun)` returns a `Nilai` or None. The key is stored on the
recommendation (`Rekomendasi.angka_aplikasi`), so adding a measure needs no migration.
"""

from dataclasses import dataclass
from typing import Callable

from balita import figures
from balita.quality import report as quality
from kasus import selectors as kasus_selectors
from tpps.periods import Periode


@dataclass(frozen=True)
class Nilai:
    tahun: int
    nilai: object            # a number (percent or score) or None
    ci: tuple | None = None  # 95 % interval (prevalence only)
    catatan: str = ""


@dataclass(frozen=True)
class Ukuran:
    kode: str
    label: str
    satuan: str
    arah: str                # "naik" (higher is better) or "turun"
    baca: Callable


REGISTRY: dict[str, Ukuran] = {}


def register(ukuran: Ukuran) -> None:
    REGISTRY[ukuran.kode] = ukuran


def choices() -> list[tuple[str, str]]:
    return [("", "Tidak ada")] + [(u.kode, u.label) for u in REGISTRY.values()]


def _year(tahun):
    return Periode("tahun", tahun, 1)


def _prevalensi(user, tahun):
    angka = figures.figures(user, _year(tahun))
    if not angka.tbu_valid:
        return None
    return Nilai(tahun, angka.prevalensi, angka.ci_prevalensi, angka.catatan_data)


def _dipantau(user, tahun):
    angka = figures.figures(user, _year(tahun))
    if not angka.sasaran:
        return None
    return Nilai(tahun, angka.cakupan, None, angka.catatan_data)


def _mutu(user, tahun):
    skor = quality.city_score(user, _year(tahun))
    if skor is None or skor.nilai is None:
        return None
    return Nilai(tahun, skor.nilai)


def _kasus(field):
    """A share of the nutrition cases opened in the year (kasus' cohort total, the figure its
    cohort page, dashboard card and pack show): recovered, or lost to follow-up."""
    def baca(user, tahun):
        total = kasus_selectors.cohorts(user, tahun)["total"]
        if not total["kasus"]:
            return None
        return Nilai(tahun, total[field], None, f"dari {total['kasus']:,} kasus gizi yang dibuka".replace(",", "."))
    return baca


register(Ukuran("prevalensi_stunting", "Prevalensi stunting (data pengukuran, dengan selang 95%)", "%", "turun", _prevalensi))
register(Ukuran("balita_dipantau", "Cakupan balita diukur", "%", "naik", _dipantau))
register(Ukuran("skor_mutu_data", "Skor mutu (validitas) data pengukuran", "skor", "naik", _mutu))
register(Ukuran("kasus_gizi_sembuh", "Kasus gizi yang sembuh (tata laksana gizi)", "%", "naik", _kasus("persen_sembuh")))
register(Ukuran("kasus_gizi_hilang", "Kasus gizi yang tidak terukur ulang (tata laksana gizi)", "%", "turun",
                _kasus("persen_hilang")))


def trend(kode: str, user, years) -> list[Nilai]:
    """The measure for each year with data, oldest first ([] for an unknown key)."""
    ukuran = REGISTRY.get(kode)
    if ukuran is None:
        return []
    values = (ukuran.baca(user, tahun) for tahun in sorted(years))
    return [v for v in values if v is not None]


def years(user, last: int = 4) -> list[int]:
    """The latest `last` years with measurements, oldest first."""
    return sorted(figures.years_with_data(user)[:last])
