"""Pages and HTMX fragments: figures on pages are checked against counts made from the rows."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse

from konvergensi import services
from konvergensi.models import Bukti, Capaian, Indikator, RembukStunting, RencanaKegiatan, StatusVerifikasi
from tpps.models import LokusKelurahan, Opd
from tpps.roles import SYSTEM

HX = {"HX-Request": "true"}
DITERIMA, REVISI = StatusVerifikasi.DITERIMA, StatusVerifikasi.PERLU_REVISI


def test_board_shows_eight_cards_and_the_years_readiness(client_for, users, aksi, unggah):
    for i in range(3):
        unggah(aksi(1), i, status=DITERIMA, verifier=users["operator"])
    unggah(aksi(2), 0)
    page = client_for(users["pimpinan"]).get(reverse("konvergensi:index"), {"tahun": 2025}).content.decode()
    assert page.count('class="card aksi-card"') == 8
    # Action 1 complete (100 %), the seven others at 0 %: the year is 100 / 8.
    assert re.search(r'data-testid="kesiapan-tahun">12,5%<', page)
    assert "3 dari 3 dokumen diterima" in page and "1 menunggu" in page
    assert "Buka tahun" not in page  # Pimpinan only reads


def test_board_year_filter_returns_the_fragment(client_for, users):
    response = client_for(users["opd"]).get(reverse("konvergensi:index"), {"tahun": 2024}, headers=HX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.count('class="card aksi-card"') == 8 and "/konvergensi/2024/aksi/1/" in body


def test_action_1_lists_the_years_lokus(client_for, users):
    page = client_for(users["opd"]).get(reverse("konvergensi:aksi_detail", kwargs={"tahun": 2025, "nomor": 1})).content.decode()
    lokus = LokusKelurahan.objects.filter(tahun=2025).select_related("kelurahan")
    assert lokus.count() == 10
    for item in lokus:
        assert f"<td>{item.kelurahan.nama}</td>" in page


def test_opd_sees_what_to_fix(client_for, users, aksi, unggah):
    bukti = unggah(aksi(7), user=users["opd"])
    services.verify_evidence(bukti, REVISI, "Tambahkan tabel per kelurahan.", users["operator"])
    page = client_for(users["opd"]).get(reverse("konvergensi:aksi_detail", kwargs={"tahun": 2025, "nomor": 7})).content.decode()
    assert "Yang harus diperbaiki:" in page and "Tambahkan tabel per kelurahan." in page
    assert "Perlu revisi" in page


def test_verification_queue_and_inline_decision(client_for, users, aksi, unggah):
    pending = unggah(aksi(7))
    unggah(aksi(2), status=DITERIMA, verifier=users["admin"])
    operator = client_for(users["operator"])
    page = operator.get(reverse("konvergensi:verifikasi")).content.decode()
    assert f'id="verif-{pending.id}"' in page and page.count('<tr id="verif-') == Bukti.objects.filter(status="menunggu").count() == 1

    url = reverse("konvergensi:bukti_verifikasi", kwargs={"pk": pending.pk})
    refused = operator.post(url, {"status": REVISI, "komentar": ""}, headers=HX)
    assert refused.status_code == 422 and "Tulis apa yang harus diperbaiki OPD." in refused.content.decode()
    done = operator.post(url, {"status": REVISI, "komentar": "Lampirkan tanda tangan."}, headers=HX)
    body = done.content.decode()
    assert done.status_code == 200 and body.lstrip().startswith(f'<tr id="verif-{pending.id}"')
    assert "Perlu revisi" in body and "Lampirkan tanda tangan." in body
    pending.refresh_from_db()
    assert pending.status == REVISI and pending.diverifikasi_oleh == users["operator"]


def test_indicator_inline_entry_accepts_indonesian_decimals(client_for, users):
    indikator = Indikator.objects.get(kode="asi-eksklusif")
    url = reverse("konvergensi:capaian_isi", kwargs={"pk": indikator.pk, "tahun": 2024, "periode": "th"})
    dinkes = client_for(users["opd"])
    form = dinkes.get(url, headers=HX).content.decode()
    assert form.lstrip().startswith(f'<tr id="ind-{indikator.id}"') and 'name="pembilang"' in form
    bad = dinkes.post(url, {"pembilang": "600", "penyebut": "500"}, headers=HX)
    assert bad.status_code == 422 and "Pembilang tidak boleh lebih besar dari penyebut" in bad.content.decode()
    assert not Capaian.objects.exists()
    saved = dinkes.post(url, {"nilai": "72,5", "kendala": "Ibu bekerja", "upaya": "Ruang laktasi"}, headers=HX)
    row = saved.content.decode()
    assert saved.status_code == 200 and Capaian.objects.get().nilai == Decimal("72.5")
    assert "72,5%" in row and "Hampir tercapai" in row and "Ruang laktasi" in row  # 72.5 ≥ 0.9 × 80
    ratio = dinkes.post(url, {"pembilang": "412", "penyebut": "530"}, headers=HX).content.decode()
    assert Capaian.objects.get().nilai == Decimal("77.74") and "77,74%" in ratio and "412 / 530" in ratio


def test_indicator_table_counts_statuses(client_for, users):
    for kode, nilai in (("asi-eksklusif", "85"), ("mp-asi", "60"), ("ktd", "16")):
        services.save_capaian(Indikator.objects.get(kode=kode), 2024, "th", {"nilai": Decimal(nilai)}, users["admin"])
    page = client_for(users["pimpinan"]).get(reverse("konvergensi:indikator"), {"tahun": 2024, "periode": "th"}).content.decode()
    total = Indikator.objects.filter(aktif=True).count()
    assert "1 tercapai" in page and "1 hampir" in page and "1 belum" in page and f"{total - 3} belum ada data" in page
    assert '/isi/"' not in page  # Pimpinan gets no entry buttons
    dinkes_page = client_for(users["opd"]).get(reverse("konvergensi:indikator"), {"tahun": 2024, "periode": "th"}).content.decode()
    assert dinkes_page.count('/isi/" hx-target') == Indikator.objects.filter(opd__kode="dinkes", aktif=True).count()


def test_plan_form_reads_rupiah_with_dots_and_shows_budget_per_opd(client_for, users):
    dinkes = Opd.objects.get(kode="dinkes")
    lokus = LokusKelurahan.objects.filter(tahun=2025).first().kelurahan
    response = client_for(users["opd"]).post(reverse("konvergensi:rencana_tambah") + "?tahun=2025", {
        "opd": dinkes.pk, "nama": "PMT lokal ibu hamil KEK", "kode_program": "1.02.02", "kode_kegiatan": "1.02.02.2.02",
        "pagu": "150.000.000", "realisasi": "Rp 90.500.000", "sasaran": "ibu_hamil", "lokus": [lokus.pk],
        "indikator": [Indikator.objects.get(kode="bumil-kek-gizi").pk],
    })
    assert response.status_code == 302
    kegiatan = RencanaKegiatan.objects.get()
    assert (kegiatan.pagu, kegiatan.realisasi, kegiatan.tahun) == (150_000_000, 90_500_000, 2025)
    bad = client_for(users["opd"]).post(reverse("konvergensi:rencana_tambah") + "?tahun=2025", {
        "opd": dinkes.pk, "nama": "Lebih", "pagu": "1.000", "realisasi": "2.000", "sasaran": "umum",
    })
    assert bad.status_code == 200 and "Realisasi tidak boleh melebihi pagu." in bad.content.decode()
    assert 'value="Lebih"' in bad.content.decode()
    page = client_for(users["pimpinan"]).get(reverse("konvergensi:rencana"), {"tahun": 2025}).content.decode()
    assert "Rp 150.000.000" in page and "Rp 90.500.000" in page and "60,3%" in page


def test_rembuk_record_and_signatories_by_htmx(client_for, users):
    operator = client_for(users["operator"])
    response = operator.post(reverse("konvergensi:rembuk_simpan", kwargs={"tahun": 2025}), {
        "tanggal": "2025-05-14", "tempat": "Balai Kota", "jumlah_peserta": "142",
        "peserta": "OPD, DPRD", "kegiatan_disepakati": "PMT lokal\nPendampingan TPK",
    }, headers=HX)
    assert response.status_code == 200 and "14 Mei 2025" in response.content.decode()
    added = operator.post(reverse("konvergensi:penandatangan_tambah", kwargs={"tahun": 2025}), {"nama": "Sri Rahayu", "jabatan": "Wali Kota", "unsur": "wali_kota"}, headers=HX)
    assert "Sri Rahayu" in added.content.decode()
    missing = operator.post(reverse("konvergensi:penandatangan_tambah", kwargs={"tahun": 2025}), {"nama": "", "jabatan": "", "unsur": "opd"}, headers=HX)
    assert missing.status_code == 422
    assert RembukStunting.objects.get(tahun=2025).penandatangan.count() == 1
    page = client_for(users["pimpinan"]).get(reverse("konvergensi:aksi_detail", kwargs={"tahun": 2025, "nomor": 3})).content.decode()
    assert "<li>PMT lokal</li>" in page and "<li>Pendampingan TPK</li>" in page and "Sri Rahayu" in page


def test_readiness_page_counts_down_and_lists_what_is_missing(client_for, users, aksi, unggah):
    services.set_assessment_date(2025, datetime.date.today() + datetime.timedelta(days=12), user=SYSTEM)
    unggah(aksi(2), 0, status=REVISI, komentar="Belum bertanda tangan", verifier=users["operator"])
    page = client_for(users["opd"]).get(reverse("konvergensi:kesiapan"), {"tahun": 2025}).content.decode()
    assert re.search(r'data-testid="hitung-mundur">1[12] hari lagi<', page)  # 12 (11 just after midnight in UTC)
    section = page.split('data-testid="kurang-aksi-2"')[1].split("</section>")[0]
    assert "Perlu revisi" in section and "Bappeda" in section
    assert page.count('data-testid="kurang-aksi-') == 8  # nothing accepted yet anywhere


def test_opd_overview_page_lists_worst_first(client_for, users, aksi, unggah):
    for i in range(2):
        unggah(aksi(7), i, status=DITERIMA, verifier=users["operator"])  # Dinkes and Diskominfo
    page = client_for(users["pimpinan"]).get(reverse("konvergensi:ringkasan_opd"), {"tahun": 2025}).content.decode()
    order = re.findall(r'data-testid="opd-([a-z0-9-]+)"', page)
    assert order.index("bappeda") < order.index("diskominfo")  # Bappeda: nothing accepted; Diskominfo: action 7 done


def test_paparan_is_printable_with_kendala_and_upaya(client_for, users):
    services.save_capaian(Indikator.objects.get(kode="bumil-ttd"), 2024, "th", {"nilai": Decimal("75.6"), "kendala": "Efek mual", "upaya": "Kelas ibu hamil"}, users["opd"])
    response = client_for(users["opd"]).get(reverse("konvergensi:paparan_saya"), {"tahun": 2024, "periode": "th"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("konvergensi:paparan", kwargs={"kode": "dinkes"}))
    page = client_for(users["opd"]).get(response["Location"]).content.decode()
    assert "Dinas Kesehatan" in page and "data-cetak" in page
    row = page.split('data-testid="paparan-bumil-ttd"')[1].split("</tr>")[0]
    assert "80%" in row and "75,6%" in row and "Hampir tercapai" in row and "Efek mual" in row and "Kelas ibu hamil" in row
    assert client_for(users["opd"]).get(reverse("konvergensi:paparan", kwargs={"kode": "dispendik"})).status_code == 404


def test_pages_use_a_fixed_number_of_queries(client_for, users, aksi, unggah):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(users["opd"])
    urls = [reverse("konvergensi:index"), reverse("konvergensi:aksi_detail", kwargs={"tahun": 2025, "nomor": 7}), reverse("konvergensi:kesiapan")]
    unggah(aksi(7), 0, user=users["opd"])
    client.get(urls[0])  # warm caches (content types, sessions)

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            result.append(len(captured))
        return result

    before = counts()
    for i in range(10):
        unggah(aksi(7), i % 2, user=users["opd"], status=DITERIMA if i % 3 else None, verifier=users["operator"])
    assert counts() == before


def test_evidence_fingerprint_only_for_verifiers_and_never_named_by_its_algorithm(client_for, users, aksi, unggah):
    bukti = unggah(aksi(7), user=users["opd"])
    url = reverse("konvergensi:aksi_detail", kwargs={"tahun": 2025, "nomor": 7})
    opd_page = client_for(users["opd"]).get(url).content.decode()
    assert "Berkas asli" in opd_page and bukti.nama_berkas in opd_page
    assert bukti.sha256 not in opd_page and "SHA-256" not in opd_page
    operator_page = client_for(users["operator"]).get(url).content.decode()
    assert bukti.sha256 in operator_page and "SHA-256" not in operator_page


def test_action_reads_selesai_only_at_full_readiness(client_for, users, aksi, unggah):
    tahunan = aksi(2)
    tahunan.status = "selesai"
    tahunan.save()
    outputs = list(tahunan.keluaran.all())
    required = [i for i, k in enumerate(outputs) if k.wajib]
    assert len(required) > 1
    unggah(tahunan, required[0], status=DITERIMA, verifier=users["operator"])
    client = client_for(users["pimpinan"])
    detail = lambda: client.get(reverse("konvergensi:aksi_detail", kwargs={"tahun": 2025, "nomor": 2})).content.decode()  # noqa: E731
    status = lambda html: re.search(r'data-testid="status-aksi">([^<]+)<', html).group(1)  # noqa: E731
    page = detail()
    assert status(page) == "Berjalan" and "Ditandai selesai" in page
    board = client.get(reverse("konvergensi:index"), {"tahun": 2025}).content.decode()
    assert "0 / 8" in board  # no action counts as done below 100 %
    for i in required[1:]:
        unggah(tahunan, i, status=DITERIMA, verifier=users["operator"])
    page = detail()
    assert status(page) == "Selesai" and "Ditandai selesai" not in page


def test_siap_paparan_tab_differs_from_all_opds_for_the_operator(client_for, users, aksi, unggah):
    client = client_for(users["operator"])
    response = client.get(reverse("konvergensi:paparan_saya"), {"tahun": 2025})
    assert response.status_code == 302 and "siap=1" in response["Location"]
    ready = client.get(response["Location"]).content.decode()
    everyone = client.get(reverse("konvergensi:ringkasan_opd"), {"tahun": 2025}).content.decode()
    assert "OPD siap paparan" in ready and "OPD siap paparan" not in everyone
    assert re.search(r'aria-current="page">Siap paparan<', ready) and re.search(r'aria-current="page">Semua OPD<', everyone)
    # Nothing accepted and no capaian yet: every OPD is listed in "Semua OPD", none is ready.
    assert 'data-testid="opd-' in everyone and 'data-testid="opd-' not in ready
