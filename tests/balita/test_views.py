"""Every balita screen as each role: who may open it, what they see (scope, masking), and that
the figures on the pages match counts computed here from the rows."""

import datetime
import io
import re

from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from balita.growth import categories, engine
from balita.models import Anak, Pengukuran
from tests.balita.conftest import make_anak, measure
from tpps.audit import UNDUH
from tpps.models import AksesData

pytestmark = pytest.mark.django_db

# Fixture users holding tpps.roles.CHILD_READERS and DATA_EDITORS.
CHILD_READER_USERS = ["admin", "operator", "wilayah", "pimpinan"]
DATA_EDITOR_USERS = ["admin", "operator", "wilayah"]
BORN = datetime.date(2023, 1, 10)


@pytest.fixture
def children():
    """Two children in Pesantren (Puskesmas Pesantren I's area) and two in Betet, some stunted."""
    made = {}
    specs = [
        ("pesantren_normal", "Pesantren", "Aisyah Putri", "3571034101230001", [(datetime.date(2025, 1, 5), 11.0, 86.0)]),
        ("pesantren_pendek", "Pesantren", "Nayla Kirana", "3571035001230002",
         [(datetime.date(2024, 12, 5), 10.8, 84.0), (datetime.date(2025, 1, 5), 11.0, 79.0)]),
        ("betet_sangat", "Betet", "Zahra Amira", "3571037001230003", [(datetime.date(2025, 1, 6), 11.0, 76.0)]),
        ("betet_normal", "Betet", "Citra Dewi", "3571034401230004", [(datetime.date(2025, 1, 6), 11.0, 87.0)]),
    ]
    for key, area, name, nik, visits in specs:
        child = make_anak(area, nama=name, nik=nik, tanggal_lahir=BORN)
        for day, weight, height in visits:
            measure(child, day, berat=weight, tinggi=height, cara_ukur="terlentang")
        made[key] = child
    return made


def names_in(html):
    return set(re.findall(r'<a href="/balita/anak/\d+/">([^<]+)</a>', html))


# --- register --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["opd", "outsider"])
def test_register_refuses_roles_without_access_to_children(client_for, users, role, children):
    client = client_for(users[role])
    for name in ("index", "anak_export", "stunting"):
        assert client.get(reverse(f"balita:{name}")).status_code == 403


def test_register_scope_and_masking_per_role(client_for, users, children):
    for role in CHILD_READER_USERS:
        html = client_for(users[role]).get(reverse("balita:index")).content.decode()
        if role == "wilayah":
            assert names_in(html) == {"Aisyah Putri", "Nayla Kirana"}
        elif role == "pimpinan":
            assert names_in(html) == {"A*** P***", "N*** K***", "Z*** A***", "C*** D***"}
            assert "3571034101230001" not in html and "3571 •••• •••• ••••" in html
            assert 'id="q"' not in html  # no searching names for a role that may not see them
        else:
            assert names_in(html) == {"Aisyah Putri", "Nayla Kirana", "Zahra Amira", "Citra Dewi"}
            assert "3571034101230001" in html


