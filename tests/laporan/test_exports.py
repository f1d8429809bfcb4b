"""Every dashboard and ranking table downloads as XLSX (Indonesian headers, number formats) and CSV."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from laporan import demo
from tpps.periods import Periode
from tests.factories import kelurahan
from tests.laporan.helpers import expected, random_city, refresh_figures


@pytest.fixture
def city(db):
    random_city(seed=41, children=40)
    refresh_figures()


def sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[4]]
    rows = [[c for c in row] for row in ws.iter_rows(min_row=5)]
    return ws, header, rows


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.django_db
def test_kelurahan_table_xlsx_and_csv(client_for, users, city):
    client = client_for(users["pimpinan"])
    params = {"tahun": 2025, "periode": "th"}
    ws, header, rows = sheet(client.get(reverse("laporan:ekspor", args=["kelurahan", "xlsx"]), params))
    assert header[:4] == ["Kelurahan", "Kecamatan", "Lokus", "Sasaran balita"]
    assert "Prevalensi stunting (%)" in header and "Balita stunting" in header
    assert len(rows) == 46
    periode = Periode("tahun", 2025, 1)
    col = header.index("Balita stunting")
    prev_col = header.index("Prevalensi stunting (%)")
    for row in rows:
        want = expected(periode.mulai, periode.akhir, {kelurahan(row[0].value).id})
        assert row[col].value == want["stunting"], row[0].value
        assert row[col].number_format == "#,##0"
        if want["tbu_valid"]:
            assert row[prev_col].value == pytest.approx(100 * want["stunting"] / want["tbu_valid"], abs=0.005)
            assert row[prev_col].number_format == "0.00"
    assert ws["A1"].value == "Stunting per kelurahan, Tahun 2025 — Kota Kediri"

    table = csv_rows(client.get(reverse("laporan:ekspor", args=["kelurahan", "csv"]), params))
    assert table[0] == header and len(table) == 47
    assert [r[0] for r in table[1:]] == [r[0].value for r in rows]


@pytest.mark.django_db
def test_area_trend_and_children_exports(client_for, users, city):
    client = client_for(users["operator"])
    for level, count in (("kecamatan", 3), ("puskesmas", 9)):
        table = csv_rows(client.get(reverse("laporan:ekspor", args=[level, "csv"]), {"tahun": 2025, "periode": "t2"}))
        assert table[0][0] == level.title() and len(table) == count + 1
    trend = csv_rows(client.get(reverse("laporan:ekspor", args=["tren", "csv"]), {"tahun": 2025}))
    assert trend[0][:3] == ["Tahun", "Bulan", "Balita diukur"]
    assert {r[0] for r in trend[1:]} <= {"2024", "2025"} and len(trend) > 12
    betet = kelurahan("Betet")
    periode = Periode("tahun", 2025, 1)
    children = csv_rows(client.get(reverse("laporan:ekspor_anak", args=[betet.pk, "csv"]), {"tahun": 2025, "periode": "th"}))
    assert children[0][:2] == ["Nama", "NIK"]
    assert len(children) - 1 == expected(periode.mulai, periode.akhir, {betet.id})["diukur"]
    # Pimpinan gets the same list with names and NIK masked as everywhere (tpps.masking).
    masked = csv_rows(client_for(users["pimpinan"]).get(reverse("laporan:ekspor_anak", args=[betet.pk, "csv"]),
                                                        {"tahun": 2025, "periode": "th"}))
    assert masked[0][:2] == ["Nama", "NIK"] and len(masked) == len(children)
    assert all(r[0].endswith("***") for r in masked[1:])
    assert all(r[1] in ("", "3571 •••• •••• ••••") for r in masked[1:])
    assert client.get(reverse("laporan:ekspor", args=["rahasia", "csv"])).status_code == 404
    assert client.get(reverse("laporan:ekspor", args=["kelurahan", "pdf"])).status_code == 404


@pytest.mark.django_db
def test_wilayah_export_is_scoped(client_for, users, city):
    table = csv_rows(client_for(users["wilayah"]).get(reverse("laporan:ekspor", args=["kelurahan", "csv"]),
                                                     {"tahun": 2025, "periode": "th"}))
    assert {r[0] for r in table[1:]} == {"Pesantren", "Banaran", "Burengan", "Pakunden", "Singonegaran", "Tinalan"}
    other = kelurahan("Semampir")
    assert client_for(users["wilayah"]).get(reverse("laporan:ekspor_anak", args=[other.pk, "csv"])).status_code == 404


@pytest.mark.django_db
def test_ranking_exports(client_for, users):
    demo.load_ranking()
    client = client_for(users["opd"])
    ws, header, rows = sheet(client.get(reverse("laporan:peringkat_ekspor", args=["peringkat", "xlsx"]), {"tahun": 2025}))
    assert header == ["Peringkat", "Kode", "Kab/Kota", "Skor", "Selisih dengan peringkat 1",
                      "Selisih dengan peringkat di atasnya"]
    assert len(rows) == 38
    kediri = next(r for r in rows if r[2].value == "Kota Kediri")
    assert (kediri[0].value, kediri[3].value, kediri[4].value) == (7, 129, 3)
    assert kediri[3].number_format == "#,##0.00"
    history = csv_rows(client.get(reverse("laporan:peringkat_ekspor", args=["riwayat", "csv"])))
    assert history[0][:2] == ["Tahun", "Peringkat"]
    assert [r[:2] for r in history[1:]] == [["2023", "2"], ["2024", "4"], ["2025", "7"]]
    komponen = csv_rows(client.get(reverse("laporan:peringkat_ekspor", args=["komponen", "csv"]), {"tahun": 2023}))
    assert len(komponen) == 6 and komponen[1][:2] == ["Pelaporan delapan aksi konvergensi", "30.0"]
