"""The measures of one area: additive sums (`Jumlah`, so the city is the sum of its posyandu and
nothing is read twice) and the statistics that follow from them, as the WHO Anthro Survey
Analyser reports them."""

import math
from dataclasses import dataclass, field, fields

from balita.quality.load import INDICES

# Below this many children (or measurements) a distribution statistic says little: SD,
# skewness, kurtosis, digit preference, age heaping and sex ratio are shown but cost no points.
MIN_N = 30
# Share of ages at a multiple of 6 completed months if ages were spread evenly (10 of 60).
EXPECTED_AGE_6 = 1 / 6
# Share of birth dates on the 1st of a month if birthdays were spread evenly (12 of 365.25 days).
EXPECTED_DAY_1 = 12 / 365.25


def _zeros10():
    return [0] * 10


@dataclass
class Jumlah:
    # all measurements of the period
    n_ukur: int = 0
    ada_berat: int = 0
    ada_tinggi: int = 0
    cara_kosong: int = 0
    n_tbu: int = 0
    n_bbu: int = 0
    n_bbtb: int = 0
    digit_tb: list = field(default_factory=_zeros10)
    digit_bb: list = field(default_factory=_zeros10)
    pasangan: int = 0  # measurements with an earlier measurement of the child
    # each child's latest measurement in the period
    n_anak: int = 0
    laki: int = 0
    perempuan: int = 0
    umur_6: int = 0
    lahir_tgl1: int = 0
    z: dict = field(default_factory=lambda: {i: [0, 0.0, 0.0, 0.0, 0.0] for i in INDICES})
    # open findings (not marked "sudah diperiksa, benar")
    nik_kosong: int = 0
    berat_kosong: int = 0
    tinggi_kosong: int = 0
    flag: dict = field(default_factory=lambda: {i: 0 for i in INDICES})
    cara_ukur_umur: int = 0
    tinggi_turun: int = 0
    berat_tidak_wajar: int = 0
    anak_ganda: int = 0

    def __iadd__(self, other: "Jumlah") -> "Jumlah":
        mine, theirs = self.__dict__, other.__dict__
        for name in _FIELD_NAMES:
            a, b = mine[name], theirs[name]
            if isinstance(a, list):
                mine[name] = [x + y for x, y in zip(a, b)]
            elif isinstance(a, dict):
                mine[name] = {k: _add(a[k], b[k]) for k in a}
            else:
                mine[name] = a + b
        return self

    # --- completeness (WHO/UNICEF 2019: missing values are reported, not imputed) -------------

    def persen_nik_kosong(self):
        return _pct(self.nik_kosong, self.n_anak)

    def persen_berat_kosong(self):
        return _pct(self.berat_kosong, self.n_ukur)

    def persen_tinggi_kosong(self):
        return _pct(self.tinggi_kosong, self.n_ukur)

    def persen_cara_kosong(self):
        return _pct(self.cara_kosong, self.ada_tinggi)

    def persen_flag(self, index: str):
        return _pct(self.flag[index], getattr(self, f"n_{index}"))

    def persen_flag_max(self):
        values = [v for v in (self.persen_flag(i) for i in INDICES) if v is not None]
        return max(values) if values else None

    # --- distribution of the unflagged z-scores (children) -----------------------------------

    def n_z(self, index: str) -> int:
        return self.z[index][0]

    def sd(self, index: str):
        """Sample SD (n − 1), as R's sd() in WHO's anthro."""
        n, s1, s2, _, _ = self.z[index]
        if n < 2:
            return None
        return math.sqrt(max(0.0, (s2 - s1 * s1 / n) / (n - 1)))

    def _central(self, index: str):
        n, s1, s2, s3, s4 = self.z[index]
        if n < 3:
            return None
        mean = s1 / n
        m2 = s2 / n - mean ** 2
        m3 = s3 / n - 3 * mean * s2 / n + 2 * mean ** 3
        m4 = s4 / n - 4 * mean * s3 / n + 6 * mean ** 2 * s2 / n - 3 * mean ** 4
        return (m2, m3, m4) if m2 > 1e-12 else None

    def skewness(self, index: str):
        """Moment skewness m3 / m2^1.5 (0 for a normal distribution)."""
        moments = self._central(index)
        return None if moments is None else moments[1] / moments[0] ** 1.5

    def kurtosis(self, index: str):
        """Excess moment kurtosis m4 / m2² − 3 (0 for a normal distribution)."""
        moments = self._central(index)
        return None if moments is None else moments[2] / moments[0] ** 2 - 3

    # --- digit preference and age heaping ------------------------------------------------------

    def persen_0_5(self, which: str):
        """Share of values ending in .0 or .5 (10 % each if digits were even: 20 % together)."""
        digits = self.digit_tb if which == "tb" else self.digit_bb
        return _pct(digits[0] + digits[5], sum(digits))

    def dps(self, which: str):
        """Digit preference score (SMART, used by WHO/UNICEF 2019): 100 × √(χ² / (n × 9)) over
        the ten terminal digits; 0 = digits even, 100 = all the same digit."""
        digits = self.digit_tb if which == "tb" else self.digit_bb
        n = sum(digits)
        if not n:
            return None
        expected = n / 10
        chi2 = sum((observed - expected) ** 2 / expected for observed in digits)
        return 100 * math.sqrt(chi2 / (n * 9))

    def rasio_umur_6(self):
        """Ages (completed months, WHO) at a multiple of 6 months ÷ the share expected (1/6):
        1 = no heaping; rounded ages ("2 tahun") push it up."""
        return None if not self.n_anak else self.umur_6 / self.n_anak / EXPECTED_AGE_6

    def rasio_lahir_tgl1(self):
        """Birth dates on the 1st of a month ÷ the share expected: unknown birth days written as
        the 1st (or 1 January) push it up."""
        return None if not self.n_anak else self.lahir_tgl1 / self.n_anak / EXPECTED_DAY_1

    def rasio_jk(self):
        """Boys ÷ girls among the children measured (expected about 1.0; 1.05 at birth)."""
        return None if not self.perempuan else self.laki / self.perempuan

    # --- measuring ------------------------------------------------------------------------------

    def persen_cara_ukur_umur(self):
        return _pct(self.cara_ukur_umur, self.ada_tinggi - self.cara_kosong)

    def persen_tumbuh_tidak_wajar(self):
        return _pct(self.tinggi_turun + self.berat_tidak_wajar, self.pasangan)

    def persen_ganda(self):
        return _pct(self.anak_ganda, self.n_anak)

    def nilai(self) -> dict:
        """The measures that take an argument, by flat name, for templates."""
        values = {"dps_tb": self.dps("tb"), "dps_bb": self.dps("bb"),
                  "persen_0_5_tb": self.persen_0_5("tb"), "persen_0_5_bb": self.persen_0_5("bb")}
        for index in INDICES:
            values.update({f"persen_flag_{index}": self.persen_flag(index), f"sd_{index}": self.sd(index),
                           f"skew_{index}": self.skewness(index), f"kurt_{index}": self.kurtosis(index)})
        return values