def test_register_search_as_you_type_returns_the_partial(client_for, users, children):
    client = client_for(users["operator"])
    response = client.get(reverse("balita:index"), {"q": "nayla"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="tabel-anak"' in html
    assert names_in(html) == {"Nayla Kirana"}
    by_nik = client.get(reverse("balita:index"), {"q": "3571037001"}, HTTP_HX_REQUEST="true").content.decode()
    assert names_in(by_nik) == {"Zahra Amira"}
    # Pimpinan's search parameter is ignored (names may not be probed).
    sekda = client_for(users["pimpinan"]).get(reverse("balita:index"), {"q": "nayla"}).content.decode()
    assert len(names_in(sekda)) == 4


def test_register_filters_and_sorting(client_for, users, children):
    client = client_for(users["admin"])
    stunted = {a.nama for a in Anak.objects.all()
               if a.pengukuran.order_by("-tanggal").first().kategori_tbu in categories.STUNTED}
    html = client.get(reverse("balita:index"), {"kategori": "stunting"}).content.decode()
    assert names_in(html) == stunted and len(stunted) == 2
    betet = Anak.objects.filter(kelurahan__nama="Betet").first().kelurahan_id
    assert names_in(client.get(reverse("balita:index"), {"kelurahan": betet}).content.decode()) == {"Zahra Amira", "Citra Dewi"}
    assert names_in(client.get(reverse("balita:index"), {"umur": "0-5"}).content.decode()) == set()
    ordered = client.get(reverse("balita:index"), {"sort": "zs"}).content.decode()
    order = re.findall(r'<a href="/balita/anak/\d+/">([^<]+)</a>', ordered)
    by_z = sorted(Anak.objects.all(), key=lambda a: a.pengukuran.order_by("-tanggal").first().zs_tbu)
    assert order == [a.nama for a in by_z]


def test_register_export_follows_filters_scope_and_masking(client_for, users, children):
    def sheet(role, **params):
        response = client_for(users[role]).get(reverse("balita:anak_export"), params)
        assert response.status_code == 200
        return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))

    rows = sheet("operator", kategori="stunting")
    assert rows[0][:3] == ("No", "NIK", "Nama")
    assert {r[2] for r in rows[1:]} == {"Nayla Kirana", "Zahra Amira"}
    assert {r[1] for r in rows[1:]} == {"3571035001230002", "3571037001230003"}
    assert {r[2] for r in sheet("wilayah")[1:]} == {"Aisyah Putri", "Nayla Kirana"}
    masked = sheet("pimpinan")[1:]
    assert {r[2] for r in masked} == {"A*** P***", "N*** K***", "Z*** A***", "C*** D***"}
    assert all(r[1] == "3571 •••• •••• ••••" for r in masked)


# --- child page --------------------------------------------------------------------------------


def test_child_page_per_role(client_for, users, children):
    child = children["pesantren_pendek"]
    url = reverse("balita:anak_detail", args=[child.pk])
    for role in CHILD_READER_USERS:
        response = client_for(users[role]).get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert ("Nayla Kirana" in html) == (role != "pimpinan")
        assert ("Siti Rahayu" in html) == (role != "pimpinan")  # mother's name is personal data
        assert ("+ Catat pengukuran" in html) == (role in DATA_EDITOR_USERS)
        assert html.count("<tr") - 1 >= child.pengukuran.count()
    assert client_for(users["opd"]).get(url).status_code == 403
    other = reverse("balita:anak_detail", args=[children["betet_normal"].pk])
    assert client_for(users["wilayah"]).get(other).status_code == 404


def test_child_page_charts_carry_the_measurements_and_who_curves(client_for, users, children):
    child = children["pesantren_pendek"]
    response = client_for(users["operator"]).get(reverse("balita:anak_detail", args=[child.pk]))
    figure = response.context["chart_tbu"]
    assert [t["name"] for t in figure["data"]] == ["+3 SD", "+2 SD", "Median", "−2 SD", "−3 SD", "Anak"]
    points = figure["data"][-1]
    assert points["y"] == [float(m.tinggi) for m in child.pengukuran.order_by("tanggal")]
    # Zoomed to the child's own ages, the WHO lines cut to that window.
    low, high = figure["layout"]["xaxis"]["range"]
    assert low <= min(points["x"]) and max(points["x"]) <= high and high - low < 60
    curves = engine.reference_curves("tbu", "P", step=7)
    shown = curves[(curves["age_months"] >= low - 0.25) & (curves["age_months"] <= high + 0.25)]
    assert figure["data"][2]["y"] == [round(v, 2) for v in shown["sd0"].tolist()]
    html = response.content.decode()
    assert "vendor/plotly/plotly-basic.min.js" in html and 'id="data-grafik-tbu"' in html


# --- measurement entry ------------------------------------------------------------------------


def test_measurement_form_per_role(client_for, users, children):
    mine = reverse("balita:pengukuran_baru", args=[children["pesantren_normal"].pk])
    theirs = reverse("balita:pengukuran_baru", args=[children["betet_normal"].pk])
    for role in DATA_EDITOR_USERS:
        assert client_for(users[role]).get(mine).status_code == 200
    assert client_for(users["wilayah"]).get(theirs).status_code == 404
    assert client_for(users["pimpinan"]).get(mine).status_code == 403
    assert client_for(users["opd"]).get(mine).status_code == 403


