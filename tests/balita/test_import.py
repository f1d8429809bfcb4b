"""The e-PPGBM import on real XLSX/CSV files: row errors in Indonesian, matching, idempotence,
later exports, dry run, preview, scope of an operator wilayah."""

import datetime

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from balita import services
from balita.growth import engine
from balita.importers import reading
from balita.models import Anak, ImporBatch, Pengukuran
from tests.balita.conftest import make_anak, row
from tests.factories import kelurahan, make_posyandu
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db

FUTURE = (datetime.date.today() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")


def bad_rows():
    """Five good rows (three children) and seven rows each with one kind of error."""
    return [
        row(),  # 2
        row(**{"Tanggal Pengukuran": "2025-02-04", "Berat": "9,2", "Tinggi": "74,6"}),  # 3
        row(NIK="", Nama="Bima Saputra", JK="L", **{"Tgl Lahir": "2023-06-15", "Nama Ortu": "Dwi Lestari",
            "Desa/Kel": "Kel. Banaran", "Posyandu": "Posyandu Kenanga Baru", "Cara Ukur": "Berdiri",
            "Tanggal Pengukuran": "15/01/2025", "Berat": 10.4, "Tinggi": 80.2}),  # 4
        row(NIK="3571010101230009", Nama="Raka Pratama", JK="L", **{"Tgl Lahir": 44927, "Desa/Kel": "BANJARMLATI",
            "Kec": "Mojoroto", "Posyandu": "Melati", "Tanggal Pengukuran": "2025-01-20", "Berat": 11.0, "Tinggi": 82.0,
            "Cara Ukur": "Berdiri"}),  # 5
        row(NIK="3571010101230009", Nama="Raka Pratama", JK="L", **{"Tgl Lahir": 44927, "Desa/Kel": "BANJARMLATI",
            "Kec": "Mojoroto", "Posyandu": "Melati", "Tanggal Pengukuran": "2025-02-20", "Berat": 11.2, "Tinggi": 82.9,
            "Cara Ukur": "Berdiri"}),  # 6
        row(NIK="35710312345", Nama="Salah NIK"),  # 7: bad NIK
        row(NIK="3571030101240077", Nama="Lahir Nanti", **{"Tgl Lahir": FUTURE}),  # 8: birth in the future
        row(NIK="3571030101240078", Nama="Ukur Dulu", **{"Tgl Lahir": "2024-06-01", "Tanggal Pengukuran": "2024-05-01"}),  # 9
        row(NIK="3571030101240079", Nama="Berat Gram", Berat=9500),  # 10: grams
        row(NIK="3571030101240080", Nama="Luar Kota", **{"Desa/Kel": "Atlantis"}),  # 11
        row(NIK="3571030101240081", Nama="Kabupaten", **{"Kab/Kota": "KAB. KEDIRI"}),  # 12
        row(NIK="3571030101240082", Nama="Tanggal Aneh", **{"Tanggal Pengukuran": "31/02/2025"}),  # 13
    ]


def test_file_with_bad_rows_imports_only_the_valid_rows(eppgbm_file):
    path = eppgbm_file(bad_rows())
    batch, _ = services.import_file(path, user=SYSTEM)

    assert batch.status == ImporBatch.Status.SELESAI
    assert (batch.baris, batch.baris_galat) == (12, 7)
    assert (batch.anak_baru, batch.anak_cocok, batch.pengukuran_baru, batch.pengukuran_diubah) == (3, 0, 5, 0)
    messages = {(e.baris, e.kolom): e.pesan for e in batch.galat.all()}
    assert messages[(7, "NIK")] == "NIK harus 16 angka."
    assert messages[(8, "Tgl Lahir")] == "Tgl Lahir di masa depan." or "masa depan" in messages[(8, "Tgl Lahir")]
    assert "sebelum tanggal lahir" in messages[(9, "Tanggal Pengukuran")]
    assert "tidak mungkin" in messages[(10, "Berat")] and "gram" in messages[(10, "Berat")]
    assert messages[(11, "Desa/Kel")] == "Kelurahan \u201cAtlantis\u201d tidak ada di Kota Kediri."
    assert messages[(12, "Kab/Kota")] == "Data bukan dari Kota Kediri."
    assert "tidak terbaca" in messages[(13, "Tanggal Pengukuran")]

    # Rows with errors are never half-stored: none of their children exists.
    stored = set(Anak.objects.values_list("nama", flat=True))
    assert stored == {"Aisyah Putri", "Bima Saputra", "Raka Pratama"}
    assert Pengukuran.objects.count() == 5
    # Tolerant area matching: "Kel. Banaran" and "BANJARMLATI" (the area is "Banjar Mlati").
    assert Anak.objects.get(nama="Bima Saputra").kelurahan == kelurahan("Banaran")
    raka = Anak.objects.get(nama="Raka Pratama")
    assert raka.kelurahan == kelurahan("Banjar Mlati")
    assert raka.tanggal_lahir == datetime.date(2023, 1, 1)  # Excel serial 44927
    # A posyandu unknown in a known kelurahan is created and listed.
    assert "Kenanga Baru (Banaran)" in batch.posyandu_baru
    assert Anak.objects.get(nama="Bima Saputra").posyandu.nama == "Kenanga Baru"


def test_stored_values_are_the_engines(eppgbm_file):
    services.import_file(eppgbm_file(bad_rows()[:5]), user=SYSTEM)
    for measurement in Pengukuran.objects.select_related("anak"):
        expected = engine.compute_one(
            jenis_kelamin=measurement.anak.jenis_kelamin, tanggal_lahir=measurement.anak.tanggal_lahir,
            tanggal=measurement.tanggal, berat=float(measurement.berat), tinggi=float(measurement.tinggi),
            cara_ukur=measurement.cara_ukur,
        )
        assert measurement.umur_hari == expected["umur_hari"]
        assert float(measurement.zs_tbu) == expected["zs_tbu"]
        assert float(measurement.zs_bbu) == expected["zs_bbu"]
        assert measurement.kategori_tbu == expected["kategori_tbu"]
        assert measurement.sumber == Pengukuran.Sumber.IMPOR and measurement.batch_id is not None


def test_reimporting_the_same_file_adds_and_changes_nothing(eppgbm_file):
    path = eppgbm_file(bad_rows())
    services.import_file(path, user=SYSTEM)
    before = list(Pengukuran.objects.order_by("id").values_list("id", "diubah", "zs_tbu", "naik_bb"))
    children_before = list(Anak.objects.order_by("id").values_list("id", "diubah"))

    batch, _ = services.import_file(path, user=SYSTEM)

    assert (batch.anak_baru, batch.anak_cocok, batch.pengukuran_baru, batch.pengukuran_diubah) == (0, 3, 0, 0)
    assert list(Pengukuran.objects.order_by("id").values_list("id", "diubah", "zs_tbu", "naik_bb")) == before
    assert list(Anak.objects.order_by("id").values_list("id", "diubah")) == children_before


def test_a_later_export_updates_and_adds(eppgbm_file):
    rows = bad_rows()[:5]
    services.import_file(eppgbm_file(rows, name="januari.xlsx"), user=SYSTEM)
    later = [dict(r) for r in rows]
    later[0]["Berat"] = 9.1  # corrected weight of 5 Jan
    later[2]["Posyandu"] = "Mawar"  # Bima moved posyandu in the newer export
    later.append(row(**{"Tanggal Pengukuran": "2025-03-03", "Berat": 9.6, "Tinggi": 75.9}))
    later.append(row(NIK="", Nama="Bima Saputra", JK="L", **{"Tgl Lahir": "15/06/2023", "Nama Ortu": "dwi  lestari",
                 "Desa/Kel": "Banaran", "Posyandu": "Mawar", "Tanggal Pengukuran": "2025-02-15", "Berat": 10.6,
                 "Tinggi": 81.0, "Cara Ukur": "Berdiri"}))

    batch, _ = services.import_file(eppgbm_file(later, name="maret.xlsx"), user=SYSTEM)

    assert (batch.anak_baru, batch.anak_cocok, batch.pengukuran_baru, batch.pengukuran_diubah) == (0, 3, 2, 2)
    aisyah = Anak.objects.get(nik="3571034101240001")
    weights = dict(aisyah.pengukuran.values_list("tanggal", "berat"))
    assert float(weights[datetime.date(2025, 1, 5)]) == 9.1
    assert len(weights) == 3
    bima = Anak.objects.get(nama="Bima Saputra")  # matched by name + birth date + mother, ignoring case/spaces
    assert bima.pengukuran.count() == 2
    assert bima.posyandu.nama == "Mawar"


def test_weight_trend_of_imported_rows_follows_the_kbm_rule(eppgbm_file):
    services.import_file(eppgbm_file(bad_rows()[:5]), user=SYSTEM)
    aisyah = Anak.objects.get(nik="3571034101240001")
    first, second = aisyah.pengukuran.order_by("tanggal")
    assert first.naik_bb == ""  # no weighing the month before
    # 8.9 -> 9.2 kg at 13 months: +300 g >= KBM 200 g
    assert second.naik_bb == "N"


def test_dry_run_changes_nothing_and_counts_like_the_import(eppgbm_file, capsys):
    path = eppgbm_file(bad_rows())
    call_command("import_eppgbm", str(path), "--dry-run")
    dry = capsys.readouterr().out.splitlines()
    assert Anak.objects.count() == 0 and Pengukuran.objects.count() == 0 and ImporBatch.objects.count() == 0
    assert dry[0] == "rows=12 children_new=3 children_matched=0 measurements_new=5 measurements_updated=0 errors=7"
    assert any(line.startswith("baris 7, kolom NIK") and "16 angka" in line for line in dry[1:])
    assert len(dry) - 1 >= 7

    call_command("import_eppgbm", str(path))
    real = capsys.readouterr().out.splitlines()
    assert real[0] == dry[0]
    assert real[1:] == dry[1:]
    call_command("import_eppgbm", str(path))
    assert capsys.readouterr().out.splitlines()[0] == (
        "rows=12 children_new=0 children_matched=3 measurements_new=0 measurements_updated=0 errors=7")


def test_command_reports_a_missing_column(eppgbm_file):
    path = eppgbm_file([row()], columns=["NIK", "Nama", "JK", "Tgl Lahir", "Desa/Kel", "Tanggal Pengukuran", "Berat"])
    with pytest.raises(CommandError, match="Kolom wajib tidak ditemukan: Tinggi"):
        call_command("import_eppgbm", str(path), "--dry-run")


def test_headers_match_ignoring_case_spaces_punctuation_and_title_rows(eppgbm_file):
    columns = ["nik", "NAMA", "jk", "TGL. LAHIR", "nama ortu", "DESA / KEL", "posyandu", "usia saat ukur",
               "Tanggal  Pengukuran", "BERAT", "tinggi", "cara_ukur", "Kolom Baru MBG"]
    source = row()
    rows = [{c: source.get({"nik": "NIK", "NAMA": "Nama", "jk": "JK", "TGL. LAHIR": "Tgl Lahir",
                            "nama ortu": "Nama Ortu", "DESA / KEL": "Desa/Kel", "posyandu": "Posyandu",
                            "usia saat ukur": "Usia Saat Ukur", "Tanggal  Pengukuran": "Tanggal Pengukuran",
                            "BERAT": "Berat", "tinggi": "Tinggi", "cara_ukur": "Cara Ukur"}.get(c, c), "ya")
             for c in columns}]
    path = eppgbm_file(rows, name="judul.csv", columns=columns, title_rows=2, separator=";")
    sheet = reading.read(path)
    assert list(sheet.frame["_baris"]) == [4]  # title rows, header on row 3
    plan = services.import_file(path, dry_run=True, user=SYSTEM)[1]
    assert plan.counts()["pengukuran_baru"] == 1 and plan.error_rows == 0


def test_xlsx_with_title_rows(eppgbm_file):
    path = eppgbm_file([row(), row(NIK="12")], title_rows=3)
    plan = services.import_file(path, dry_run=True, user=SYSTEM)[1]
    assert plan.errors["baris"].tolist() == [6]  # 3 title rows, header row 4, data from row 5


def test_operator_wilayah_imports_only_its_area(eppgbm_file, users):
    rows = [row(), row(NIK="3571020101240002", Nama="Di Kota", **{"Desa/Kel": "Balowerti", "Kec": "Kota"})]
    batch, _ = services.import_file(eppgbm_file(rows), user=users["wilayah"])
    assert batch.baris_galat == 1
    assert batch.galat.get().pesan == "Kelurahan Balowerti di luar wilayah kerja Anda."
    assert list(Anak.objects.values_list("nama", flat=True)) == ["Aisyah Putri"]


def test_same_nik_with_another_birth_date_is_an_error(eppgbm_file):
    rows = [row(), row(**{"Tgl Lahir": "02/02/2024", "Tanggal Pengukuran": "2025-02-05"})]
    plan = services.import_file(eppgbm_file(rows), dry_run=True, user=SYSTEM)[1]
    assert plan.errors["baris"].tolist() == [2]
    assert "tanggal lahir atau jenis kelamin berbeda" in plan.errors["pesan"].iloc[0]


def test_existing_child_without_nik_is_matched_by_name_birth_date_and_mother(eppgbm_file):
    child = make_anak(nama="AISYAH  PUTRI", nik=None, tanggal_lahir=datetime.date(2024, 1, 1), nama_ibu="siti rahayu")
    batch, _ = services.import_file(eppgbm_file([row()]), user=SYSTEM)
    assert (batch.anak_baru, batch.anak_cocok) == (0, 1)
    child.refresh_from_db()
    assert child.nik == "3571034101240001"  # the NIK from e-PPGBM fills the gap


def test_preview_then_import_through_the_services(eppgbm_file, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = eppgbm_file(bad_rows())
    upload = SimpleUploadedFile("eppgbm-jan.xlsx", path.read_bytes())
    batch = services.start_import(upload, users["operator"])
    batch = services.check_import(batch)
    assert batch.status == ImporBatch.Status.MENUNGGU
    assert (batch.baris_galat, batch.pengukuran_baru) == (7, 5)
    assert Pengukuran.objects.count() == 0  # the preview stores nothing but the errors
    assert batch.galat.count() >= 7
    services.confirm_import(batch, users["operator"], posyandu_dikonfirmasi=True)
    batch = services.run_import(ImporBatch.objects.get(pk=batch.pk))
    assert batch.status == ImporBatch.Status.SELESAI
    assert Pengukuran.objects.count() == 5
    assert set(Pengukuran.objects.values_list("dicatat_oleh", flat=True)) == {users["operator"].pk}


def test_cancelled_preview_stores_nothing(eppgbm_file, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.xlsx", eppgbm_file(bad_rows()).read_bytes())
    batch = services.check_import(services.start_import(upload, users["admin"]))
    services.cancel_import(batch, users["admin"])
    batch.refresh_from_db()
    assert batch.status == ImporBatch.Status.DIBATALKAN
    with pytest.raises(services.BalitaError):
        services.confirm_import(batch, users["admin"])
    assert Anak.objects.count() == 0


def test_unreadable_file_fails_the_batch_with_a_message(tmp_path, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("kosong.csv", b"a,b,c\n1,2,3\n")
    batch = services.check_import(services.start_import(upload, users["admin"]))
    assert batch.status == ImporBatch.Status.GAGAL
    assert "Baris judul kolom tidak ditemukan" in batch.pesan_galat


def test_errors_are_downloadable_as_xlsx(eppgbm_file, client_for, users, tmp_path):
    batch, _ = services.import_file(eppgbm_file(bad_rows()), user=users["operator"])
    response = client_for(users["operator"]).get(f"/balita/impor/{batch.pk}/galat.xlsx")
    assert response.status_code == 200
    (tmp_path / "galat.xlsx").write_bytes(response.content)
    sheet = openpyxl.load_workbook(tmp_path / "galat.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Baris", "NIK", "Nama anak", "Kolom", "Nilai di berkas", "Masalah")
    assert len(rows) - 1 == batch.galat.count()
    # The child's NIK and name as in the file, so the operator finds the record in e-PPGBM.
    assert (7, "35710312345", "Salah NIK", "NIK", "35710312345", "NIK harus 16 angka.") in rows
    assert (10, "3571030101240079", "Berat Gram") == rows[[r[0] for r in rows].index(10)][:3]


def test_posyandu_names_match_tolerantly(eppgbm_file):
    make_posyandu("Pesantren", "Melati Indah")
    plan = services.import_file(eppgbm_file([row(Posyandu="POSYANDU MELATI  INDAH")]), dry_run=True, user=SYSTEM)[1]
    assert plan.new_posyandu == {}


def test_exported_text_never_becomes_a_formula(tmp_path):
    from tpps import xlsx

    path = tmp_path / "x.xlsx"
    xlsx.write_table(path, ["Nama"], [["=HYPERLINK(\"http://contoh\",\"klik\")"]])
    cell = openpyxl.load_workbook(path).active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
