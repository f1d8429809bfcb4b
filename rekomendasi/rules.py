"""The status of a recommendation, derived and never typed: the one home of the rule.

- **selesai**: at least one OPD is linked, every linked OPD has a follow-up marked *tuntas*
  (its result achieved), every linked planned activity has a realisation (realisasi > 0), and
  there is evidence: linked konvergensi evidence accepted by DP3AP2KB or a file on a follow-up.
- **berjalan**: something was done: a follow-up recorded, a linked activity with a realisation,
  or linked evidence (whatever its verification state).
- **belum**: nothing of the above.

Worst first (the Sekda's card, the readiness page): belum before berjalan before selesai, then
the most linked OPDs without a finished follow-up, then the older assessment year.
"""

from dataclasses import dataclass, field

from django.db import models


class Status(models.TextChoices):
    BELUM = "belum", "Belum ditindaklanjuti"
    BERJALAN = "berjalan", "Berjalan"
    SELESAI = "selesai", "Selesai"


WARNA = {Status.BELUM: "red", Status.BERJALAN: "amber", Status.SELESAI: "green"}
URUTAN = {Status.BELUM: 0, Status.BERJALAN: 1, Status.SELESAI: 2}


@dataclass
class Jejak:
    """What is recorded about one recommendation (counted by the selectors)."""

    opd: dict = field(default_factory=dict)          # linked OPD id -> short name
    opd_tuntas: set = field(default_factory=set)     # OPD ids with a follow-up marked tuntas
    tindak_lanjut: int = 0                           # follow-ups recorded
    kegiatan: int = 0                                # linked planned activities
    kegiatan_terealisasi: int = 0                    # … of which realisasi > 0
    bukti: int = 0                                   # linked konvergensi evidence
    bukti_diterima: int = 0                          # … of which accepted
    berkas_tindak_lanjut: int = 0                    # follow-ups with a file

    @property
    def opd_belum(self) -> list[str]:
        """Short names of linked OPDs without a finished follow-up."""
        return sorted(name for opd_id, name in self.opd.items() if opd_id not in self.opd_tuntas)

    @property
    def ada_bukti_sah(self) -> bool:
        return bool(self.bukti_diterima or self.berkas_tindak_lanjut)


def status(j: Jejak) -> Status:
    if (j.opd and not j.opd_belum and j.kegiatan_terealisasi == j.kegiatan and j.ada_bukti_sah):
        return Status.SELESAI
    if j.tindak_lanjut or j.kegiatan_terealisasi or j.bukti:
        return Status.BERJALAN
    return Status.BELUM


def kurang(j: Jejak) -> list[str]:
    """What still stands between the recommendation and *selesai*, in Indonesian."""
    missing = []
    if not j.opd:
        missing.append("belum ada OPD penanggung jawab")
    elif j.opd_belum:
        missing.append("tindak lanjut belum tuntas: " + ", ".join(j.opd_belum))
    if j.kegiatan_terealisasi < j.kegiatan:
        missing.append(f"{j.kegiatan - j.kegiatan_terealisasi} kegiatan terkait belum ada realisasi")
    if not j.ada_bukti_sah:
        missing.append("belum ada bukti yang diterima")
    return missing


def worst_first_key(status_code: str, j: Jejak, tahun: int, urutan: int = 0):
    return (URUTAN[Status(status_code)], -len(j.opd_belum), tahun, urutan)