def test_entering_a_measurement(client_for, users, children):
    child = children["pesantren_normal"]
    client = client_for(users["wilayah"])
    response = client.post(reverse("balita:pengukuran_baru", args=[child.pk]),
                           {"tanggal": "2025-02-05", "berat": "11,3", "tinggi": "86.9", "cara_ukur": "terlentang"})
    assert response.status_code == 302 and response["Location"] == reverse("balita:anak_detail", args=[child.pk])
    stored = child.pengukuran.get(tanggal=datetime.date(2025, 2, 5))
    assert float(stored.berat) == 11.3 and float(stored.tinggi) == 86.9
    assert stored.dicatat_oleh == users["wilayah"]


def test_measurement_validation_messages_in_indonesian(client_for, users, children):
    child = children["pesantren_normal"]
    url = reverse("balita:pengukuran_baru", args=[child.pk])
    client = client_for(users["operator"])
    html = client.post(url, {"tanggal": "2022-01-01", "berat": "abc"}).content.decode()
    assert "sebelum tanggal lahir" in html and "Berat harus berupa angka" in html
    html = client.post(url, {"tanggal": "2025-01-05", "berat": "300"}).content.decode()
    assert "sudah punya pengukuran" in html and "Berat paling besar 45 kg" in html
    assert child.pengukuran.count() == 1


def test_who_flagged_values_need_a_confirmation(client_for, users, children):
    child = children["pesantren_normal"]
    url = reverse("balita:pengukuran_baru", args=[child.pk])
    client = client_for(users["operator"])
    values = {"tanggal": "2025-02-05", "berat": "11", "tinggi": "60", "cara_ukur": "terlentang"}
    response = client.post(url, values)
    assert response.status_code == 422
    assert "di luar batas wajar WHO" in response.content.decode() and 'name="konfirmasi"' in response.content.decode()
    assert not child.pengukuran.filter(tanggal=datetime.date(2025, 2, 5)).exists()
    response = client.post(url, {**values, "konfirmasi": "on"})
    assert response.status_code == 302
    assert child.pengukuran.get(tanggal=datetime.date(2025, 2, 5)).flag_tbu is True


def test_live_preview_shows_the_engines_z_scores(client_for, users, children):
    child = children["pesantren_normal"]
    url = reverse("balita:pengukuran_pratinjau", args=[child.pk])
    response = client_for(users["wilayah"]).get(url, {"tanggal": "2025-02-05", "berat": "11,2", "tinggi": "79"},
                                                HTTP_HX_REQUEST="true")
    html = response.content.decode()
    expected = engine.compute_one(jenis_kelamin="P", tanggal_lahir=BORN, tanggal=datetime.date(2025, 2, 5),
                                  berat=11.2, tinggi=79.0)
    shown = re.search(r'id="zs-tbu">([^<]+)<', html).group(1)
    assert shown == ("−" if expected["zs_tbu"] < 0 else "+") + f"{abs(expected['zs_tbu']):.2f}".replace(".", ",")
    assert categories.label("tbu", expected["kategori_tbu"]) in html
    assert "<html" not in html


# --- stunting register ------------------------------------------------------------------------


def _independent_figures(kelurahan_names, start, end):
    latest = {}
    # Children count where they are registered (balita.figures).
    for m in Pengukuran.objects.filter(tanggal__range=(start, end), anak__kelurahan__nama__in=kelurahan_names):
        if m.anak_id not in latest or m.tanggal > latest[m.anak_id].tanggal:
            latest[m.anak_id] = m
    valid = [m for m in latest.values() if m.zs_tbu is not None and not m.flag_tbu]
    stunted = [m for m in valid if m.kategori_tbu in categories.STUNTED]
    return len(latest), len(valid), len(stunted)


def test_stunting_register_figures_per_role(client_for, users, children):
    params = {"tahun": "2025", "periode": "b01"}
    start, end = datetime.date(2025, 1, 1), datetime.date(2025, 1, 31)
    for role, areas in [("admin", ["Pesantren", "Betet"]), ("pimpinan", ["Pesantren", "Betet"]), ("wilayah", ["Pesantren"])]:
        response = client_for(users[role]).get(reverse("balita:stunting"), params)
        total = response.context["register"]["total"]
        measured, valid, stunted = _independent_figures(areas, start, end)
        assert (total.diukur, total.tbu_valid, total.stunting) == (measured, valid, stunted)
        assert total.prevalensi == round(100 * stunted / valid, 2)
        rows = {r["nama"]: r for r in response.context["register"]["rows"]}
        if role == "wilayah":
            assert "Betet" not in rows and set(rows) >= {"Pesantren", "Banaran"}
        assert rows["Pesantren"]["angka"].stunting == _independent_figures(["Pesantren"], start, end)[2]
        html = response.content.decode()
        assert ("Nayla Kirana" in html) == (role != "pimpinan")


