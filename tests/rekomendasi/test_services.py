"""Services: who records what, the upload check, the follow-up limited to the OPD's own items,
and the audit trail written by the database triggers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from rekomendasi import services
from rekomendasi.models import Inovasi, Rekomendasi, TindakLanjut
from tests.konvergensi.files import pdf_bytes
from tests.rekomendasi.conftest import make_inovasi, make_rekomendasi, opd
from tpps.errors import UserError

pytestmark = pytest.mark.django_db


def test_the_secretariat_records_a_recommendation_with_its_source_document(users, media):
    rekomendasi = services.save_recommendation(
        Rekomendasi(tahun=2025, judul="Strategi berbasis data"), opd=[opd("dp3ap2kb"), opd("dinkes")],
        dokumen=SimpleUploadedFile("hasil penilaian.pdf", pdf_bytes("Hasil penilaian")), user=users["operator"])
    rekomendasi.refresh_from_db()
    assert rekomendasi.nama_berkas == "hasil penilaian.pdf" and rekomendasi.jenis_berkas == "pdf" and len(rekomendasi.sha256) == 64
    assert (media / rekomendasi.berkas.name).exists() and "hasil" not in rekomendasi.berkas.name
    assert {o.kode for o in rekomendasi.opd.all()} == {"dp3ap2kb", "dinkes"}
    assert rekomendasi.dicatat_oleh == users["operator"]


@pytest.mark.parametrize("role", ["opd", "pimpinan", "wilayah"])
def test_only_the_secretariat_records_recommendations(users, role):
    with pytest.raises(PermissionDenied):
        services.save_recommendation(Rekomendasi(tahun=2025, judul="X"), opd=[opd("dinkes")], user=users[role])
    rekomendasi = make_rekomendasi()
    rekomendasi.judul = "Diubah OPD"
    with pytest.raises(PermissionDenied):
        services.save_recommendation(rekomendasi, opd=[opd("dinkes")], user=users[role])
    assert Rekomendasi.objects.get().judul == "Penguatan tata laksana gizi"


def test_a_disguised_file_is_refused_and_nothing_stays_behind(users, media):
    with pytest.raises(UserError) as error:
        services.save_recommendation(Rekomendasi(tahun=2025, judul="X"), opd=[opd("dinkes")],
                                     dokumen=SimpleUploadedFile("hasil.pdf", b"bukan pdf\n" * 40), user=users["operator"])
    assert "PDF" in str(error.value)
    assert not Rekomendasi.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_a_refused_save_after_the_upload_removes_the_stored_file(users, media):
    with pytest.raises(UserError):
        services.save_recommendation(Rekomendasi(tahun=2025, judul="X", angka_aplikasi="tidak-ada"), opd=[opd("dinkes")],
                                     dokumen=SimpleUploadedFile("hasil.pdf", pdf_bytes()), user=users["operator"])
    with pytest.raises(UserError):
        services.record_follow_up(make_rekomendasi(), opd("dinkes"), {"uraian": "", "tanggal": datetime.date(2025, 8, 1)},
                                  SimpleUploadedFile("bukti.pdf", pdf_bytes()), user=users["opd"])
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_recommendation_needs_an_opd_and_activities_of_its_years(users):
    with pytest.raises(UserError, match="OPD"):
        services.save_recommendation(Rekomendasi(tahun=2025, judul="X"), opd=[], user=users["operator"])


def test_an_opd_follows_up_only_its_own_items_on_its_own_behalf(users, bappeda):
    own = make_rekomendasi("Tata laksana gizi", opds=("dinkes", "bappeda"))
    other = make_rekomendasi("Konsistensi RKPD", opds=("bappeda",))
    data = {"uraian": "Dokter spesialis anak di puskesmas", "tanggal": datetime.date(2025, 8, 1)}
    tindak = services.record_follow_up(own, opd("dinkes"), data, user=users["opd"])
    assert tindak.opd.kode == "dinkes" and tindak.dicatat_oleh == users["opd"]
    with pytest.raises(PermissionDenied):
        services.record_follow_up(other, opd("bappeda"), data, user=users["opd"])
    with pytest.raises(PermissionDenied):
        services.record_follow_up(own, opd("bappeda"), data, user=users["opd"])  # not on Bappeda's behalf
    with pytest.raises(PermissionDenied):
        services.record_follow_up(own, opd("dinkes"), data, user=users["pimpinan"])
    # An OPD not linked to the recommendation is refused even for the secretariat.
    with pytest.raises(UserError, match="OPD penanggung jawab"):
        services.record_follow_up(own, opd("dinsos"), data, user=users["operator"])
    services.record_follow_up(own, opd("bappeda"), data, user=bappeda)
    assert TindakLanjut.objects.count() == 2
    # Deleting: Dinkes only its own.
    bappeda_row = TindakLanjut.objects.get(opd__kode="bappeda")
    with pytest.raises(PermissionDenied):
        services.delete_follow_up(bappeda_row, user=users["opd"])
    services.delete_follow_up(tindak, user=users["opd"])
    assert list(TindakLanjut.objects.values_list("opd__kode", flat=True)) == ["bappeda"]


def test_a_follow_up_marked_done_needs_its_result(users):
    rekomendasi = make_rekomendasi()
    with pytest.raises(UserError, match="hasil"):
        services.record_follow_up(rekomendasi, opd("dinkes"), {"uraian": "Selesai", "tanggal": datetime.date(2025, 8, 1), "tuntas": True},
                                  user=users["opd"])
    with pytest.raises(UserError):
        services.record_follow_up(rekomendasi, opd("dinkes"), {"uraian": "Tanpa tanggal"}, user=users["opd"])
    assert not TindakLanjut.objects.exists()


def test_innovations_belong_to_their_opd(users, bappeda):
    item = services.save_innovation(Inovasi(nama="Kelas ASI", opd=opd("dinkes"), mulai=datetime.date(2025, 1, 1), sasaran="ibu_hamil",
                                            sumber_anggaran="apbd", uraian="Kelas"), user=users["opd"])
    with pytest.raises(PermissionDenied):
        services.save_innovation(Inovasi(nama="Punya Dinkes", opd=opd("dinkes"), mulai=datetime.date(2025, 1, 1), sasaran="balita",
                                         sumber_anggaran="apbd", uraian="x"), user=bappeda)
    assert not Inovasi.objects.filter(nama="Punya Dinkes").exists()
    with pytest.raises(PermissionDenied):
        services.add_partner(item, "Perusahaan", "usaha", user=bappeda)
    services.add_partner(item, "Radio Kediri", "media", "Siaran", user=users["opd"])
    with pytest.raises(UserError, match="sudah tercatat"):
        services.add_partner(item, "radio kediri", "media", user=users["operator"])
    with pytest.raises(UserError):
        services.add_partner(item, "Bukan pentahelix", "pemerintah", user=users["operator"])
    assert [m.nama for m in item.mitra.all()] == ["Radio Kediri"]


def _events(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pgh_label FROM {table} ORDER BY pgh_id")
        return [row[0] for row in cursor.fetchall()]


def test_every_change_is_in_the_audit_trail(users):
    rekomendasi = make_rekomendasi()
    rekomendasi.judul = "Diubah"
    services.save_recommendation(rekomendasi, opd=[opd("dinkes")], user=users["operator"])
    tindak = services.record_follow_up(rekomendasi, opd("dinkes"), {"uraian": "x", "tanggal": datetime.date(2025, 8, 1)}, user=users["opd"])
    services.delete_follow_up(tindak, user=users["opd"])
    make_inovasi()
    assert _events("rekomendasi_rekomendasievent") == ["insert", "update"]
    assert _events("rekomendasi_opdrekomendasievent") == ["insert"]
    assert _events("rekomendasi_tindaklanjutevent") == ["insert", "delete"]
    assert _events("rekomendasi_inovasievent") == ["insert"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tpps_jejakaudit WHERE model LIKE 'rekomendasi.%%'")
        assert cursor.fetchone()[0] >= 6


def test_a_recommendation_continues_only_an_earlier_year(users):
    later = make_rekomendasi("2025", tahun=2025)
    with pytest.raises(UserError, match="tahun sebelumnya"):
        services.save_recommendation(Rekomendasi(tahun=2025, judul="Sama tahun", lanjutan_dari=later), opd=[opd("dinkes")], user=users["operator"])
    assert Rekomendasi.objects.count() == 1
