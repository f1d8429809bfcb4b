"""Findings: one problem of one record (a measurement, a child, a pair of children), the rows
of the fix list. Each has a kind, the record and a key; an operator who checked a finding and
found the record correct marks it (balita.models.TemuanDiperiksa) and it stops counting.

The key holds the values that raised the finding, so a mark stops applying when the record is
corrected: a corrected record that is still implausible comes back to the list.
"""

import datetime
import difflib
from dataclasses import dataclass

from balita.growth.engine import STANDING_FROM_DAYS
from balita.quality import load
from tpps.ages import DAYS_PER_MONTH
from tpps.formatting import angka

JENIS = {
    "nik_kosong": "NIK kosong",
    "bb_tb_kosong": "Berat atau tinggi kosong",
    "flag_who": "Nilai tidak wajar (flag WHO)",
    "cara_ukur_umur": "Cara ukur tidak sesuai umur",
    "tinggi_turun": "Tinggi badan turun",
    "berat_tidak_wajar": "Perubahan berat tidak wajar",
    "anak_ganda": "Kemungkinan anak ganda",
}
INDEX_LABELS = {"tbu": "TB/U", "bbu": "BB/U", "bbtb": "BB/TB"}
# Names this alike (difflib ratio) are "similar": 'Aisyah Putri' / 'Aisah Putri' (0.96),
# 'M. Rizky' / 'Muhammad Rizky' (0.73 — not similar); twins 'Hasan' / 'Husein' (0.55) are not.
SIMILAR_NAMES = 0.8


@dataclass
class Temuan:
    jenis: str
    kunci: str
    anak_id: int
    kelurahan_id: int
    posyandu_id: int  # 0: the child has no posyandu
    rincian: str
    pengukuran_id: int | None = None
    tanggal: datetime.date | None = None
    indeks: tuple = ()  # flag_who: the flagged indices; bb_tb_kosong: "berat"/"tinggi"
    anak_lain: int | None = None

    @property
    def label(self) -> str:
        return JENIS[self.jenis]

    @property
    def group(self) -> tuple[int, int]:
        return (self.kelurahan_id, self.posyandu_id)


def _num(value, decimals=1) -> str:
    return "–" if value is None else angka(value, decimals)


def _date(text) -> datetime.date:
    return datetime.date.fromisoformat(text) if isinstance(text, str) else text


