"""Every konvergensi service checks the acting user itself: a user outside the row's scope is
refused with an Indonesian PermissionDenied and nothing is stored."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from konvergensi import services
from konvergensi.models import (
    Bukti, Capaian, Indikator, Penandatangan, RembukStunting, RencanaKegiatan, StatusVerifikasi, TahunPenilaian,
    TargetIndikator, Verifikasi,
)
from tests.konvergensi.files import pdf_bytes
from tpps.models import Opd
from tpps.roles import SYSTEM


def not_dinkes(aksi):
    """A 2025 action Dinkes does not answer for."""
    for nomor in range(1, 9):
        tahunan = aksi(nomor)
        if not tahunan.opd.filter(kode="dinkes").exists():
            return tahunan
    raise AssertionError("every action is Dinkes'")


def test_opd_cannot_verify_evidence(users, aksi, unggah):
    bukti = unggah(aksi(1))
    with pytest.raises(PermissionDenied, match="DP3AP2KB"):
        services.verify_evidence(bukti, StatusVerifikasi.DITERIMA, "", users["opd"])
    bukti.refresh_from_db()
    assert bukti.status == StatusVerifikasi.MENUNGGU and not Verifikasi.objects.exists()


def test_opd_cannot_upload_to_or_change_another_opds_action(users, aksi, media):
    tahunan = not_dinkes(aksi)
    status = tahunan.status
    with pytest.raises(PermissionDenied, match="tidak berhak"):
        services.upload_evidence(tahunan, SimpleUploadedFile("b.pdf", pdf_bytes()), judul="B", user=users["opd"])
    with pytest.raises(PermissionDenied):
        services.update_action(tahunan, {"status": "selesai"}, user=users["opd"])
    tahunan.refresh_from_db()
    assert not Bukti.objects.exists() and tahunan.status == status
    assert not [path for path in media.rglob("*") if path.is_file()]  # no file left behind


def test_opd_cannot_upload_on_behalf_of_another_opd(users, aksi):
    mine = next(aksi(n) for n in range(1, 9) if aksi(n).opd.filter(kode="dinkes").exists())
    other = mine.opd.exclude(kode="dinkes").first() or Opd.objects.exclude(kode="dinkes").first()
    with pytest.raises(PermissionDenied):
        services.upload_evidence(mine, SimpleUploadedFile("b.pdf", pdf_bytes()), judul="B", user=users["opd"], opd=other)
    assert not Bukti.objects.exists()


def test_opd_cannot_delete_accepted_evidence_nor_choose_responsible_opds(users, aksi, unggah):
    mine = next(aksi(n) for n in range(1, 9) if aksi(n).opd.filter(kode="dinkes").exists())
    bukti = unggah(mine, status=StatusVerifikasi.DITERIMA)
    with pytest.raises(PermissionDenied, match="DP3AP2KB"):
        services.delete_evidence(bukti, user=users["opd"])
    assert Bukti.objects.filter(pk=bukti.pk).exists()
    with pytest.raises(PermissionDenied, match="sekretariat"):
        services.update_action(mine, {}, opd=list(Opd.objects.all()[:1]), user=users["opd"])
    assert mine.opd.filter(kode="dinkes").exists()


def test_opd_cannot_enter_another_opds_capaian_or_target(users):
    theirs = Indikator.objects.exclude(opd__kode="dinkes").first()
    with pytest.raises(PermissionDenied, match=theirs.kode):
        services.save_capaian(theirs, 2025, "th", {"nilai": 10}, users["opd"])
    with pytest.raises(PermissionDenied):
        services.set_target(theirs, 2030, 10, user=users["opd"])
    assert not Capaian.objects.filter(indikator=theirs).exists()
    assert not TargetIndikator.objects.filter(indikator=theirs, tahun=2030).exists()


def test_opd_cannot_file_or_take_over_another_opds_activity(users):
    bappeda = Opd.objects.get(kode="bappeda")
    with pytest.raises(PermissionDenied):
        services.save_kegiatan(RencanaKegiatan(tahun=2025, opd=bappeda, nama="Bukan milik Dinkes", pagu=1, sasaran="umum"),
                               user=users["opd"])
    assert not RencanaKegiatan.objects.exists()  # the save was rolled back
    theirs = services.save_kegiatan(RencanaKegiatan(tahun=2025, opd=bappeda, nama="Reviu", pagu=1, sasaran="umum"), user=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.delete_kegiatan(theirs, user=users["opd"])
    mine = services.save_kegiatan(
        RencanaKegiatan(tahun=2025, opd=Opd.objects.get(kode="dinkes"), nama="PMT", pagu=1, sasaran="umum"), user=users["opd"]
    )
    mine.opd = bappeda  # moving one's own activity to another OPD is refused as stored
    with pytest.raises(PermissionDenied):
        services.save_kegiatan(mine, user=users["opd"])
    assert set(RencanaKegiatan.objects.values_list("opd__kode", flat=True)) == {"bappeda", "dinkes"}


def test_only_the_secretariat_opens_a_year_and_sets_its_date(users):
    for role in ("opd", "pimpinan", "wilayah"):
        with pytest.raises(PermissionDenied, match="sekretariat"):
            services.open_year(2031, user=users[role])
    assert not TahunPenilaian.objects.filter(tahun=2031).exists()
    with pytest.raises(PermissionDenied):
        services.set_assessment_date(2025, datetime.date(2026, 7, 1), user=users["pimpinan"])
    assert TahunPenilaian.objects.get(tahun=2025).tanggal_penilaian != datetime.date(2026, 7, 1)


def test_rembuk_belongs_to_action_three(users, aksi):
    if aksi(3).opd.filter(kode="dinkes").exists():
        aksi(3).opd.remove(Opd.objects.get(kode="dinkes"))
    with pytest.raises(PermissionDenied):
        services.save_rembuk(RembukStunting(tahun=2025, tanggal=datetime.date(2025, 5, 14)), user=users["opd"])
    assert not RembukStunting.objects.exists()
    rembuk = services.save_rembuk(RembukStunting(tahun=2025, tanggal=datetime.date(2025, 5, 14)), user=users["operator"])
    with pytest.raises(PermissionDenied):
        services.add_signatory(rembuk, "Sri", "Wali Kota", "wali_kota", user=users["opd"])
    assert not Penandatangan.objects.exists()
