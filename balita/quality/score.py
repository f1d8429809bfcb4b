"""The score of an area (0–100) and its reasons: each measure costs up to its weight, nothing
while it is within what WHO/UNICEF (2019) and the SMART plausibility check call acceptable and
its whole weight at the "bad" end, linearly between. The weights add up to 100."""

from dataclasses import dataclass

from balita.quality.load import INDICES
from balita.quality.measures import MIN_N, Jumlah
from tpps.formatting import angka


@dataclass(frozen=True)
class Aturan:
    kunci: str
    label: str  # Indonesian, as the reason reads
    bobot: int
    ok: float
    buruk: float
    satuan: str = "%"  # "%" or "" (a ratio or an index)

    def poin(self, value) -> float:
        """Points lost for `value` (0 … bobot)."""
        if value is None:
            return 0.0
        share = (value - self.ok) / (self.buruk - self.ok)
        return self.bobot * min(1.0, max(0.0, share))

    def teks(self, value) -> str:
        return f"{angka(value, 1)}{' %' if self.satuan == '%' else ''}"


def _enough(n, value):
    return value if n >= MIN_N else None


def _sd_distance(j: Jumlah):
    # WHO/UNICEF 2019 and SMART: an SD of HAZ, WAZ or WHZ outside 0.8–1.2 signals poor data
    # (too small: values copied or invented; too large: measuring or age errors).
    worst = None
    for index in INDICES:
        sd = j.sd(index)
        if sd is not None and j.n_z(index) >= MIN_N:
            distance = max(0.0, 0.8 - sd, sd - 1.2)
            worst = distance if worst is None else max(worst, distance)
    return worst


def _shape(j: Jumlah):
    # SMART: |skewness| and |excess kurtosis| under 0.6 acceptable, from 0.6 problematic.
    values = []
    for index in INDICES:
        if j.n_z(index) >= MIN_N:
            values += [abs(v) for v in (j.skewness(index), j.kurtosis(index)) if v is not None]
    return max(values) if values else None


def _sex_ratio(j: Jumlah):
    ratio = j.rasio_jk()
    if ratio is None or ratio == 0 or j.n_anak < MIN_N:
        return None
    return max(ratio, 1 / ratio)


def _heaping(j: Jumlah):
    values = [v for v in (j.rasio_umur_6(), j.rasio_lahir_tgl1()) if v is not None]
    return _enough(j.n_anak, max(values)) if values else None


def _missing_size(j: Jumlah):
    values = [v for v in (j.persen_berat_kosong(), j.persen_tinggi_kosong()) if v is not None]
    return max(values) if values else None


RULES = [
    (Aturan("nik", "NIK anak kosong", 10, 2, 20), lambda j, c: j.persen_nik_kosong()),
    (Aturan("bb_tb", "berat atau tinggi kosong", 10, 1, 10), lambda j, c: _missing_size(j)),
    (Aturan("cara", "cara ukur kosong", 5, 5, 50), lambda j, c: j.persen_cara_kosong()),
    # WHO/UNICEF 2019: more than 1 % flagged values suggests a data-quality problem.
    (Aturan("flag", "nilai tidak wajar (flag WHO)", 15, 1, 5), lambda j, c: j.persen_flag_max()),
    (Aturan("sd", "SD z-score di luar 0,8–1,2 sebesar", 10, 0, 0.4, ""), lambda j, c: _sd_distance(j)),
    (Aturan("bentuk", "kemencengan/keruncingan z-score", 5, 0.6, 1.2, ""), lambda j, c: _shape(j)),
    # SMART digit preference score: ≤ 12 good, 13–20 acceptable, > 20 problematic.
    (Aturan("digit_tb", "preferensi angka tinggi (skor DPS)", 5, 12, 30, ""),
     lambda j, c: _enough(sum(j.digit_tb), j.dps("tb"))),
    (Aturan("digit_bb", "preferensi angka berat (skor DPS)", 5, 12, 30, ""),
     lambda j, c: _enough(sum(j.digit_bb), j.dps("bb"))),
    (Aturan("umur", "penumpukan umur/tanggal lahir (rasio)", 5, 1.5, 3, ""), lambda j, c: _heaping(j)),
    (Aturan("jk", "rasio jenis kelamin menyimpang (kali lipat)", 5, 1.25, 2, ""), lambda j, c: _sex_ratio(j)),
    (Aturan("cara_umur", "cara ukur tidak sesuai umur", 5, 2, 20), lambda j, c: j.persen_cara_ukur_umur()),
    (Aturan("tumbuh", "pertumbuhan tidak wajar", 10, 1, 5), lambda j, c: j.persen_tumbuh_tidak_wajar()),
    (Aturan("ganda", "kemungkinan anak ganda", 5, 0, 5), lambda j, c: j.persen_ganda()),
    # Coverage below 80 % means the children measured may not be the children of the area.
    (Aturan("cakupan", "cakupan penimbangan hanya", 5, -80, -20), lambda j, c: None if c is None else -c),
]
assert sum(rule.bobot for rule, _ in RULES) == 100


@dataclass
class Skor:
    nilai: int | None  # None: nothing measured
    alasan: list  # [(text, points lost)], worst first


def score(j: Jumlah, cakupan=None) -> Skor:
    """The score of an area from its sums and its coverage (percent, from balita.figures)."""
    if not j.n_ukur:
        return Skor(None, [])
    reasons, lost = [], 0.0
    for rule, value_of in RULES:
        value = value_of(j, cakupan)
        points = rule.poin(value)
        if points > 0:
            shown = -value if rule.kunci == "cakupan" else value
            reasons.append((f"{rule.label} {rule.teks(shown)}", points))
            lost += points
    reasons.sort(key=lambda item: -item[1])
    return Skor(max(0, round(100 - lost)), [(text, round(points, 1)) for text, points in reasons])