def from_measurements(row: dict) -> list[Temuan]:
    """Missing weight or height, WHO flags and a position that does not fit the age."""
    result = []
    for (pid, anak, tanggal, berat, tinggi, cara, umur, f_tbu, f_bbu, f_bbtb, z_tbu, z_bbu, z_bbtb) in row["temuan"] or []:
        base = dict(anak_id=anak, kelurahan_id=row["kelurahan_id"], posyandu_id=row["pos"], pengukuran_id=pid,
                    tanggal=_date(tanggal))
        values = f"{pid}:{berat}:{tinggi}:{cara}"
        missing = tuple(name for name, value in (("berat", berat), ("tinggi", tinggi)) if value is None)
        if missing:
            result.append(Temuan("bb_tb_kosong", values, rincian=f"{' dan '.join(missing).capitalize()} tidak diisi.",
                                 indeks=missing, **base))
        flagged = [(i, z) for i, f, z in (("tbu", f_tbu, z_tbu), ("bbu", f_bbu, z_bbu), ("bbtb", f_bbtb, z_bbtb)) if f]
        if flagged:
            zs = ", ".join(f"{INDEX_LABELS[i]} {_num(z, 2)}" for i, z in flagged)
            result.append(Temuan("flag_who", values, indeks=tuple(i for i, _ in flagged),
                                 rincian=f"Z-score di luar batas WHO ({zs}); berat {_num(berat, 2)} kg, "
                                         f"tinggi {_num(tinggi)} cm.", **base))
        if tinggi is not None and cara and (cara == "terlentang") == (umur >= STANDING_FROM_DAYS):
            months = int(umur // DAYS_PER_MONTH)
            expected = "berdiri" if umur >= STANDING_FROM_DAYS else "terlentang"
            result.append(Temuan("cara_ukur_umur", values, rincian=f"Diukur {cara} pada umur {months} bulan; "
                                 f"semestinya {expected} (WHO: terlentang di bawah 24 bulan).", **base))
    return result


def from_growth(row: dict) -> list[Temuan]:
    """A child's height falling, or its weight changing faster than a body can, since its
    previous measurement.

    Height: a child does not shrink. Lengths are compared as recumbent lengths (standing + 0.7 cm,
    WHO), and a fall up to 1.5 cm is measurement error: WHO's Growth Reference Study measured
    length with a technical error of about 0.5 cm, so two honest measurements differ by more
    than 1.5 cm (about three standard deviations of their difference) almost never.
    Weight: a gain beyond 0.5 kg + 20 g per kg per day (the upper end of catch-up growth during
    therapeutic feeding of severe malnutrition, WHO 1999; healthy infants gain under 10 g/kg/day)
    or a loss beyond 0.5 kg + 20 % of the previous weight (a child losing a fifth of its weight
    would be severely wasted: far more often a slip of the scale or the keyboard). The 0.5 kg
    absorbs clothes and scale tolerance.
    """
    result = []
    for (pid, anak, tanggal, berat, tinggi, cara, q_id, q_tanggal, q_berat, q_tinggi, q_cara, turun,
         hari) in row["tumbuh"] or []:
        base = dict(anak_id=anak, kelurahan_id=row["kelurahan_id"], posyandu_id=row["pos"], pengukuran_id=pid,
                    tanggal=_date(tanggal))
        before = _date(q_tanggal).strftime("%d/%m/%Y")
        if turun is not None and turun > load.HEIGHT_FALL_CM:
            result.append(Temuan("tinggi_turun", f"{pid}:{q_id}:{q_tinggi}:{tinggi}", **base,
                                 rincian=f"Tinggi {_num(q_tinggi)} cm ({q_cara or 'cara ukur kosong'}, {before}) → "
                                         f"{_num(tinggi)} cm ({cara or 'cara ukur kosong'}): turun {_num(turun)} cm."))
        if berat is not None and q_berat is not None:
            change = berat - q_berat
            gain_limit = load.WEIGHT_TOLERANCE_KG + load.WEIGHT_GAIN_PER_KG_DAY * q_berat * hari
            loss_limit = load.WEIGHT_TOLERANCE_KG + load.WEIGHT_LOSS_SHARE * q_berat
            if change > gain_limit or -change > loss_limit:
                word = "naik" if change > 0 else "turun"
                result.append(Temuan("berat_tidak_wajar", f"{pid}:{q_id}:{q_berat}:{berat}", **base,
                                     rincian=f"Berat {_num(q_berat, 2)} kg ({before}) → {_num(berat, 2)} kg dalam "
                                             f"{hari} hari: {word} {_num(abs(change), 2)} kg."))
    return result


def missing_nik(children) -> list[Temuan]:
    """Children measured in the period without a NIK: (id, kelurahan id, posyandu id or 0)."""
    return [Temuan("nik_kosong", str(anak), anak_id=anak, kelurahan_id=kel, posyandu_id=pos,
                   rincian="NIK anak belum diisi.") for anak, kel, pos in children]


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    matcher = difflib.SequenceMatcher(None, a, b)
    # The quick ratios are upper bounds of ratio(): most pairs end there.
    return (matcher.real_quick_ratio() >= SIMILAR_NAMES and matcher.quick_ratio() >= SIMILAR_NAMES
            and matcher.ratio() >= SIMILAR_NAMES)


def duplicates(pairs) -> list[Temuan]:
    """Pairs of children born on the same day who are probably one child: the same name and
    mother; the same mother and a similar name; the same name and a similar or missing mother's
    name. Twins (same mother, names not alike) are not. A pair counts where its child measured in
    the period is registered (the newer record when both were measured)."""
    result = []
    for x, y, nama_x, nama_y, ibu_x, ibu_y, kel_x, pos_x, kel_y, pos_y, x_measured, y_measured in pairs:
        if not x_measured and not y_measured:
            continue
        if nama_x == nama_y and ibu_x == ibu_y and ibu_x:
            why = "nama, tanggal lahir dan nama ibu sama"
        elif ibu_x == ibu_y and ibu_x and _similar(nama_x, nama_y):
            why = "tanggal lahir dan nama ibu sama, nama mirip"
        elif nama_x == nama_y and (not ibu_x or not ibu_y or _similar(ibu_x, ibu_y)):
            why = "nama dan tanggal lahir sama, nama ibu mirip atau kosong"
        else:
            continue
        anak, lain, kel, pos = (y, x, kel_y, pos_y) if y_measured else (x, y, kel_x, pos_x)
        result.append(Temuan("anak_ganda", f"{min(x, y)}-{max(x, y)}", anak_id=anak, anak_lain=lain,
                             kelurahan_id=kel, posyandu_id=pos, rincian=f"Mungkin anak yang sama: {why}."))
    return result
