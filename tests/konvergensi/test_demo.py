"""Demo data: 2024 done and mostly verified, 2025 in progress, real files, idempotent."""

import hashlib

from django.core.files import File

from konvergensi import demo, selectors
from tpps import uploads
from konvergensi.models import AksiTahunan, Bukti, Capaian, Indikator, RembukStunting, RencanaKegiatan, TargetIndikator
from tpps import demo as core_demo
from tpps.roles import SYSTEM


def test_demo_loads_once_with_realistic_progress(db, media):
    core_demo.load()
    result = demo.load()
    assert result["bukti"] == Bukti.objects.count() > 20
    assert demo.load() is None  # idempotent
    assert Bukti.objects.count() == result["bukti"]

    evidence_2024 = Bukti.objects.filter(aksi_tahunan__tahun=2024)
    accepted_2024 = evidence_2024.filter(status="diterima").count()
    assert accepted_2024 / evidence_2024.count() > 0.85
    assert set(AksiTahunan.objects.filter(tahun=2024).values_list("status", flat=True)) == {"selesai"}
    statuses_2025 = list(AksiTahunan.objects.filter(tahun=2025).values_list("status", flat=True))
    assert {"selesai", "berjalan", "belum_mulai"} == set(statuses_2025)
    assert selectors.readiness_summary(2025, user=SYSTEM)["kesiapan"] < selectors.readiness_summary(2024, user=SYSTEM)["kesiapan"]
    assert Bukti.objects.filter(aksi_tahunan__tahun=2025, status="perlu_revisi").exists()
    assert Bukti.objects.filter(aksi_tahunan__tahun=2025, status="menunggu").exists()

    # Every indicator has targets for both years, and there are achievements in both.
    for tahun in (2024, 2025):
        assert TargetIndikator.objects.filter(tahun=tahun).count() == Indikator.objects.count()
        assert Capaian.objects.filter(tahun=tahun).exists()
    assert RencanaKegiatan.objects.filter(tahun=2024).exists() and RencanaKegiatan.objects.filter(tahun=2025, kode_kegiatan="").exists()
    assert RembukStunting.objects.get(tahun=2024).penandatangan.count() >= 5

    # The evidence files are real, on disk, and pass the same checks as user uploads.
    kinds = set()
    for bukti in Bukti.objects.all():
        with bukti.berkas.open("rb") as handle:
            content = handle.read()
            handle.seek(0)
            info = uploads.periksa_berkas(File(handle, name=bukti.nama_berkas))
        assert hashlib.sha256(content).hexdigest() == bukti.sha256 == info.sha256
        assert info.jenis == bukti.jenis
        kinds.add(bukti.jenis)
    assert {"pdf", "png", "xlsx", "docx"} <= kinds
