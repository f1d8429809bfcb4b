"""Pages per role, the create form posted once, OPD follow-up through the page, the readiness
section, the Sekda's dashboard card and the evaluation pack's sections."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from laporan import pdf
from rekomendasi.models import MitraInovasi, Rekomendasi, TindakLanjut
from tests.konvergensi.files import pdf_bytes
from tests.rekomendasi.conftest import follow_up, make_inovasi, make_rekomendasi, opd

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role, status", [("admin", 200), ("operator", 200), ("opd", 200), ("pimpinan", 200),
                                          ("wilayah", 403), ("outsider", 403)])
def test_pages_per_role(client_for, users, role, status):
    rekomendasi, item = make_rekomendasi(), make_inovasi()
    client = client_for(users[role])
    for url in (reverse("rekomendasi:index"), reverse("rekomendasi:detail", args=[rekomendasi.pk]), reverse("rekomendasi:inovasi"),
                reverse("rekomendasi:inovasi_detail", args=[item.pk]), reverse("rekomendasi:kesiapan")):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize("role", ["opd", "pimpinan"])
def test_only_the_secretariat_opens_the_recommendation_form(client_for, users, role):
    assert client_for(users[role]).get(reverse("rekomendasi:tambah")).status_code == 403


def test_operator_records_a_recommendation_once(client_for, users, media):
    client = client_for(users["operator"])
    page = client.get(reverse("rekomendasi:tambah")).content.decode()
    token = re.search(r'name="kiriman" value="([^"]+)"', page).group(1)
    data = {"kiriman": token, "tahun": 2025, "jenis": "rekomendasi", "judul": "Penguatan tata laksana gizi", "uraian": "Perkuat",
            "sumber": "Penilaian 2025", "angka_aplikasi": "prevalensi_stunting", "urutan": 3,
            "opd": [opd("dinkes").pk, opd("dp3ap2kb").pk]}
    response = client.post(reverse("rekomendasi:tambah"), {**data, "dokumen": _file("hasil.pdf", pdf_bytes())})
    rekomendasi = Rekomendasi.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("rekomendasi:detail", args=[rekomendasi.pk])
    again = client.post(reverse("rekomendasi:tambah"), data)
    assert again.status_code == 302 and Rekomendasi.objects.count() == 1
    detail = client.get(reverse("rekomendasi:detail", args=[rekomendasi.pk])).content.decode()
    assert "Penguatan tata laksana gizi" in detail and "hasil.pdf" in detail and "Belum ditindaklanjuti" in detail
    assert client.get(reverse("rekomendasi:dokumen_unduh", args=[rekomendasi.pk])).getvalue().startswith(b"%PDF")


def test_a_refused_form_names_the_field(client_for, users):
    response = client_for(users["operator"]).post(reverse("rekomendasi:tambah"), {"tahun": 1900, "jenis": "rekomendasi", "judul": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "Tahun penilaian paling awal 2018" in page and "Pilih minimal satu OPD" in page
    assert not Rekomendasi.objects.exists()


def _file(name, content):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_opd_records_follow_up_on_its_own_item_through_the_page(client_for, users):
    own, other = make_rekomendasi("Tata laksana gizi"), make_rekomendasi("Konsistensi RKPD", opds=("bappeda",))
    client = client_for(users["opd"])
    page = client.get(reverse("rekomendasi:detail", args=[own.pk])).content.decode()
    assert 'data-testid="form-tindak-lanjut"' in page
    assert 'data-testid="form-tindak-lanjut"' not in client.get(reverse("rekomendasi:detail", args=[other.pk])).content.decode()
    response = client.post(reverse("rekomendasi:tindak_lanjut", args=[own.pk]), {
        "opd": opd("dinkes").pk, "uraian": "Dokter spesialis anak di setiap puskesmas", "tanggal": "2025-08-01",
        "hasil": "Sembilan puskesmas terlayani", "tuntas": "on", "berkas": _file("jadwal.pdf", pdf_bytes("Jadwal"))})
    assert response.status_code == 302
    tindak = TindakLanjut.objects.get()
    assert tindak.opd.kode == "dinkes" and tindak.tuntas and tindak.nama_berkas == "jadwal.pdf"
    page = client.get(reverse("rekomendasi:detail", args=[own.pk])).content.decode()
    assert "1 Agustus 2025" in page and "Sembilan puskesmas terlayani" in page and 'data-testid="status-rekomendasi">Selesai' in page
    refused = client.post(reverse("rekomendasi:tindak_lanjut", args=[other.pk]), {"opd": opd("bappeda").pk, "uraian": "x", "tanggal": "2025-08-01"})
    assert refused.status_code == 403 and TindakLanjut.objects.count() == 1
    # Pimpinan reads, never writes.
    assert client_for(users["pimpinan"]).post(reverse("rekomendasi:tindak_lanjut", args=[own.pk]), {}).status_code == 403


def test_a_disguised_follow_up_file_is_a_field_error(client_for, users):
    rekomendasi = make_rekomendasi()
    response = client_for(users["opd"]).post(reverse("rekomendasi:tindak_lanjut", args=[rekomendasi.pk]), {
        "opd": opd("dinkes").pk, "uraian": "x", "tanggal": "2025-08-01", "berkas": _file("bukti.pdf", b"bukan pdf\n" * 50)})
    assert response.status_code == 200 and "bukan PDF" in response.content.decode()
    assert not TindakLanjut.objects.exists()


def test_partners_are_added_in_place(client_for, users):
    item = make_inovasi()
    response = client_for(users["opd"]).post(reverse("rekomendasi:mitra_tambah", args=[item.pk]),
                                             {"nama": "Universitas mitra", "unsur": "akademisi", "peran": "Riset"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Universitas mitra" in response.content.decode() and "<html" not in response.content.decode()
    assert MitraInovasi.objects.get().unsur == "akademisi"
    assert client_for(users["pimpinan"]).post(reverse("rekomendasi:mitra_tambah", args=[item.pk]), {"nama": "X", "unsur": "media"}).status_code == 403


def test_readiness_page_loads_the_section(client_for, users):
    rekomendasi = make_rekomendasi("Strategi berbasis data")
    follow_up(rekomendasi, uraian="Pelatihan ulang kader")
    make_inovasi("Catatan intervensi per anak", opd_kode="dp3ap2kb")
    client = client_for(users["pimpinan"])
    page = client.get(reverse("konvergensi:kesiapan"), {"tahun": 2025}).content.decode()
    assert f'hx-get="{reverse("rekomendasi:kesiapan")}?tahun=2025"' in page
    section = client.get(reverse("rekomendasi:kesiapan"), {"tahun": 2025}, HTTP_HX_REQUEST="true").content.decode()
    assert section.lstrip().startswith('<section id="tindak-lanjut-rekomendasi"')
    assert "Strategi berbasis data" in section and "Pelatihan ulang kader" in section and "Catatan intervensi per anak" in section
    assert "Berjalan" in section


def test_sekda_dashboard_card_lists_open_recommendations_worst_first(client_for, users):
    running = make_rekomendasi("Sudah berjalan")
    follow_up(running)
    make_rekomendasi("Belum sama sekali", opds=("dinkes", "bappeda"))
    client = client_for(users["pimpinan"])
    page = client.get(reverse("laporan:index")).content.decode()
    assert 'id="ringkas-rekomendasi"' in page and "bagian=rekomendasi" in page
    card = client.get(reverse("laporan:index"), {"bagian": "rekomendasi"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="kartu-rekomendasi"' in card
    assert card.index("Belum sama sekali") < card.index("Sudah berjalan")
    # An operator wilayah does not use this app: no card.
    assert 'id="ringkas-rekomendasi"' not in client_for(users["wilayah"]).get(reverse("laporan:index")).content.decode()


def test_the_pack_has_the_follow_up_and_innovation_sections(users):
    rekomendasi = make_rekomendasi("Konsistensi program TPPS dalam RKPD", opds=("bappeda",))
    follow_up(rekomendasi, "bappeda", tuntas=True, uraian="Reviu RKPD 2026", hasil="Semua kegiatan tercantum",
              tanggal=datetime.date(2025, 9, 15))
    item = make_inovasi("Dokter spesialis anak di setiap puskesmas")
    MitraInovasi.objects.create(inovasi=item, nama="IDAI Cabang Kediri", unsur="masyarakat")
    content, pages = pdf.render_pack(2025)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages)
    assert "11. Tindak lanjut rekomendasi" in text and "12. Inovasi daerah" in text
    assert "Konsistensi program TPPS dalam RKPD" in text and "Reviu RKPD 2026" in text and "15 September 2025" in text
    assert "Dokter spesialis anak di setiap puskesmas" in text and "IDAI Cabang Kediri" in text
