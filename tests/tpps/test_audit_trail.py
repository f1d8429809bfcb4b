"""The audit trail: changes through the index table (Indonesian actions, names, values, keyset
pages, filters), reads of personal data (one AksesData per export or list with its row count),
Admin only; and the statement timeout of web requests (a real pg_sleep, no mocks)."""

import csv
import datetime
import io
import time

import pghistory
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.http import HttpResponse
from django.urls import path, reverse
from openpyxl import load_workbook

from balita.models import ImporBatch, ImporGalat
from laporan.models import PaketEvaluasi
from tests.balita.conftest import make_anak, measure
from tests.balita.quality_helpers import melati_betet
from tests.factories import kelurahan, make_posyandu
from tests.genting.conftest import make_keluarga, make_ota
from tpps import audit, selectors
from tpps.models import AksesData, JejakAudit, Posyandu

pytestmark = pytest.mark.django_db


def audit_rows(client, **params):
    return client.get(reverse("audit_log"), params).content.decode()


# --- changes ----------------------------------------------------------------------------------

def test_every_event_table_feeds_the_index(users):
    tables = {m._meta.db_table for m in audit.event_models()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                       [audit.TRIGGER])
        assert {name for (name,) in cursor.fetchall()} == tables
    with pghistory.context(user=users["operator"].pk):
        posyandu = make_posyandu("Betet", "Kenanga")
    entry = JejakAudit.objects.get(model="tpps.Posyandu", objek=str(posyandu.pk))
    assert (entry.aksi, entry.pengguna, entry.sumber) == ("tambah", users["operator"], "tpps.PosyanduEvent")


def test_a_table_that_gets_the_trigger_late_has_its_events_copied_in(users):
    posyandu = make_posyandu("Betet", "Cempaka")
    table = next(m for m in audit.event_models() if m.pgh_tracked_model is Posyandu)._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TRIGGER {audit.TRIGGER} ON "{table}"')
    JejakAudit.objects.filter(sumber="tpps.PosyanduEvent").delete()
    audit.install_index_triggers()
    assert JejakAudit.objects.filter(model="tpps.Posyandu", objek=str(posyandu.pk), aksi="tambah").count() == 1
    audit.install_index_triggers()  # idempotent: nothing copied twice
    assert JejakAudit.objects.filter(model="tpps.Posyandu", objek=str(posyandu.pk)).count() == 1


def test_changes_read_in_indonesian(client_for, users):
    posyandu = make_posyandu("Betet", "Melati")
    pk = posyandu.pk
    with pghistory.context(user=users["admin"].pk):
        Posyandu.objects.filter(pk=posyandu.pk).update(nama="Melati Baru", aktif=False)
        posyandu.refresh_from_db()
        posyandu.delete()
    page = audit_rows(client_for(users["admin"]), model="tpps.Posyandu", objek=str(pk))
    assert "Tambah" in page and "Ubah" in page and "Hapus" in page
    assert "<strong>Nama</strong>: Melati → Melati Baru" in page
    assert "<strong>Aktif</strong>: Ya → Tidak" in page
    assert "<strong>Kelurahan</strong>: Betet" in page  # a foreign key by its name
    assert ">Posyandu<" in page


def test_keyset_pages_cover_every_row_once_both_ways(client_for, users):
    for n in range(120):
        make_posyandu("Betet", f"Pos {n:03d}")
    admin = users["admin"]
    filters = selectors.AuditFilter(model="tpps.Posyandu")
    page = selectors.audit_page(admin, filters)
    assert page.newer is None
    pages = [page]
    while page.older:
        page = selectors.audit_page(admin, filters, older_than=page.older)
        pages.append(page)
    seen = [row.entry.id for p in pages for row in p.rows]
    assert [len(p.rows) for p in pages] == [50, 50, 20]
    assert len(seen) == len(set(seen)) == 120
    times = [(row.entry.waktu, row.entry.id) for p in pages for row in p.rows]
    assert times == sorted(times, reverse=True)
    back = selectors.audit_page(admin, filters, newer_than=pages[2].newer)
    assert [r.entry.id for r in back.rows] == [r.entry.id for r in pages[1].rows]
    first = selectors.audit_page(admin, filters, newer_than=back.newer)
    assert [r.entry.id for r in first.rows] == [r.entry.id for r in pages[0].rows] and first.newer is None
    # The links on the page carry the filter and the cursor.
    html = audit_rows(client_for(admin), model="tpps.Posyandu")
    assert f"model=tpps.Posyandu&amp;sebelum={pages[0].older}" in html


