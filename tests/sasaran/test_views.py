"""sasaran's pages as each role: scope, masked names and NIK, the entry forms (Indonesian errors,
one-time token), the import pages, the template download, and the figures on the pages checked
against counts made in the test."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from sasaran.models import Catin, KeluargaKrs, TtdRemajaPutri
from tests.sasaran.helpers import catin, kelurahan, ttd
from tpps.models import AksesData

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_areas():
    inside = catin("Pesantren", nik="3571030101000001", nama="Dewi Pesantren", lila="22")
    outside = catin("Betet", nik="3571030101000002", nama="Rina Betet")
    for name in ("Pesantren", "Betet"):
        KeluargaKrs.objects.create(tahun=2025, kepala_keluarga=f"Kepala {name}", kunci=f"nama:kepala {name}", pus=True,
                                   unmet_need=name == "Betet", kelurahan=kelurahan(name))
    return inside, outside


def test_catin_list_scope_and_masking_per_role(client_for, users, two_areas):
    inside, outside = two_areas
    for role, visible, names in (("admin", {inside, outside}, True), ("operator", {inside, outside}, True),
                                 ("wilayah", {inside}, True), ("pimpinan", {inside, outside}, False),
                                 ("opd", {inside, outside}, False)):  # the opd fixture is Dinkes
        response = client_for(users[role]).get(reverse("sasaran:catin"))
        assert response.status_code == 200, role
        assert {c.pk for c in response.context["page"].object_list} == {c.pk for c in visible}, role
        html = response.content.decode()
        assert ("Dewi Pesantren" in html) == names, role
        assert ("3571030101000001" in html) == names, role
        if not names:
            assert "D*** P***" in html and "3571 •••• •••• ••••" in html
    assert client_for(users["outsider"]).get(reverse("sasaran:catin")).status_code == 403
    assert AksesData.objects.filter(keterangan="Daftar catin").exists()


def test_pimpinan_cannot_search_by_name(client_for, users, two_areas):
    response = client_for(users["pimpinan"]).get(reverse("sasaran:catin"), {"q": "Dewi"})
    assert len(response.context["page"].object_list) == 2  # the search is ignored, not a way to find people


def test_htmx_search_answers_the_rows_partial(client_for, users, two_areas):
    response = client_for(users["admin"]).get(reverse("sasaran:catin"), {"q": "Dewi"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "Dewi Pesantren" in html and "Rina Betet" not in html


def test_catin_form_stores_once_with_risk_and_refuses_bad_input(client_for, users):
    client = client_for(users["wilayah"])
    page = client.get(reverse("sasaran:catin_baru"))
    token = page.context["form"]["kiriman"].value()
    data = {"nik": "3571030101000009", "nama": "Sari", "jenis_kelamin": "P", "tanggal_lahir": "2008-01-01",
            "kelurahan": kelurahan("Pesantren").pk, "tanggal_periksa": "2025-03-05", "berat": "45", "tinggi": "150",
            "lila": "22,5", "hb": "11,5", "terpapar_rokok": "ya", "kiriman": str(token)}
    assert client.post(reverse("sasaran:catin_baru"), data).status_code == 302
    assert client.post(reverse("sasaran:catin_baru"), data).status_code == 302  # the same post again
    saved = Catin.objects.get()
    assert (saved.kek, saved.anemia, saved.usia_berisiko, saved.berisiko) == (True, True, True, True)
    bad = client.post(reverse("sasaran:catin_baru"), {**data, "nik": "123", "berat": "abc", "kiriman": "",
                                                      "kelurahan": kelurahan("Betet").pk})
    errors = bad.context["form"].errors
    assert errors["nik"] == ["NIK harus 16 angka."]
    assert errors["berat"] == ["Berat badan harus berupa angka, mis. 48,5."]
    assert errors["kelurahan"] == ["Kelurahan di luar wilayah kerja Anda."]
    assert Catin.objects.count() == 1
    assert client_for(users["pimpinan"]).get(reverse("sasaran:catin_baru")).status_code == 403


def test_ttd_page_coverage_equals_counts_made_here(client_for, users):
    ttd("Pesantren", sekolah="SMP A", bulan=1, jumlah=100, diberi=90, minum=60)
    ttd("Pesantren", sekolah="SMP A", bulan=3, jumlah=100, diberi=95, minum=80)   # latest month of Q1 counts
    ttd("Betet", sekolah="SMP B", bulan=2, jumlah=50, diberi=50, minum=20)
    ttd("Betet", sekolah="SMP B", bulan=4, jumlah=50, diberi=50, minum=45)        # outside Q1
    response = client_for(users["operator"]).get(reverse("sasaran:remaja"), {"tahun": 2025, "periode": "t1"})
    total = response.context["total"]
    assert (total.sekolah, total.jumlah_siswi, total.minum_ttd) == (2, 150, 100)
    assert total.persen_minum == round(100 * 100 / 150, 2)
    assert "66,67%" in response.content.decode() or "66,7%" in response.content.decode()
    mine = client_for(users["wilayah"]).get(reverse("sasaran:remaja"), {"tahun": 2025, "periode": "t1"}).context["total"]
    assert (mine.jumlah_siswi, mine.minum_ttd) == (100, 80)


def test_krs_page_scope_masking_and_unmet_need(client_for, users, two_areas):
    admin = client_for(users["admin"]).get(reverse("sasaran:krs"))
    assert admin.context["total"].pus == 2 and admin.context["total"].unmet_need == 1
    assert admin.context["total"].persen_unmet_need == 50.0
    wilayah = client_for(users["wilayah"]).get(reverse("sasaran:krs"))
    assert [f.kepala_keluarga for f in wilayah.context["page"].object_list] == ["Kepala Pesantren"]
    assert wilayah.context["total"].unmet_need == 0
    pimpinan = client_for(users["pimpinan"]).get(reverse("sasaran:krs")).content.decode()
    assert "Kepala Pesantren" not in pimpinan and "K*** P***" in pimpinan
    assert client_for(users["opd"]).get(reverse("sasaran:krs")).status_code == 403


def test_summary_page_per_kelurahan(client_for, users, two_areas):
    response = client_for(users["admin"]).get(reverse("sasaran:index"), {"tahun": 2025, "periode": "th"})
    assert response.status_code == 200
    by_name = {k.nama: a for k, a in response.context["catin"]}
    assert by_name["Pesantren"].kek == 1 and by_name["Betet"].kek == 0
    assert response.context["catin_total"].terdaftar == 2


def test_template_download_is_a_real_workbook_with_our_headers(client_for, users):
    for jenis, first in (("catin", "NIK"), ("remaja", "Sekolah"), ("krs", "Tahun Data")):
        response = client_for(users["operator"]).get(reverse("sasaran:templat", args=[jenis]))
        rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
        assert rows[0][0] == first and len(rows) == 2


def test_import_pages_preview_then_confirm(client_for, users):
    client = client_for(users["operator"])
    template = client.get(reverse("sasaran:templat", args=["remaja"])).content
    upload = SimpleUploadedFile("ttd.xlsx", template)
    response = client.post(reverse("sasaran:impor", args=["remaja"]), {"berkas": upload})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.context["ringkasan"]["baru"] == 1 and TtdRemajaPutri.objects.count() == 0
    client.post(reverse("sasaran:impor_simpan", args=[detail.context["batch"].pk]))
    assert TtdRemajaPutri.objects.get().sekolah == "SMP Negeri 1 Kediri"
    renamed = client.post(reverse("sasaran:impor", args=["remaja"]),
                          {"berkas": SimpleUploadedFile("ttd.xlsx", b"%PDF-1.4 not a workbook")})
    assert renamed.status_code == 422 and "bukan" in renamed.content.decode()
    assert client_for(users["wilayah"]).get(detail.request["PATH_INFO"]).status_code == 404  # not their import


def test_dates_are_indonesian_on_the_list(client_for, users):
    catin("Pesantren", tanggal_periksa=datetime.date(2025, 5, 24))
    html = client_for(users["admin"]).get(reverse("sasaran:catin")).content.decode()
    assert "24 Mei 2025" in html