_FIELD_NAMES = tuple(f.name for f in fields(Jumlah))


def _add(a, b):
    return [x + y for x, y in zip(a, b)] if isinstance(a, list) else a + b


def _pct(part, whole):
    return 100 * part / whole if whole else None


def from_months(row: dict) -> Jumlah:
    """The measurement sums of one group, its RingkasanMutu months added (load.monthly_groups);
    findings are added by the report."""
    j = Jumlah()
    j.n_ukur, j.ada_berat, j.ada_tinggi, j.cara_kosong = row["n_ukur"], row["ada_berat"], row["ada_tinggi"], row["cara_kosong"]
    j.n_tbu, j.n_bbu, j.n_bbtb = row["n_tbu"], row["n_bbu"], row["n_bbtb"]
    j.digit_tb = list(row["digit_tb"])
    j.digit_bb = list(row["digit_bb"])
    j.pasangan = row["pasangan"]
    return j


def add_children(j: Jumlah, row: dict) -> Jumlah:
    """Set the children measures of one group from its row of figures.children_quality."""
    j.n_anak, j.laki, j.perempuan, j.umur_6, j.lahir_tgl1 = (row["diukur"], row["laki"], row["perempuan"],
                                                            row["umur_6"], row["lahir_tgl1"])
    j.z = {i: [row[f"{i}_valid"], *(row[f"z_{i}_s{p}"] for p in range(1, 5))] for i in INDICES}
    return j


def count_finding(j: Jumlah, temuan) -> None:
    """Add one open finding to its group's sums."""
    if temuan.jenis == "nik_kosong":
        j.nik_kosong += 1
    elif temuan.jenis == "bb_tb_kosong":
        j.berat_kosong += "berat" in temuan.indeks
        j.tinggi_kosong += "tinggi" in temuan.indeks
    elif temuan.jenis == "flag_who":
        for index in temuan.indeks:
            j.flag[index] += 1
    else:
        setattr(j, temuan.jenis, getattr(j, temuan.jenis) + 1)
