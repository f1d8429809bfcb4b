"""Figures of an area in a period (counts from the summary) and what follows from them."""

from dataclasses import dataclass, fields

COUNTS = ("sasaran", "diukur", "tbu_valid", "stunting", "sangat_pendek", "bbu_valid", "underweight",
          "bbtb_valid", "wasting")


def _pct(part, whole):
    return round(100 * part / whole, 2) if whole else None


@dataclass
class Angka:
    sasaran: int = 0
    diukur: int = 0
    tbu_valid: int = 0
    stunting: int = 0
    sangat_pendek: int = 0
    bbu_valid: int = 0
    underweight: int = 0
    bbtb_valid: int = 0
    wasting: int = 0

    @classmethod
    def of(cls, row) -> "Angka":
        """From a summary row (model or dict)."""
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        return cls(**{name: get(name) or 0 for name in COUNTS})

    def __add__(self, other: "Angka") -> "Angka":
        return Angka(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def prevalensi(self):
        """Stunted ÷ measured with a valid TB/U, in percent."""
        return _pct(self.stunting, self.tbu_valid)

    @property
    def cakupan(self):
        """Children measured ÷ children under five, in percent (may pass 100 when children
        measured here are registered elsewhere)."""
        return _pct(self.diukur, self.sasaran)

    @property
    def persen_underweight(self):
        return _pct(self.underweight, self.bbu_valid)

    @property
    def persen_wasting(self):
        return _pct(self.wasting, self.bbtb_valid)

    @property
    def ada_data(self) -> bool:
        return bool(self.diukur or self.sasaran)


def total(items) -> Angka:
    result = Angka()
    for item in items:
        result = result + item
    return result


@dataclass
class Perubahan:
    """The change of a figure from the previous period, in words."""

    sekarang: float | int | None
    sebelumnya: float | int | None

    @property
    def selisih(self):
        if self.sekarang is None or self.sebelumnya is None:
            return None
        return round(self.sekarang - self.sebelumnya, 2)

    @property
    def arah(self) -> str:
        """'turun', 'naik', 'tetap' or '' when there is nothing to compare."""
        if self.selisih is None:
            return ""
        return "turun" if self.selisih < 0 else "naik" if self.selisih > 0 else "tetap"

    @property
    def besar(self):
        return abs(self.selisih) if self.selisih is not None else None
