"""Dashboard pages: figures equal counts from the rows, scope per role, HTMX fragments."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from balita.figures import CAKUPAN_CUKUP

from laporan.models import TargetTahunan
from tpps.periods import Periode
from tests.factories import kelurahan
from tests.laporan.helpers import expected, random_city, refresh_figures
from tpps import formatting
from tpps.models import Kelurahan, Puskesmas


@pytest.fixture
def city(db):
    children = random_city(seed=21, children=60)
    TargetTahunan.objects.create(tahun=2025, target_prevalensi=14)
    refresh_figures()
    return children


def figure(html, name):
    match = re.search(rf'data-angka="{name}">([^<]*)<', html)
    assert match, name
    return match.group(1).strip()


def pesantren_i_ids():
    return set(Puskesmas.objects.get(nama="Pesantren I").kelurahan.values_list("id", flat=True))


@pytest.mark.django_db
def test_headline_figures_equal_counts_from_rows(client_for, users, city):
    periode = Periode("triwulan", 2025, 4)
    want = expected(periode.mulai, periode.akhir)
    before = Periode("triwulan", 2025, 3)
    want_before = expected(before.mulai, before.akhir)
    html = client_for(users["pimpinan"]).get(reverse("laporan:index"), {"tahun": 2025, "periode": "t4"}).content.decode()
    assert figure(html, "stunting") == formatting.angka(want["stunting"])
    assert figure(html, "prevalensi") == formatting.persen(100 * want["stunting"] / want["tbu_valid"], 2)
    assert figure(html, "cakupan") == formatting.persen(100 * want["diukur"] / want["sasaran"])
    assert figure(html, "wasting") == formatting.persen(100 * want["wasting"] / want["bbtb_valid"], 2)
    assert figure(html, "underweight") == formatting.persen(100 * want["underweight"] / want["bbu_valid"], 2)
    change = want["stunting"] - want_before["stunting"]
    sentence = re.sub(r"\s+", " ", re.search(r'id="kalimat-utama">(.*?)</p>', html, re.S).group(1))
    words = "turun" if change < 0 else "naik" if change > 0 else "sama dengan"
    assert f"{formatting.angka(want['stunting'])} balita stunting" in sentence
    assert words in sentence and "September 2025" in sentence
    if change:
        assert f"{words} {abs(change)} sejak September 2025" in sentence
    assert "target 14,0%" in html


@pytest.mark.django_db
def test_default_period_is_latest_month_whose_data_suffice(client_for, users, city):
    response = client_for(users["operator"]).get(reverse("laporan:index"))
    periode = response.context["periode"]
    # Independently: the latest month in which at least CAKUPAN_CUKUP % of the under-fives
    # were measured (the random city measures few children a month).
    months = [Periode("bulan", y, m) for y in (2025, 2024) for m in range(12, 0, -1)]
    counted = [(p, expected(p.mulai, p.akhir)) for p in months]
    enough = [p for p, c in counted if c["diukur"] and 100 * c["diukur"] / c["sasaran"] >= CAKUPAN_CUKUP]
    want = enough[0] if enough else next(p for p, c in counted if c["diukur"])
    assert periode == want
    assert response.context["d"].sekarang.cukup_data == bool(enough)


@pytest.mark.django_db
def test_area_tables_add_up(client_for, users, city):
    response = client_for(users["admin"]).get(reverse("laporan:index"), {"tahun": 2025, "periode": "th"})
    d = response.context["d"]
    periode = Periode("tahun", 2025, 1)
    for row in d.kelurahan:
        want = expected(periode.mulai, periode.akhir, {row.key})
        assert row.sekarang.stunting == want["stunting"] and row.sekarang.diukur == want["diukur"], row.nama
    assert sum(r.sekarang.stunting for r in d.kecamatan) == d.sekarang.stunting
    pesantren = Puskesmas.objects.get(nama="Pesantren I")
    row = next(r for r in d.puskesmas if r.key == pesantren.pk)
    assert row.sekarang.stunting == expected(periode.mulai, periode.akhir, pesantren_i_ids())["stunting"]
    lokus = {r.nama for r in d.kelurahan if r.lokus}
    assert {"Betet", "Pesantren", "Banaran"} <= lokus and "Semampir" not in lokus
    assert len(d.kelurahan) == 46 and len(d.kecamatan) == 3 and len(d.puskesmas) == 9


@pytest.mark.django_db
def test_wilayah_sees_only_its_area(client_for, users, city):
    response = client_for(users["wilayah"]).get(reverse("laporan:index"), {"tahun": 2025, "periode": "th"})
    d = response.context["d"]
    ids = pesantren_i_ids()
    assert {r.key for r in d.kelurahan} == ids
    periode = Periode("tahun", 2025, 1)
    assert d.sekarang.stunting == expected(periode.mulai, periode.akhir, ids)["stunting"]
    assert "Semampir" not in response.content.decode()
    # A kelurahan outside the area is not found, one inside is.
    assert client_for(users["wilayah"]).get(reverse("laporan:kelurahan", args=[kelurahan("Semampir").pk])).status_code == 404
    assert client_for(users["wilayah"]).get(reverse("laporan:kelurahan", args=[kelurahan("Pesantren").pk])).status_code == 200


@pytest.mark.django_db
def test_opd_sees_city_figures_without_names(client_for, users, city):
    client = client_for(users["opd"])
    response = client.get(reverse("laporan:index"), {"tahun": 2025, "periode": "th"})
    assert len(response.context["d"].kelurahan) == 46
    page = client.get(reverse("laporan:kelurahan", args=[kelurahan("Betet").pk]), {"tahun": 2025, "periode": "th"})
    assert page.status_code == 200 and page.context["page"] is None
    assert "Balita 1 Uji" not in page.content.decode()
    assert client.get(reverse("laporan:ekspor_anak", args=[kelurahan("Betet").pk, "csv"])).status_code == 403


@pytest.mark.django_db
def test_outsider_is_refused(client_for, users, city):
    assert client_for(users["outsider"]).get(reverse("laporan:index")).status_code == 403


@pytest.mark.django_db
def test_children_list_names_only_for_personal_data_roles(client_for, users, city):
    betet = kelurahan("Betet")
    periode = Periode("tahun", 2025, 1)
    want = expected(periode.mulai, periode.akhir, {betet.id})
    url = reverse("laporan:kelurahan", args=[betet.pk])
    operator = client_for(users["operator"]).get(url, {"tahun": 2025, "periode": "th"})
    assert operator.context["page"].paginator.count == want["diukur"]
    names = [r["nama"] for r in operator.context["page"].rows]
    assert names and all(n.startswith("Balita ") for n in names)
    assert names[0] in operator.content.decode()
    sekda = client_for(users["pimpinan"]).get(url, {"tahun": 2025, "periode": "th"})
    masked = [r["nama"] for r in sekda.context["page"].rows]
    assert masked == ["B*** " + " ".join(f"{w[0]}***" for w in n.split()[1:]) for n in names]
    assert names[0] not in sekda.content.decode()
    only = client_for(users["operator"]).get(url, {"tahun": 2025, "periode": "th", "stunting": "1"})
    assert only.context["page"].paginator.count == want["stunting"]


@pytest.mark.django_db
def test_htmx_filter_returns_fragment_and_sort_orders_rows(client_for, users, city):
    client = client_for(users["pimpinan"])
    fragment = client.get(reverse("laporan:index"), {"tahun": 2024, "periode": "s2"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert 'id="dasbor"' in html and "<html" not in html and "Semester II 2024" in html
    table = client.get(reverse("laporan:index"), {"tahun": 2025, "periode": "th", "level": "kelurahan",
                                                  "sort": "-stunting"}, HTTP_HX_REQUEST="true")
    rows = table.context["tabel"]["rows"]
    counts = [r.sekarang.stunting for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert 'id="tabel-kelurahan"' in table.content.decode() and 'id="dasbor"' not in table.content.decode()


@pytest.mark.django_db
def test_kecamatan_drill_down(client_for, users, city):
    pesantren = Kelurahan.objects.get(nama="Betet").kecamatan
    response = client_for(users["pimpinan"]).get(
        reverse("laporan:index"), {"tahun": 2025, "periode": "th", "kecamatan": pesantren.pk}, HTTP_HX_REQUEST="true"
    )
    d = response.context["d"]
    assert {r.kecamatan for r in d.kelurahan} == {"Pesantren"} and len(d.kelurahan) == 15
    ids = {r.key for r in d.kelurahan}
    periode = Periode("tahun", 2025, 1)
    assert d.sekarang.stunting == expected(periode.mulai, periode.akhir, ids)["stunting"]
    assert "Kecamatan Pesantren" in response.content.decode()


@pytest.mark.django_db
def test_invalid_filter_value_falls_back_alone(client_for, users, city):
    mojoroto = Kelurahan.objects.get(nama="Semampir").kecamatan  # outside Puskesmas Pesantren I
    response = client_for(users["wilayah"]).get(reverse("laporan:index"),
                                                {"tahun": 2024, "periode": "zz", "kecamatan": mojoroto.pk})
    periode = response.context["periode"]
    assert periode.tahun == 2024 and periode.jenis == "bulan"  # latest month of 2024 with data
    assert response.context["kecamatan"] is None
    assert {r.key for r in response.context["d"].kelurahan} == pesantren_i_ids()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "operator", "opd", "wilayah", "pimpinan"])
def test_indicator_fragment_for_every_role(client_for, users, city, role):
    from konvergensi import selectors as konvergensi_selectors

    response = client_for(users[role]).get(reverse("laporan:index"), {"tahun": 2025, "periode": "t4",
                                                                      "bagian": "indikator"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.strip().startswith('<div class="card" id="ringkas-indikator">')
    rows = konvergensi_selectors.indicator_results(2025, "t4", user=users[role])
    for row in rows:
        assert escape(row["nama"]) in html
    if not rows:
        assert "Belum ada data." in html
