"""The Mutu data page per role, HTMX fragments, marking through the page, both XLSX downloads
and the PDF pack's section."""

import io
import re
import subprocess

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from balita.models import TemuanDiperiksa
from balita.quality.report import report
from balita.views.mutu import POSYANDU_ROWS_MAX
from laporan import pdf
from tests.balita.quality_helpers import melati_betet
from tests.factories import make_posyandu
from tpps.models import Posyandu
from tpps.periods import Periode
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db
QUERY = {"tahun": 2025, "periode": "t1", "level": "posyandu"}


@pytest.mark.parametrize("role, status", [("admin", 200), ("operator", 200), ("wilayah", 200), ("pimpinan", 200),
                                          ("opd", 403), ("outsider", 403)])
def test_page_per_role(client_for, users, role, status):
    melati_betet()
    response = client_for(users[role]).get(reverse("balita:mutu"), QUERY)
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Mutu data" in html and "Daftar perbaikan" in html
        if role in ("admin", "operator"):
            assert "Adi Saputra" in html and "Sudah diperiksa, benar" in html
        if role == "pimpinan":  # masked names, no marking
            assert "Adi Saputra" not in html and "A*** S***" in html and "Sudah diperiksa, benar" not in html
        if role == "wilayah":  # Betet is outside Puskesmas Pesantren I
            assert "Adi Saputra" not in html and "Tidak ada temuan" in html


def test_htmx_fragments_and_levels(client_for, users):
    melati_betet()
    client = client_for(users["operator"])
    fragment = client.get(reverse("balita:mutu"), {**QUERY, "bagian": "temuan"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<html" not in html and 'id="daftar-temuan"' in html and 'id="tabel-mutu"' not in html
    for level, name in (("kelurahan", "Betet"), ("puskesmas", "Balowerti")):
        html = client.get(reverse("balita:mutu"), {**QUERY, "level": level}, HTTP_HX_REQUEST="true").content.decode()
        assert 'id="tabel-mutu"' in html and "<html" not in html
        if level == "kelurahan":
            assert name in html
    only = client.get(reverse("balita:mutu"), {**QUERY, "jenis": "tinggi_turun", "bagian": "temuan"},
                      HTTP_HX_REQUEST="true").content.decode()
    assert only.count('data-jenis="tinggi_turun"') == 1 and 'data-jenis="nik_kosong"' not in only


def test_marking_through_the_page(client_for, users):
    data = melati_betet()
    client = client_for(users["operator"])
    html = client.get(reverse("balita:mutu"), QUERY).content.decode()
    kunci = re.search(r'data-jenis="tinggi_turun" data-kunci="([^"]+)"', html).group(1)
    post = {"jenis": "tinggi_turun", "kunci": kunci, "anak": data["adi"].pk, "pengukuran": data["adi2"].pk}
    url = reverse("balita:mutu_periksa") + "?tahun=2025&periode=t1&level=posyandu"
    assert client_for(users["pimpinan"]).post(url, post).status_code == 403
    client = client_for(users["operator"])
    response = client.post(url, post, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-jenis="tinggi_turun"' not in response.content.decode()
    assert TemuanDiperiksa.objects.get().diperiksa_oleh == users["operator"]
    page = client.get(reverse("balita:mutu"), {**QUERY, "tampil": "diperiksa"}).content.decode()
    assert "u_operator" in page and 'id="tabel-diperiksa"' in page
    bad = client.post(url, {**post, "kunci": "999:1"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400


def _sheet(content):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_xlsx_downloads(client_for, users):
    melati_betet()
    table = client_for(users["operator"]).get(reverse("balita:mutu_tabel_xlsx"), QUERY)
    assert table["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(table.content)
    header = rows.index(next(r for r in rows if r and r[0] == "Wilayah"))
    melati = next(r for r in rows[header + 1:] if r[0] == "Melati")
    assert melati[1] == "Betet" and melati[4] == 4 and melati[5] == 6 and melati[7] == 25
    fixes = _sheet(client_for(users["pimpinan"]).get(reverse("balita:mutu_temuan_xlsx"), QUERY).content)
    body = [r for r in fixes if r and r[0] in ("Tinggi badan turun", "NIK kosong", "Kemungkinan anak ganda")]
    assert len(body) == 3 and all("Saputra" not in str(r[1]) for r in body)  # masked for Pimpinan
    assert any("turun 3,0 cm" in str(r[6]) for r in body)


def test_pdf_pack_has_the_data_quality_section(tmp_path):
    melati_betet()
    content, _ = pdf.render_pack(2025)
    path = tmp_path / "paket.pdf"
    path.write_bytes(content)
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                                check=True).stdout)
    city = report(SYSTEM, Periode("tahun", 2025, 1)).kota
    assert "9. Mutu data" in text and f"Skor mutu data kota {city.skor.nilai} dari 100" in text
    assert "(4 balita, 6 pengukuran); 7 temuan perlu diperiksa" in text
    assert "Sepuluh posyandu dengan skor terendah" in text and "Melati 4 45" in text
    assert "cara ukur tidak sesuai umur 33,3 % (−5,0)" in text


def test_the_table_starts_per_kelurahan_when_many_posyandu_are_in_view(client_for, users):
    melati_betet()
    query = {k: v for k, v in QUERY.items() if k != "level"}
    operator = client_for(users["operator"])
    assert 'value="posyandu" selected' in operator.get(reverse("balita:mutu"), query).content.decode()
    in_view = Posyandu.objects.for_user(users["operator"]).count()
    for i in range(POSYANDU_ROWS_MAX + 1 - in_view):
        make_posyandu("Betet", f"Posyandu Uji {i}")
    assert Posyandu.objects.for_user(users["operator"]).count() == POSYANDU_ROWS_MAX + 1
    html = operator.get(reverse("balita:mutu"), query).content.decode()
    assert 'value="kelurahan" selected' in html
    assert "Ukuran dan skor per kelurahan" in html and "Posyandu Uji 0" not in html
    assert "level=kelurahan" in html  # the links and downloads carry the level shown
    # Asked for, the posyandu table is still there; a puskesmas user (few posyandu) starts with it.
    assert 'value="posyandu" selected' in operator.get(reverse("balita:mutu"), QUERY).content.decode()
    wilayah = client_for(users["wilayah"])  # the same test client, now logged in as the puskesmas user
    assert 'value="posyandu" selected' in wilayah.get(reverse("balita:mutu"), query).content.decode()