def test_stunting_register_by_posyandu_and_month(client_for, users, children):
    client = client_for(users["operator"])
    pesantren = children["pesantren_pendek"].kelurahan_id
    params = {"tahun": "2025", "periode": "b01", "kelurahan": pesantren}
    partial = client.get(reverse("balita:stunting"), params, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'id="per-wilayah"' in partial and "Nayla Kirana" in partial
    response = client.get(reverse("balita:stunting"), params)
    assert response.context["by_posyandu"] is True
    rows = response.context["register"]["rows"]
    assert [r["nama"] for r in rows] == ["Melati"] and rows[0]["angka"].stunting == 1 and rows[0]["angka"].sasaran == 2
    months = {(m["periode"].tahun, m["periode"].nomor): m["angka"] for m in response.context["bulanan"]}
    # December: Nayla 84 cm; January: Aisyah normal, Nayla pendek.
    december = _independent_figures(["Pesantren"], datetime.date(2024, 12, 1), datetime.date(2024, 12, 31))
    january = _independent_figures(["Pesantren"], datetime.date(2025, 1, 1), datetime.date(2025, 1, 31))
    assert (months[(2024, 12)].diukur, months[(2024, 12)].stunting) == (december[0], december[2])
    assert (months[(2025, 1)].diukur, months[(2025, 1)].stunting) == (january[0], january[2])
    assert [p.anak.nama for p in response.context["page"]] == ["Nayla Kirana"]


# --- child forms and merging --------------------------------------------------------------------


def test_new_child_form(client_for, users, children):
    from tpps.models import Kelurahan

    assert client_for(users["pimpinan"]).get(reverse("balita:anak_baru")).status_code == 403
    client = client_for(users["wilayah"])  # the same test client, now logged in as the operator wilayah
    form = client.get(reverse("balita:anak_baru")).content.decode()
    assert "Betet" not in form and "Pesantren" in form  # only the operator's own kelurahan
    data = {"nama": "Bayi Baru", "jenis_kelamin": "L", "tanggal_lahir": "2025-01-02", "nama_ibu": "Rina",
            "kelurahan": Kelurahan.objects.get(nama="Tinalan").pk, "nik": "", "berat_lahir": "3,1"}
    response = client.post(reverse("balita:anak_baru"), data)
    child = Anak.objects.get(nama="Bayi Baru")
    assert response.status_code == 302 and response["Location"] == reverse("balita:pengukuran_baru", args=[child.pk])
    assert float(child.berat_lahir) == 3.1
    refused = client.post(reverse("balita:anak_baru"), {**data, "nama": "Lain", "kelurahan": Kelurahan.objects.get(nama="Betet").pk})
    assert refused.status_code == 200 and not Anak.objects.filter(nama="Lain").exists()


def test_merge_screen(client_for, users, children):
    keep = children["pesantren_normal"]
    twin = make_anak("Pesantren", nama="Aisyah Putri", nik=None, tanggal_lahir=BORN)
    measure(twin, datetime.date(2024, 12, 5), berat=10.9, tinggi=85.5)
    client = client_for(users["wilayah"])
    url = reverse("balita:anak_gabung", args=[keep.pk])
    choose = client.get(url).content.decode()
    assert f"?lain={twin.pk}" in choose
    confirm = client.get(url, {"lain": twin.pk}).content.decode()
    assert "Periksa sebelum menggabungkan" in confirm
    refused = client.get(url, {"lain": children["betet_normal"].pk}).content.decode()
    assert "tidak ada di wilayah kerja Anda" in refused
    response = client.post(url, {"lain": twin.pk, "konfirmasi": "on"})
    assert response.status_code == 302
    assert not Anak.objects.filter(pk=twin.pk).exists() and keep.pengukuran.count() == 2
    assert client_for(users["pimpinan"]).get(url).status_code == 403


def test_edit_child_form(client_for, users, children):
    child = children["pesantren_normal"]
    url = reverse("balita:anak_ubah", args=[child.pk])
    assert client_for(users["pimpinan"]).get(url).status_code == 403
    assert client_for(users["wilayah"]).get(reverse("balita:anak_ubah", args=[children["betet_normal"].pk])).status_code == 404
    client = client_for(users["wilayah"])
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"nama": "Aisyah Putri Rahma", "tanggal_lahir": "2023-02-10", "berat_lahir": "3,05"})
    response = client.post(url, data)
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.nama == "Aisyah Putri Rahma" and float(child.berat_lahir) == 3.05
    measurement = child.pengukuran.get()
    assert measurement.umur_hari == (measurement.tanggal - datetime.date(2023, 2, 10)).days  # recomputed


