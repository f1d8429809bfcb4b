"""The pregnant-women template import with real XLSX and CSV files: loose headers, errors by row and
column in Indonesian, nothing half-stored, the same file twice changes nothing, a newborn that
conflicts with balita's identity rules is held for review; and the pages around it."""

import csv
import datetime
import io
import os

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from balita.models import Anak
from ibuhamil import importer
from ibuhamil.models import Kehamilan, KunjunganAnc, PemberianPmt, Tautan
from tests.balita.conftest import make_anak
from tpps.errors import UserError
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db

# Headers as people type them: other case, spaces, punctuation, other spellings, an extra column.
LOOSE = ["no", "nik ibu", "NAMA IBU", "Tgl. Lahir Ibu", "alamat", "Desa/Kel", "posyandu", "hpht",
         "Jumlah persalinan", "TGL K1", "tgl k2", "Tgl K3", "Tgl K4", "Tgl K5", "Tgl K6", "LiLA", "HB", "ttd",
         "PMT Mulai", "Tgl Persalinan", "Keadaan Lahir", "JK Bayi", "BB Lahir (gram)", "PB Lahir (cm)",
         "Nama Bayi", "Catatan bidan"]


def row(no, nama, kel="Pesantren", hpht="10/01/2025", **extra):
    base = {"no": no, "nik ibu": "", "NAMA IBU": nama, "Tgl. Lahir Ibu": "15/05/1995", "alamat": "Jl. Mawar",
            "Desa/Kel": kel, "posyandu": "", "hpht": hpht, "Jumlah persalinan": 1, "TGL K1": "01/03/2025",
            "tgl k2": "2025-05-01", "LiLA": "24,5", "HB": "11,5", "ttd": 95}
    base.update(extra)
    return [base.get(h, "") for h in LOOSE]


def write(tmp_path, rows, name="bumil.xlsx", title=True):
    path = tmp_path / name
    if name.endswith(".csv"):
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(LOOSE)
            writer.writerows(rows)
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        if title:
            sheet.append(["Data ibu hamil Puskesmas Pesantren I"])
            sheet.append([])
        sheet.append(LOOSE)
        for r in rows:
            sheet.append(r)
        book.save(path)
    return path


def snapshot():
    return (list(Kehamilan.objects.order_by("id").values()), list(KunjunganAnc.objects.order_by("id").values()),
            list(PemberianPmt.objects.order_by("id").values()), Anak.objects.count())


@pytest.mark.parametrize("name", ["bumil.xlsx", "bumil.csv"])
def test_loose_headers_import_and_the_same_file_twice_changes_nothing(tmp_path, users, name):
    path = write(tmp_path, [
        row(1, "Siti Aminah", **{"LiLA": "22,0", "PMT Mulai": "05/03/2025"}),
        row(2, "Rina Wati", kel="Kel. BANJARMLATI", hpht="2025-02-01"),
        row(3, "Dewi Lestari", **{"Tgl Persalinan": "12/10/2025", "Keadaan Lahir": "Hidup", "JK Bayi": "L",
                                 "BB Lahir (gram)": 2400, "PB Lahir (cm)": "47,0", "Nama Bayi": "Bima"}),
    ], name=name)
    result = importer.check(path, name, users["admin"])
    assert not result.errors and result.counts["baru"] == 3 and result.counts["persalinan"] == 1
    importer.apply(path, name, users["admin"])
    siti = Kehamilan.objects.get(nama="Siti Aminah")
    assert siti.kek and siti.kunjungan == 2 and siti.ttd == 95 and siti.pmt.get().lama_hari == 120
    assert Kehamilan.objects.get(nama="Rina Wati").kelurahan.nama == "Banjar Mlati"
    dewi = Kehamilan.objects.get(nama="Dewi Lestari")
    assert dewi.bblr and dewi.pblr and dewi.tautan == Tautan.TERTAUT and dewi.anak.nama == "Bima"
    before = snapshot()
    again = importer.check(path, name, users["admin"])
    assert again.counts["sama"] == 3 and again.counts["baru"] == again.counts["ubah"] == 0
    importer.apply(path, name, users["admin"])
    assert snapshot() == before


def test_errors_name_row_and_column_and_nothing_is_stored(tmp_path, users):
    path = write(tmp_path, [
        row(1, "Baik Sekali"),
        row(2, "", **{"hpht": "31/02/2025"}),
        row(3, "Salah Tempat", kel="Betet"),  # outside Puskesmas Pesantren I
        row(4, "Kelurahan Asing", kel="Gotham"),
        row(5, "LiLA Aneh", **{"LiLA": "dua puluh"}),
    ])
    result = importer.check(path, "bumil.xlsx", users["wilayah"])
    messages = [str(e) for e in result.errors]
    # The title block takes rows 1-2, the header row 3: data starts at row 4.
    assert "Baris 5, kolom NAMA IBU: wajib diisi." in messages
    assert any(m.startswith("Baris 5, kolom hpht: tanggal \u201c31/02/2025\u201d tidak terbaca") for m in messages)
    assert "Baris 6, kolom Desa/Kel: Kelurahan Betet di luar wilayah kerja Anda." in messages
    assert any(m.startswith("Baris 7, kolom Desa/Kel:") and "bukan kelurahan" in m for m in messages)
    assert any(m.startswith("Baris 8, kolom LiLA:") and "bukan angka" in m for m in messages)
    with pytest.raises(UserError):
        importer.apply(path, "bumil.xlsx", users["wilayah"])
    assert not Kehamilan.objects.exists() and not KunjunganAnc.objects.exists()


