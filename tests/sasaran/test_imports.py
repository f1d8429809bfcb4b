"""sasaran's imports on real files: loose headers under a title block, errors by row and column in
Indonesian, nothing of a bad row stored, the same file twice changes nothing, the area rule, KRS
rows matched to GENTING's families."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from sasaran import services
from sasaran.models import Catin, ImporSasaran, KeluargaKrs, TtdRemajaPutri
from tests.genting.conftest import make_keluarga
from tests.sasaran.helpers import csv_upload, kelurahan, xlsx_upload
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db

# Headers spelled as a clerk might: other case, spaces, punctuation and aliases.
CATIN_HEADERS = ["No KTP", "NAMA LENGKAP", "L/P", "Tgl. Lahir", "Desa/Kel", "Tgl Periksa", "BB", "TB", "LILA", "Kadar HB",
                 "Terpapar Rokok", "Kolom Lain"]


def catin_rows():
    return [
        ["3571030101000001", "Dewi Lestari", "P", "01/01/2000", "Kel. Pesantren", "05/03/2025", "52", "155", "25", "12,5", "Tidak", "x"],
        ["3571030101000002", "Rina Wahyuni", "P", "2007-02-01", "BANJARMLATI", "2025-03-06", "41", "150", "22", "11", "Ya", ""],
        ["3571030101000003", "Agus Pratama", "L", "01/01/1995", "Betet", "06/03/2025", "65", "168", "", "14", "", ""],
        ["12345", "NIK Pendek", "P", "01/01/2000", "Pesantren", "05/03/2025", "50", "155", "", "", "", ""],      # row 8
        ["3571030101000005", "Kota Lain", "P", "01/01/2000", "Atlantis", "05/03/2025", "50", "155", "", "", "", ""],  # 9
        ["3571030101000006", "Berat Gram", "P", "01/01/2000", "Pesantren", "05/03/2025", "52000", "155", "", "", "", ""],  # 10
        ["3571030101000007", "Rokok Aneh", "P", "01/01/2000", "Pesantren", "31/02/2025", "52", "155", "", "", "kadang", ""],  # 11
        ["3571030101000001", "Dewi Lestari", "P", "01/01/2000", "Pesantren", "05/03/2025", "53", "155", "", "", "", ""],  # 12
    ]


def upload_catin(user=SYSTEM, rows=None, name="elsimil.xlsx"):
    file = xlsx_upload(CATIN_HEADERS, rows or catin_rows(), name=name,
                       preamble=["Data catin Elsimil Kota Kediri", "Maret 2025"])
    return services.upload("catin", file, user)


def test_preview_counts_errors_by_row_and_column_and_stores_nothing():
    batch = upload_catin()
    assert batch.status == ImporSasaran.Status.PRATINJAU
    assert Catin.objects.count() == 0  # a preview writes nothing
    r = batch.ringkasan
    assert (r["baris"], r["baru"], r["diubah"], r["sama"], r["baris_galat"]) == (8, 3, 0, 0, 5)
    errors = {(e["baris"], e["kolom"]): e["pesan"] for e in batch.galat}
    assert errors[(8, "No KTP")] == "NIK harus 16 angka."
    assert errors[(9, "Desa/Kel")] == "Kelurahan \u201cAtlantis\u201d tidak ada di Kota Kediri."
    assert "tidak mungkin" in errors[(10, "BB")]
    assert "tidak terbaca" in errors[(11, "Tgl Periksa")]
    assert errors[(11, "Terpapar Rokok")] == "Terpapar asap rokok harus Ya atau Tidak (Y/T, 1/0)."
    assert errors[(12, "No KTP")] == "Data yang sama sudah ada di baris 5 berkas ini."


def test_confirm_writes_valid_rows_once_and_again_changes_nothing():
    services.confirm(upload_catin(), SYSTEM)
    stored = {c.nama: c for c in Catin.objects.all()}
    assert set(stored) == {"Dewi Lestari", "Rina Wahyuni", "Agus Pratama"}
    rina = stored["Rina Wahyuni"]
    assert rina.kelurahan == kelurahan("Banjar Mlati")
    assert (rina.kurus, rina.kek, rina.anemia, rina.usia_berisiko, rina.berisiko) == (True, True, True, True, True)
    assert stored["Dewi Lestari"].berisiko is False and stored["Agus Pratama"].lila is None
    before = list(Catin.objects.order_by("id").values_list("id", "diubah"))

    again = services.confirm(upload_catin(), SYSTEM)
    assert (again.ringkasan["baru"], again.ringkasan["diubah"], again.ringkasan["sama"]) == (0, 0, 3)
    assert list(Catin.objects.order_by("id").values_list("id", "diubah")) == before

    changed = catin_rows()[:1]
    changed[0][6] = "44"  # thinner now: 44 / 1,55² = 18,3
    later = services.confirm(upload_catin(rows=changed), SYSTEM)
    assert later.ringkasan["diubah"] == 1
    dewi = Catin.objects.get(nama="Dewi Lestari")
    assert dewi.berat == 44 and dewi.kurus is True and dewi.berisiko is True


def test_a_confirmed_or_cancelled_import_cannot_run_again():
    batch = services.confirm(upload_catin(), SYSTEM)
    with pytest.raises(services.SasaranError):
        services.confirm(batch, SYSTEM)
    other = upload_catin()
    services.cancel(other, SYSTEM)
    with pytest.raises(services.SasaranError):
        services.confirm(other, SYSTEM)
    assert Catin.objects.count() == 3


def test_an_operator_wilayah_writes_only_its_area(users):
    batch = upload_catin(users["wilayah"])  # Puskesmas Pesantren I: Pesantren, not Betet or Banjar Mlati
    errors = {(e["baris"], e["kolom"]): e["pesan"] for e in batch.galat}
    assert errors[(6, "Desa/Kel")] == "Kelurahan Banjar Mlati di luar wilayah kerja Anda."
    assert errors[(7, "Desa/Kel")] == "Kelurahan Betet di luar wilayah kerja Anda."
    services.confirm(batch, users["wilayah"])
    assert list(Catin.objects.values_list("nama", flat=True)) == ["Dewi Lestari"]
    with pytest.raises(PermissionDenied):
        services.confirm(upload_catin(users["admin"]), users["wilayah"])  # not theirs
    with pytest.raises(PermissionDenied):
        upload_catin(users["pimpinan"])


def test_missing_columns_and_a_renamed_file_are_refused():
    with pytest.raises(services.SasaranError, match="Baris judul kolom tidak ditemukan"):
        services.upload("catin", xlsx_upload(["Nama", "Alamat"], [["A", "B"]]), SYSTEM)


def test_ttd_import_from_csv_with_month_names_and_impossible_counts():
    lines = ["Nama Sekolah;Desa/Kel;Tahun;Bulan;Siswi;Mendapat TTD;Mengonsumsi TTD",
             "SMPN 1 Kediri;Pakelan;2025;Maret;200;190;150",
             "SMP N 1 KEDIRI;Pakelan;2025;4;200;180;170",
             "SMPN 2;Pakelan;2025;3;100;120;90",
             "SMPN 3;Pakelan;2025;3;100;90;95"]
    batch = services.upload("remaja", csv_upload(lines), SYSTEM)
    errors = {(e["baris"], e["kolom"]): e["pesan"] for e in batch.galat}
    assert errors[(4, "Mendapat TTD")] == "Remaja putri diberi TTD lebih banyak dari jumlah remaja putri."
    assert errors[(5, "Mengonsumsi TTD")] == "Remaja putri minum TTD lebih banyak dari yang diberi TTD."
    services.confirm(batch, SYSTEM)
    rows = list(TtdRemajaPutri.objects.order_by("bulan").values_list("bulan", "kunci_sekolah", "minum_ttd"))
    assert rows == [(3, "smpn 1 kediri", 150), (4, "smp n 1 kediri", 170)]
    again = services.confirm(services.upload("remaja", csv_upload(lines), SYSTEM), SYSTEM)
    assert again.ringkasan["sama"] == 2 and TtdRemajaPutri.objects.count() == 2


KRS_HEADERS = ["Tahun", "Nama KK", "NIK KK", "Nama Istri", "Kelurahan", "Jumlah Jiwa", "Air Minum Tidak Layak",
               "Jamban Tidak Layak", "PUS", "Unmet Need", "Ada Baduta"]


def test_krs_import_matches_genting_families_by_nik_then_name():
    by_nik = make_keluarga("Betet", kepala="Sutrisno Hadi", nik_kepala="3571031212800001")
    by_name = make_keluarga("Betet", kepala="Joko  Susilo")
    make_keluarga("Pesantren", kepala="Beda Kelurahan")
    rows = [
        [2025, "Nama Lain Di BKKBN", "3571031212800001", "Sri", "Betet", 4, "Ya", "Tidak", "Ya", "Ya", "Y"],
        [2025, "JOKO SUSILO", "", "Tini", "Betet", 3, "T", "T", "Y", "T", "T"],
        [2025, "Beda Kelurahan", "", "", "Betet", 5, "", "", "Tidak", "", ""],
        [2025, "Salah PUS", "", "", "Betet", 5, "", "", "Tidak", "Ya", ""],  # row 5: unmet need without PUS
        [2025, "Tanpa PUS", "", "", "Betet", 2, "", "", "", "Ya", ""],      # row 6: PUS left empty
    ]
    batch = services.upload("krs", xlsx_upload(KRS_HEADERS, rows), SYSTEM)
    assert [(e["baris"], e["kolom"]) for e in batch.galat] == [(5, "Unmet Need")]
    services.confirm(batch, SYSTEM)
    stored = {k.kepala_keluarga: k for k in KeluargaKrs.objects.all()}
    assert (stored["Nama Lain Di BKKBN"].keluarga_genting_id, stored["Nama Lain Di BKKBN"].cocok) == (by_nik.pk, "nik")
    assert (stored["JOKO SUSILO"].keluarga_genting_id, stored["JOKO SUSILO"].cocok) == (by_name.pk, "nama")
    assert stored["Beda Kelurahan"].keluarga_genting_id is None  # same name, another kelurahan
    assert stored["Tanpa PUS"].pus is True and stored["Tanpa PUS"].unmet_need is True
    assert stored["Nama Lain Di BKKBN"].tanpa_air_minum_layak and stored["Nama Lain Di BKKBN"].ada_baduta
    again = services.confirm(services.upload("krs", xlsx_upload(KRS_HEADERS, rows), SYSTEM), SYSTEM)
    assert again.ringkasan["sama"] == 4 and KeluargaKrs.objects.count() == 4


def test_krs_is_written_only_by_the_secretariat(users):
    with pytest.raises(PermissionDenied):
        services.upload("krs", xlsx_upload(KRS_HEADERS, [[2025, "A", "", "", "Pesantren", 3, "", "", "", "", ""]]),
                        users["wilayah"])
    with pytest.raises(PermissionDenied):
        services.upload("krs", xlsx_upload(KRS_HEADERS, [[2025, "A", "", "", "Pesantren", 3, "", "", "", "", ""]]),
                        users["opd"])
    batch = services.upload("krs", xlsx_upload(KRS_HEADERS, [[2025, "A", "", "", "Pesantren", 3, "", "", "", "", ""]]),
                            users["operator"])
    assert batch.ringkasan["baru"] == 1


def test_a_future_screening_date_is_an_error():
    rows = catin_rows()[:1]
    rows[0][5] = (datetime.date.today() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    batch = upload_catin(rows=rows)
    assert batch.galat[0]["pesan"] == "Tanggal pemeriksaan di masa depan." and batch.ringkasan["baru"] == 0


def test_a_row_stored_in_another_area_is_not_changed_from_outside(users):
    rows = catin_rows()[:1]
    rows[0][4] = "Betet"
    services.confirm(upload_catin(users["admin"], rows=rows), users["admin"])  # Dewi, screened in Betet
    rows[0][4] = "Pesantren"
    rows[0][6] = "40"
    batch = upload_catin(users["wilayah"], rows=rows)  # the same NIK and date, now claimed for Pesantren
    assert batch.ringkasan["baru"] == 0 and batch.ringkasan["diubah"] == 0
    assert "di luar wilayah kerja Anda" in batch.galat[0]["pesan"] and batch.galat[0]["baris"] == 5
    services.confirm(batch, users["wilayah"])
    stored = Catin.objects.get()
    assert (stored.kelurahan.nama, stored.berat) == ("Betet", 52)
