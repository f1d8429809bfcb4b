"""The rules of tata laksana gizi, each written once: which measurement opens a case, what counts
as recovered, improved or worse, how long a PMT course lasts, when a case is due or lost.

Sources (checked where said):
- Categories are Permenkes 2/2020 (balita/growth/categories.py): stunting = TB/U < −2 SD
  (pendek, sangat pendek); gizi kurang/buruk = BB/PB–BB/TB < −2 SD; berat badan sangat kurang =
  BB/U < −3 SD.
- PNPK Tata Laksana Stunting (KMK HK.01.07/MENKES/1928/2022): stunting is diagnosed by a doctor
  (dokter spesialis anak); a short child may be healthy, so "bukan stunting" is a doctor's result
  that closes the case without counting it as recovered. The title and number were checked
  against the published decree's front page; its clinical criteria were not re-read here.
- Juknis PMT berbahan pangan lokal bagi ibu hamil dan balita (Kemenkes 2023, Perdirjen Kesmas
  HK.02.02/B/1622/2023, revised 2024; a 2025 revision exists): PMT lokal for balita with gizi
  kurang 56 days, for berat badan kurang or weight not rising (T) 14 days. The document and its
  number were found, but not its text. The day counts are those of the city's brief and DOMAIN.md,
  and a puskesmas applying the juknis in 2025 reports the same: "56 hari untuk balita Girang
  [gizi kurang], 14 hari untuk balita BB kurang, 14 hari untuk balita dengan 2 bulan tidak naik
  (2T), 120 hari untuk Bumil KEK" (BKKBN Kampung KB, Puskesmas Leksono 1, June 2025:
  kampungkb.bkkbn.go.id/kampung/83424/intervensi/1734229). Check them against the current
  juknis text (2025 revision) when Dinkes has it.
- Recovery ("keluar/sembuh"): the problem's index back at or above −2 SD on two consecutive valid
  measurements after opening (2T: weight rising, N, twice in a row). A local rule for a register,
  not a clinical discharge criterion (which PNPK/juknis set per programme); tune it here.
- Improved/worse: a change of the problem's z-score of at least `PERUBAHAN_BERARTI` SD since
  opening. Not from a guideline: 0.3 SD is about twice the technical error of a careful posyandu
  length measurement at 2 years (≈0.5 cm ≈ 0.15 SD), so smaller changes are noise.
"""

import datetime

from django.conf import settings

from balita.figures import UNDER_FIVE_MAX_DAYS
from balita.growth import categories
from kasus.models import Masalah

# index per problem: (z-score column, flag column, category column); 2T reads the weight trend and
# shows BB/U's z-score for its progress.
INDEX = {
    Masalah.STUNTING: "tbu",
    Masalah.GIZI_KURANG: "bbtb",
    Masalah.BB_SANGAT_KURANG: "bbu",
    Masalah.TIDAK_NAIK: "bbu",
}
# Categories that open a case, per problem (Permenkes 2/2020 codes).
OPENING = {
    Masalah.STUNTING: categories.STUNTED,
    Masalah.GIZI_KURANG: categories.WASTED,
    Masalah.BB_SANGAT_KURANG: ("sangat_kurang",),
}
# Categories below −2 SD: a measurement in none of these is "recovered" for the problem.
BELOW_MINUS_TWO = {
    Masalah.STUNTING: categories.STUNTED,
    Masalah.GIZI_KURANG: categories.WASTED,
    Masalah.BB_SANGAT_KURANG: categories.UNDERWEIGHT,
}
# Consecutive recovered measurements that close a case as sembuh.
PULIH_BERTURUT = 2
PERUBAHAN_BERARTI = 0.3

# Juknis PMT lokal 2023 (see above): course length in days by problem.
LAMA_PMT_HARI = {
    Masalah.GIZI_KURANG: 56,
    Masalah.BB_SANGAT_KURANG: 14,
    Masalah.TIDAK_NAIK: 14,
    Masalah.STUNTING: 56,  # not set by the juknis for stunting alone: the longer course, pending Dinkes
}

# What the posyandu checks at the next visit, per problem (the printable visit list).
WHAT_TO_CHECK = {
    Masalah.STUNTING: "Ukur panjang/tinggi badan dengan benar (terlentang < 2 tahun)",
    Masalah.GIZI_KURANG: "Timbang dan ukur panjang/tinggi; tanyakan PMT yang dimakan",
    Masalah.BB_SANGAT_KURANG: "Timbang; bila masih sangat kurang, rujuk ke puskesmas",
    Masalah.TIDAK_NAIK: "Timbang; tanyakan sakit dan pola makan sebulan terakhir",
}

# Under five: a case of a child older than this is "lewat usia 5 tahun" (balita's one rule).
USIA_MAKS_HARI = UNDER_FIVE_MAX_DAYS


def interval_days() -> int:
    """Days from a case's last measurement to its next due one (monthly posyandu by default)."""
    return int(getattr(settings, "KASUS_INTERVAL_HARI", 30))


def lost_days() -> int:
    """Days without a measurement after which an open case is "tidak terukur ulang"."""
    return int(getattr(settings, "KASUS_TIDAK_TERUKUR_HARI", 90))


def soon_days() -> int:
    """A case due within this many days is on the next posyandu day's visit list."""
    return 14


def perkembangan(z_buka, z_terakhir) -> str:
    """The progress word for a change of z-score (the SQL in kasus.derive applies the same)."""
    if z_buka is None or z_terakhir is None:
        return "belum"
    change = float(z_terakhir) - float(z_buka)
    if change >= PERUBAHAN_BERARTI:
        return "membaik"
    if change <= -PERUBAHAN_BERARTI:
        return "memburuk"
    return "tetap"


def due_date(tanggal_buka: datetime.date, tanggal_ukur_terakhir) -> datetime.date:
    return (tanggal_ukur_terakhir or tanggal_buka) + datetime.timedelta(days=interval_days())
