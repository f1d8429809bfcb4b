"""Konvergensi tables: the eight actions per year with their evidence (aksi), the indicator
catalogue with targets and achievements (indikator), and the activity plan (rencana).
Split by responsibility; import from `konvergensi.models`."""

from konvergensi.models.aksi import (
    Aksi,
    AksiTahunan,
    Bukti,
    KeluaranAksi,
    PenanggungJawabAksi,
    Penandatangan,
    RembukStunting,
    StatusAksi,
    StatusVerifikasi,
    TahunPenilaian,
    Unsur,
    Verifikasi,
)
from konvergensi.models.indikator import Capaian, HitungOtomatis, Indikator, JenisIndikator, TargetIndikator
from konvergensi.models.rencana import IndikatorKegiatan, LokusKegiatan, RencanaKegiatan, Sasaran

__all__ = [
    "Aksi", "AksiTahunan", "Bukti", "Capaian", "HitungOtomatis", "Indikator", "IndikatorKegiatan",
    "JenisIndikator", "KeluaranAksi", "LokusKegiatan", "PenanggungJawabAksi", "Penandatangan",
    "RembukStunting", "RencanaKegiatan", "Sasaran", "StatusAksi", "StatusVerifikasi",
    "TahunPenilaian", "TargetIndikator", "Unsur", "Verifikasi",
]