def test_filters_by_user_date_model_object_and_action(client_for, users):
    # The system's first: a pghistory context stays on the connection until its transaction ends.
    by_system = make_posyandu("Betet", "Dahlia")
    with pghistory.context(user=users["operator"].pk):
        by_operator = make_posyandu("Betet", "Anggrek")
    old = make_posyandu("Betet", "Lama")
    JejakAudit.objects.filter(model="tpps.Posyandu", objek=str(old.pk)).update(
        waktu=datetime.datetime(2024, 3, 5, 10, tzinfo=datetime.timezone.utc))
    client = client_for(users["admin"])

    page = audit_rows(client, pengguna=users["operator"].pk, model="tpps.Posyandu")
    assert "Anggrek" in page and "Dahlia" not in page
    page = audit_rows(client, dari="2024-03-05", sampai="2024-03-05")
    assert "Lama" in page and "Anggrek" not in page
    page = audit_rows(client, objek=str(by_system.pk), model="tpps.Posyandu")
    assert "Dahlia" in page and "Anggrek" not in page and str(by_operator.pk) != str(by_system.pk)
    page = audit_rows(client, aksi="hapus", model="tpps.Posyandu")
    assert "Tidak ada kejadian yang cocok" in page
    # A value that does not parse is ignored and explained, not a server error.
    response = client.get(reverse("audit_log"), {"dari": "kemarin", "pengguna": "x"})
    assert response.status_code == 200 and "Masukkan tanggal yang valid" in response.content.decode()


def test_audit_page_is_for_admin_only_whatever_the_filter(client_for, users):
    for role in ("operator", "opd", "wilayah", "pimpinan", "outsider"):
        assert client_for(users[role]).get(reverse("audit_log"), {"aksi": "unduh"}).status_code == 403, role
    assert list(JejakAudit.objects.for_user(users["operator"])) == []


# --- reads ------------------------------------------------------------------------------------

def _one_access(**expected):
    access = AksesData.objects.get()
    for name, value in expected.items():
        assert getattr(access, name) == value, name
    entry = JejakAudit.objects.get(sumber="tpps.AksesData")
    assert (entry.sumber_id, entry.aksi, entry.model, entry.pengguna_id) == (access.pk, access.aksi, access.model, access.pengguna_id)
    return access


def test_register_export_records_one_download_with_its_row_count(client_for, users):
    for n in range(7):
        make_anak("Betet" if n % 2 else "Pesantren", nama=f"Anak {n}", nik=f"35710341012{n:05d}")
    response = client_for(users["wilayah"]).get(reverse("balita:anak_export"), {"kategori": ""})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4  # Pesantren only: the wilayah's area
    _one_access(aksi="unduh", model="balita.Anak", jumlah=4, pengguna=users["wilayah"], kueri="kategori=",
                halaman=reverse("balita:anak_export"))


def test_register_page_records_one_view(client_for, users):
    for n in range(4):
        make_anak("Betet", nama=f"Anak {n}")
    client_for(users["operator"]).get(reverse("balita:index"), {"q": "Anak"}, headers={"HX-Request": "true"})
    _one_access(aksi="lihat", model="balita.Anak", jumlah=4, kueri="q=Anak")


