"""How a figure changed from the previous period, in words (the figures are balita's)."""

from dataclasses import dataclass


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
