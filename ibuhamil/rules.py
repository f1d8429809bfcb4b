"""The rules of a pregnancy, each written once: the expected delivery date, the trimester of a
visit, KEK, anaemia, the risk flags ("4 terlalu"), BBLR/PBLR of a birth and the PMT course.

Sources:
- HPL by Naegele's rule: HPHT + 1 year − 3 months + 7 days (= HPHT + 280 days give or take a day;
  the rule as midwives apply it in buku KIA).
- Trimester (buku KIA, Permenkes 21/2021 on antenatal care): I up to 12 weeks (84 days after
  HPHT), II up to 24 weeks, III after. Six visits (K1–K6): at least 1 in trimester I, 2 in II, 3 in
  III (Permenkes 21/2021, the 2020 revision of the ANC standard from K4 to K6).
- KEK (kurang energi kronik): LiLA under 23.5 cm, screened at the first visit (Kemenkes; DOMAIN.md).
  A pregnancy is KEK when its first recorded LiLA is under the threshold.
- Anaemia in pregnancy: Hb under 11 g/dL (WHO; Kemenkes). A pregnancy counts as anaemic when any
  recorded Hb is under the threshold.
- TTD (tablet tambah darah): at least 90 tablets during pregnancy (Perpres 72/2021 indicator).
- "4 terlalu" (BKKBN/Kemenkes): terlalu muda (under 20 at conception: HPHT), terlalu tua (over 35),
  terlalu dekat (under 2 years from the last birth to this HPHT), terlalu banyak (4 or more
  children born before).
- BBLR / PBLR: balita's constants (balita.figures.BBLR_KG, PBLR_CM), so a child's birth status and
  the birth recorded here are one rule.
- PMT lokal for pregnant women with KEK: 120 days (juknis PMT lokal Kemenkes 2023, see
  kasus/rules.py for the sources of the course lengths).
"""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from balita.figures import BBLR_KG, PBLR_CM

LILA_KEK_CM = Decimal("23.5")
HB_ANEMIA = Decimal("11")
TTD_MINIMAL = 90
KUNJUNGAN_LENGKAP = 6  # K6
UMUR_TERLALU_MUDA = 20
UMUR_TERLALU_TUA = 35
JARAK_TERLALU_DEKAT_TAHUN = 2
ANAK_TERLALU_BANYAK = 4
LAMA_PMT_KEK_HARI = 120
TRIMESTER_HARI = (84, 168)  # end of trimester I and II, in days after HPHT
# A pregnancy without a recorded outcome counts as ongoing until HPL + this many days (42 weeks).
LEWAT_HPL_HARI = 14
BBLR_GRAM = int(BBLR_KG * 1000)


def hpl(hpht: datetime.date) -> datetime.date:
    """Hari perkiraan lahir by Naegele's rule."""
    return hpht + relativedelta(years=1, months=-3, days=7)


def trimester(hpht: datetime.date, tanggal: datetime.date) -> int:
    days = (tanggal - hpht).days
    if days <= TRIMESTER_HARI[0]:
        return 1
    return 2 if days <= TRIMESTER_HARI[1] else 3


def umur_tahun(tanggal_lahir: datetime.date, pada: datetime.date) -> int:
    return relativedelta(pada, tanggal_lahir).years


def kek(lila) -> bool:
    return lila is not None and Decimal(lila) < LILA_KEK_CM


def anemia(hb) -> bool:
    return hb is not None and Decimal(hb) < HB_ANEMIA


def ttd_cukup(ttd) -> bool:
    return ttd is not None and ttd >= TTD_MINIMAL


def bblr(berat_gram) -> bool:
    return berat_gram is not None and berat_gram < BBLR_GRAM


def pblr(panjang_cm) -> bool:
    return panjang_cm is not None and Decimal(panjang_cm) < PBLR_CM


RISIKO = {
    "muda": f"Terlalu muda (< {UMUR_TERLALU_MUDA} tahun)",
    "tua": f"Terlalu tua (> {UMUR_TERLALU_TUA} tahun)",
    "dekat": f"Terlalu dekat (< {JARAK_TERLALU_DEKAT_TAHUN} tahun dari persalinan terakhir)",
    "banyak": f"Terlalu banyak (≥ {ANAK_TERLALU_BANYAK} anak)",
}


def risiko(tanggal_lahir_ibu, hpht, jumlah_persalinan=None, persalinan_terakhir=None) -> list[str]:
    """The "4 terlalu" flags of a pregnancy (codes of RISIKO), from typed facts only."""
    flags = []
    if tanggal_lahir_ibu and hpht:
        umur = umur_tahun(tanggal_lahir_ibu, hpht)
        if umur < UMUR_TERLALU_MUDA:
            flags.append("muda")
        if umur > UMUR_TERLALU_TUA:
            flags.append("tua")
    if persalinan_terakhir and hpht and persalinan_terakhir + relativedelta(years=JARAK_TERLALU_DEKAT_TAHUN) > hpht:
        flags.append("dekat")
    if jumlah_persalinan is not None and jumlah_persalinan >= ANAK_TERLALU_BANYAK:
        flags.append("banyak")
    return flags


def akhir_kehamilan(hpht: datetime.date, tanggal_persalinan=None) -> datetime.date:
    """The last day a pregnancy counts as ongoing: its outcome, else HPL + LEWAT_HPL_HARI."""
    return tanggal_persalinan or hpl(hpht) + datetime.timedelta(days=LEWAT_HPL_HARI)