def test_kelurahan_children_csv_records_one_download(client_for, users):
    for n in range(3):
        measure(make_anak("Betet", nama=f"Anak {n}"), datetime.date(2025, 3, 1), berat=9, tinggi=75)
    response = client_for(users["operator"]).get(reverse("laporan:ekspor_anak", args=[kelurahan("Betet").pk, "csv"]),
                                                 {"tahun": 2025, "periode": "th"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    _one_access(aksi="unduh", model="balita.Anak", jumlah=len(table) - 1)
    assert len(table) - 1 == 3


def test_data_quality_fix_list_records_one_download(client_for, users):
    melati_betet()
    response = client_for(users["operator"]).get(reverse("balita:mutu_temuan_xlsx"),
                                                 {"tahun": 2025, "periode": "t1", "level": "posyandu"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r[0] == "Jenis"))
    _one_access(aksi="unduh", model="balita.Anak", jumlah=len(rows) - header - 1)


def test_import_errors_record_one_download(client_for, users):
    batch = ImporBatch.objects.create(nama_berkas="x.xlsx", berkas="balita/impor/x.xlsx", diunggah_oleh=users["operator"])
    ImporGalat.objects.bulk_create(ImporGalat(batch=batch, baris=n, kolom="NIK", pesan="salah", nik="1", nama="A")
                                   for n in range(2, 7))
    client_for(users["operator"]).get(reverse("balita:impor_galat", args=[batch.pk]))
    _one_access(aksi="unduh", model="balita.ImporBatch", objek=str(batch.pk), jumlah=5)


def test_pack_and_donor_statement_record_one_download_each(client_for, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pack = PaketEvaluasi.objects.create(tahun=2025, status="selesai", dibuat_oleh=users["operator"])
    pack.berkas.save("paket.pdf", ContentFile(b"%PDF-1.4 test"))
    client = client_for(users["operator"])
    client.get(reverse("laporan:paket_unduh", args=[pack.pk]))
    _one_access(aksi="unduh", model="laporan.PaketEvaluasi", objek=str(pack.pk), jumlah=None)
    AksesData.objects.all().delete()
    JejakAudit.objects.filter(sumber="tpps.AksesData").delete()
    ota = make_ota()
    client.get(reverse("genting:ota_statement", args=[ota.pk]))
    _one_access(aksi="unduh", model="genting.OrangTuaAsuh", objek=str(ota.pk))


def test_family_list_records_one_view(client_for, users):
    for n in range(3):
        make_keluarga("Betet", kepala=f"Kepala {n}")
    client_for(users["operator"]).get(reverse("genting:keluarga_list"))
    _one_access(aksi="lihat", model="genting.KeluargaRisikoStunting", jumlah=3)


def test_reads_show_on_the_audit_page_as_unduh(client_for, users):
    make_anak("Betet", nama="Anak Satu")
    client_for(users["operator"]).get(reverse("balita:anak_export"), {"kelurahan": kelurahan("Betet").pk})
    page = audit_rows(client_for(users["admin"]), aksi="unduh", pengguna=users["operator"].pk)
    assert "Unduh" in page and "Register balita (XLSX): 1 baris" in page
    assert f"kelurahan = {kelurahan('Betet').pk}" in page and ">Anak<" in page
    assert "Register balita (XLSX)" not in audit_rows(client_for(users["admin"]), aksi="tambah")


# --- statement timeout ------------------------------------------------------------------------

def sleepy(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")
    return HttpResponse("selesai")


def timeout_now(request):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return HttpResponse(cursor.fetchone()[0])


urlpatterns = [path("lambat/", sleepy), path("batas/", timeout_now)]


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_slow_statement_is_cancelled_and_answered_in_indonesian(client_for, users, settings):
    settings.REQUEST_STATEMENT_TIMEOUT_MS = 300
    client = client_for(users["operator"])
    assert client.get("/batas/").content == b"300ms"
    started = time.monotonic()
    response = client.get("/lambat/")
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert "terlalu lama" in response.content.decode() and "Traceback" not in response.content.decode()
    # Outside a request (commands, the worker) statements are not bounded.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SELECT pg_sleep(0.5)")