def test_missing_required_column_is_a_file_error(tmp_path, users):
    book = openpyxl.Workbook()
    book.active.append(["Nama Ibu", "Kelurahan", "Alamat"])
    book.active.append(["Siti", "Pesantren", "Jl."])
    path = tmp_path / "x.xlsx"
    book.save(path)
    with pytest.raises(UserError) as error:
        importer.check(path, "x.xlsx", users["admin"])
    assert "judul kolom" in error.value.message or "Kolom wajib" in error.value.message


def test_a_newborn_in_conflict_with_balita_goes_to_review(tmp_path, users):
    stored = make_anak("Pesantren", nama="Bima", jenis_kelamin="L", tanggal_lahir=datetime.date(2025, 10, 12),
                       nama_ibu="Dewi Lestari", nik="3571011210250001")
    stored_before = Anak.objects.filter(pk=stored.pk).values().get()
    path = write(tmp_path, [row(1, "Dewi Lestari", **{
        "Tgl Persalinan": "13/10/2025", "JK Bayi": "L", "BB Lahir (gram)": 2400, "Nama Bayi": "Bima",
        "NIK Bayi": "3571011210250001"})])
    book = openpyxl.load_workbook(path)  # LOOSE has no "NIK Bayi" column: add it after the last
    sheet = book.active
    sheet.cell(row=3, column=len(LOOSE) + 1, value="NIK Bayi")
    sheet.cell(row=4, column=len(LOOSE) + 1, value="3571011210250001")
    book.save(path)
    importer.apply(path, "bumil.xlsx", users["admin"])
    dewi = Kehamilan.objects.get(nama="Dewi Lestari")
    assert dewi.tautan == Tautan.TINJAU and dewi.anak_id is None and "tanggal lahir" in dewi.catatan_tautan
    assert Anak.objects.filter(pk=stored.pk).values().get() == stored_before and Anak.objects.count() == 1


def test_the_pages_template_preview_and_confirm(tmp_path, users, client_for, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_for(users["wilayah"])
    template = client.get(reverse("ibuhamil:templat"))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    path = write(tmp_path, [row(1, "Siti Aminah"), row(2, "Rina Wati")])
    upload = SimpleUploadedFile("bumil.xlsx", path.read_bytes())
    preview = client.post(reverse("ibuhamil:impor"), {"berkas": upload})
    page = preview.content.decode()
    assert 'id="pratinjau"' in page and "Impor sekarang" in page and not Kehamilan.objects.exists()
    token = preview.context["token"]
    done = client.post(reverse("ibuhamil:impor_konfirmasi"), {"token": token})
    assert done.status_code == 302 and Kehamilan.objects.count() == 2
    # The token was used (its file removed): confirming again stores nothing more.
    client.post(reverse("ibuhamil:impor_konfirmasi"), {"token": token})
    assert Kehamilan.objects.count() == 2
    # Another user cannot confirm someone else's preview.
    upload = SimpleUploadedFile("bumil.xlsx", write(tmp_path, [row(3, "Ani Baru")]).read_bytes())
    token = client.post(reverse("ibuhamil:impor"), {"berkas": upload}).context["token"]
    client_for(users["admin"]).post(reverse("ibuhamil:impor_konfirmasi"), {"token": token})
    assert not Kehamilan.objects.filter(nama="Ani Baru").exists()
    # A preview left past its token's age is removed by the next upload.
    stale = tmp_path / "media" / "ibuhamil" / "impor" / "lama.xlsx"
    stale.write_bytes(b"x")
    os.utime(stale, (0, 0))
    client.post(reverse("ibuhamil:impor"), {"berkas": SimpleUploadedFile("bumil.xlsx", path.read_bytes())})
    assert not stale.exists()
    # A renamed file is refused by the upload check.
    fake = SimpleUploadedFile("bumil.xlsx", b"%PDF-1.4 not a workbook")
    refused = client.post(reverse("ibuhamil:impor"), {"berkas": fake})
    assert "bukan" in refused.content.decode() and "pratinjau" not in refused.content.decode()


def test_apply_as_system_writes_the_whole_city(tmp_path):
    path = write(tmp_path, [row(1, "Siti Betet", kel="Betet")])
    importer.apply(path, "bumil.xlsx", SYSTEM)
    assert Kehamilan.objects.get().kelurahan.nama == "Betet"


def test_the_command_checks_and_imports(tmp_path):
    bad = write(tmp_path, [row(1, "Siti Aminah"), row(2, "", kel="Gotham")], name="salah.xlsx")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("impor_ibu_hamil", str(bad), stdout=out)
    assert "Baris 5, kolom NAMA IBU: wajib diisi." in out.getvalue() and not Kehamilan.objects.exists()
    good = write(tmp_path, [row(1, "Siti Aminah")], name="baik.xlsx")
    call_command("impor_ibu_hamil", str(good), "--periksa", stdout=io.StringIO())
    assert not Kehamilan.objects.exists()
    out = io.StringIO()
    call_command("impor_ibu_hamil", str(good), stdout=out)
    assert "new=1" in out.getvalue() and Kehamilan.objects.count() == 1
