"""The rules of sasaran hulu, each written once: a bride-to-be's risk (as Elsimil screens it),
the coverage of adolescent girls' iron tablets and the unmet need for family planning.

Catin risk (every threshold compares strictly, so the boundary value itself is not a risk):
- **Kurus**: IMT (BMI) = berat (kg) ÷ tinggi (m)² below 18,5 — WHO adult BMI classes, used by
  Kemenkes (Pedoman Gizi Seimbang, Permenkes 41/2014) and BKKBN's Elsimil.
- **KEK** (kurang energi kronis), women only: LiLA below 23,5 cm — Kemenkes (Buku KIA; the
  pregnant-women threshold Elsimil applies to brides-to-be).
- **Anemia**: Hb below 12 g/dL for women, below 13 g/dL for men — WHO 2011, *Haemoglobin
  concentrations for the diagnosis of anaemia* (non-pregnant women and men aged 15+), as Elsimil.
- **Usia berisiko**: younger than 19 (UU 16/2019: the minimum marriage age, 19 for both) or older
  than 35 (the "terlalu tua" of BKKBN's 4 terlalu) in completed years on the screening date.
- **Terpapar asap rokok** (Elsimil's question: smokes or lives with a smoker) counts as a risk.
- **Berisiko** = any of the above; else "ideal" (Elsimil's two outcomes). Unknown values (no LiLA,
  no Hb, smoke exposure not asked) are not a risk by themselves.

Remaja putri TTD: coverage = girls who took the tablets ÷ girls enrolled (the Perpres 72/2021
indicator "remaja putri yang mengonsumsi TTD"); for a period longer than a month, each school's
latest month in it counts (a school's girls are the same girls every month).

Unmet need: families with unmet need ÷ PUS families (pasangan usia subur) of the data year.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

IMT_KURUS = Decimal("18.5")
LILA_KEK = Decimal("23.5")
HB_ANEMIA = {"P": Decimal("12"), "L": Decimal("13")}
USIA_MIN = 19
USIA_MAX = 35

RISIKO_LABEL = {
    "kurus": "IMT < 18,5 (kurus)",
    "kek": "LiLA < 23,5 cm (KEK)",
    "anemia": "Anemia (Hb < 12 g/dL perempuan, < 13 g/dL laki-laki)",
    "usia_berisiko": "Usia < 19 atau > 35 tahun",
    "terpapar_rokok": "Terpapar asap rokok",
}


def age_in_years(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def imt(berat, tinggi) -> Decimal:
    """The exact BMI (thresholds compare this; the stored and shown value is rounded to 0,1)."""
    meters = Decimal(str(tinggi)) / 100
    return Decimal(str(berat)) / (meters * meters)


def risk(*, jenis_kelamin, tanggal_lahir, tanggal_periksa, berat, tinggi, lila=None, hb=None,
         terpapar_rokok=None) -> dict:
    """The stored risk columns of one screening (Catin's usia, imt, kurus, kek, anemia,
    usia_berisiko, berisiko)."""
    usia = age_in_years(tanggal_lahir, tanggal_periksa)
    value = imt(berat, tinggi)
    flags = {
        "kurus": value < IMT_KURUS,
        "kek": jenis_kelamin == "P" and lila is not None and Decimal(str(lila)) < LILA_KEK,
        "anemia": hb is not None and Decimal(str(hb)) < HB_ANEMIA[jenis_kelamin],
        "usia_berisiko": usia < USIA_MIN or usia > USIA_MAX,
    }
    berisiko = any(flags.values()) or terpapar_rokok is True
    return {"usia": usia, "imt": value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), **flags, "berisiko": berisiko}


def apply(catin) -> None:
    """Write the risk columns on a Catin row from its measured values."""
    for name, value in risk(jenis_kelamin=catin.jenis_kelamin, tanggal_lahir=catin.tanggal_lahir,
                            tanggal_periksa=catin.tanggal_periksa, berat=catin.berat, tinggi=catin.tinggi,
                            lila=catin.lila, hb=catin.hb, terpapar_rokok=catin.terpapar_rokok).items():
        setattr(catin, name, value)


def reasons(catin) -> list[str]:
    """The risks of a screened row, in words."""
    found = [RISIKO_LABEL[name] for name in ("kurus", "kek", "anemia", "usia_berisiko") if getattr(catin, name)]
    if catin.terpapar_rokok:
        found.append(RISIKO_LABEL["terpapar_rokok"])
    return found


def pct(part, whole):
    """A share in percent with two decimals, None without a denominator (every rate here)."""
    return round(100 * part / whole, 2) if whole else None