def test_lokus_tooltip_shows_the_year_without_a_thousands_separator(client_for, users, children):
    html = client_for(users["operator"]).get(reverse("balita:stunting"), {"tahun": "2025", "periode": "b01"}).content.decode()
    assert 'title="Kelurahan lokus 2025"' in html and "2.025" not in html


def test_register_lists_and_counts_under_fives_by_default(client_for, users, children):
    today = timezone.localdate()
    make_anak("Betet", nama="Raka Lima Tahun", tanggal_lahir=today - datetime.timedelta(days=1827))  # 60 WHO months
    make_anak("Betet", nama="Bima Hampir Lima", tanggal_lahir=today - datetime.timedelta(days=1826))
    client = client_for(users["operator"])
    html = client.get(reverse("balita:index")).content.decode()
    assert "Bima Hampir Lima" in names_in(html) and "Raka Lima Tahun" not in names_in(html)
    assert re.search(r'id="jumlah">5</strong> anak di bawah 5 tahun', html)
    every = client.get(reverse("balita:index"), {"umur": "semua"}).content.decode()
    assert "Raka Lima Tahun" in names_in(every) and re.search(r'id="jumlah">6</strong> anak<', every)


def test_stunting_register_exports_xlsx_masked_and_recorded(client_for, users, children):
    params = {"tahun": "2025", "periode": "b01"}

    def sheet(role, **extra):
        response = client_for(users[role]).get(reverse("balita:stunting_export"), {**params, **extra})
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
        return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))

    rows = sheet("operator")
    assert rows[0][0] == "Register stunting Januari 2025"
    header = rows[3]
    assert header[:3] == ("No", "NIK", "Nama") and "ZS TB/U" in header
    body = rows[4:]
    assert {r[2] for r in body} == {"Nayla Kirana", "Zahra Amira"}
    assert len(body) == _independent_figures(["Pesantren", "Betet"], datetime.date(2025, 1, 1), datetime.date(2025, 1, 31))[2]
    assert {r[2] for r in sheet("wilayah")[4:]} == {"Nayla Kirana"}  # scoped to the operator's area
    pesantren = children["pesantren_pendek"].kelurahan_id
    assert {r[2] for r in sheet("operator", kelurahan=pesantren)[4:]} == {"Nayla Kirana"}
    masked = sheet("pimpinan")[4:]
    assert {r[2] for r in masked} == {"N*** K***", "Z*** A***"} and all(r[1] in ("", "3571 •••• •••• ••••") for r in masked)
    recorded = AksesData.objects.filter(pengguna=users["pimpinan"], aksi=UNDUH).latest("waktu")
    assert recorded.jumlah == 2 and "Register stunting" in recorded.keterangan and recorded.model == "balita.Anak"
    for role in ("opd", "outsider"):
        assert client_for(users[role]).get(reverse("balita:stunting_export"), params).status_code == 403


def test_stunting_register_prints_on_a4(client_for, users, children):
    html = client_for(users["operator"]).get(reverse("balita:stunting"), {"tahun": "2025", "periode": "b01"}).content.decode()
    assert re.search(r'<button type="button" data-cetak>Cetak</button>', html)
    assert 'href="/balita/stunting/ekspor.xlsx?tahun=2025&amp;periode=b01"' in html or "stunting/ekspor.xlsx?tahun=2025&periode=b01" in html
    assert 'id="judul-cetak">Register stunting Januari 2025<' in html
    css = (Path(settings.BASE_DIR) / "static" / "css" / "balita.css").read_text()
    assert re.search(r"@media print \{\s*@page \{ size: A4", css)
