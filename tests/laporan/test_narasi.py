"""The pack's narrative (written from the pack's figures, edited and reverted by the secretariat,
stale edits shown), its signature page and the assessment year every year selector starts on."""

import datetime
import re
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from balita import figures as balita_figures
from konvergensi import selectors as konvergensi_selectors
from konvergensi.models import TahunPenilaian
from laporan import narasi, pdf
from laporan.models import NarasiPaket, TargetTahunan
from tests.factories import kelurahan
from tests.laporan.helpers import expected, make_anak, make_pengukuran, random_city, refresh_figures
from tpps import formatting
from tpps.models import JejakAudit, PejabatTpps
from tpps.periods import Periode

YEAR = Periode("tahun", 2025, 1)
LAST = Periode("tahun", 2024, 1)


def _rate(want, cases, valid):
    return round(100 * want[cases] / want[valid], 2)


def _city():
    random_city(seed=7, children=90)
    TargetTahunan.objects.create(tahun=2025, target_prevalensi=14, target_cakupan=90)
    refresh_figures()


def _texts(tahun=2025):
    return {p.kunci: p.teks for p in narasi.paragraphs(pdf.figures(tahun))}


def _flat(text):
    return re.sub(r"\s+", " ", text)


@pytest.mark.django_db
def test_narrative_numbers_are_the_figures_counted_independently():
    _city()
    now, before = expected(YEAR.mulai, YEAR.akhir), expected(LAST.mulai, LAST.akhir)
    # Both years stand for the city, so every change is told.
    for want in (now, before):
        assert 100 * want["diukur"] / want["sasaran"] >= balita_figures.CAKUPAN_CUKUP
    texts = _texts()

    prev_now, prev_before = _rate(now, "stunting", "tbu_valid"), _rate(before, "stunting", "tbu_valid")
    stunting = texts["stunting"]
    assert (f"{formatting.angka(now['stunting'])} dari {formatting.angka(now['tbu_valid'])} balita dengan TB/U sah"
            in stunting)
    assert f"prevalensi {formatting.persen(prev_now, 2)} (95% CI " in stunting
    change = round(prev_now - prev_before, 2)
    word = "turun" if change < 0 else "naik"
    assert f"Angka ini {word} {formatting.angka(abs(change), 2)} poin persen dari {formatting.persen(prev_before, 2)} (95% CI" in stunting
    assert ("tidak bertumpang tindih" in stunting) != ("belum pasti nyata" in stunting)
    assert f"Target prevalensi 2025 sebesar 14,0% {'tercapai' if prev_now <= 14 else 'belum tercapai'}." in stunting

    gizi = texts["gizi"]
    wasting_now, wasting_before = _rate(now, "wasting", "bbtb_valid"), _rate(before, "wasting", "bbtb_valid")
    assert f"Gizi kurang dan gizi buruk (wasting): {formatting.angka(now['wasting'])} balita, prevalensi {formatting.persen(wasting_now, 2)}" in gizi
    uw_now = _rate(now, "underweight", "bbu_valid")
    assert f"Berat badan kurang (underweight): {formatting.angka(now['underweight'])} balita, prevalensi {formatting.persen(uw_now, 2)}" in gizi
    wasting_change = round(wasting_now - wasting_before, 2)
    if wasting_change:
        assert f"{'turun' if wasting_change < 0 else 'naik'} {formatting.angka(abs(wasting_change), 2)} poin persen dari {formatting.persen(wasting_before, 2)}" in gizi

    cover_now = round(100 * now["diukur"] / now["sasaran"], 2)
    cover_before = round(100 * before["diukur"] / before["sasaran"], 2)
    cakupan = texts["cakupan"]
    assert (f"Sebanyak {formatting.angka(now['diukur'])} dari {formatting.angka(now['sasaran'])} balita sasaran "
            f"({formatting.persen(cover_now)})") in cakupan
    assert f"{formatting.angka(now['sasaran'] - now['diukur'])} balita sasaran belum diukur" in cakupan
    cover_change = round(cover_now - cover_before, 2)
    if cover_change:
        assert f"{'naik' if cover_change > 0 else 'turun'} {formatting.angka(abs(cover_change), 1)} poin persen" in cakupan

    # The summary sorts each change to "membaik" or "belum membaik" by its direction.
    pokok = texts["pokok"]
    better, worse = pokok.split("Yang belum membaik")
    stunting_words = f"prevalensi stunting {word} {formatting.angka(abs(change), 2)} poin persen"
    assert stunting_words in (better if change < 0 else worse)


def test_paragraphs_without_data_say_so_and_sources_are_worded_with_their_numbers():
    genting = {"kosong": False, "totals": {"masuk": 12_500_000, "keluar": 9_000_000, "saldo": 3_500_000,
                                            "natura_keluar": 0, "donatur": 14, "keluarga_dibantu": 21, "penyaluran": 63}}
    text = " ".join(narasi._genting({"genting": genting, "tahun": 2025}))
    assert "donasi uang masuk Rp 12.500.000 dari 14 orang tua asuh" in text
    assert "Rp 9.000.000 tersalurkan dalam 63 penyaluran kepada 21 keluarga; saldo akhir tahun Rp 3.500.000" in text
    assert "barang" not in text
    empty = " ".join(narasi._genting({"genting": {"kosong": True}, "tahun": 2025}))
    assert empty == "Belum ada transaksi GENTING pada tahun 2025."
    kasus = {"kohort": {"kasus": 40, "sembuh": 17, "persen_sembuh": 42.5, "hilang": 10, "persen_hilang": 25.0,
                        "terbuka": 11, "median_hari": 96}}
    text = " ".join(narasi._kasus({"kasus": kasus, "tahun": 2025}))
    assert text == ("Dari 40 kasus gizi yang dibuka pada 2025, 17 sembuh (42,5%), 10 tidak terukur ulang (25,0%) "
                    "dan 11 masih diikuti. Median waktu sampai sembuh 96 hari.")
    rows = [{"status": "belum", "judul": f"Rekomendasi {i}"} for i in range(5)] + [{"status": "selesai", "judul": "X"}]
    text = " ".join(narasi._rekomendasi({"rekomendasi": {"rows": rows, "jumlah": {"belum": 5, "selesai": 1, "berjalan": 0}},
                                          "tahun": 2025}))
    assert "Dari 6 rekomendasi dan catatan kelemahan penilaian 2024–2025, 1 selesai ditindaklanjuti" in text
    assert "Rekomendasi 0; Rekomendasi 1; Rekomendasi 2; dan 2 lainnya." in text
    indikator = [{"status": "tercapai", "nama": "A", "capaian": 91, "target": 90},
                 {"status": "belum", "nama": "ASI eksklusif", "capaian": 61.25, "target": 80},
                 {"status": "tanpa_data", "nama": "C", "capaian": None, "target": 80}]
    text = " ".join(narasi._indikator({"indikator": indikator, "tahun": 2025}))
    assert "Dari 3 indikator tahun 2025, 1 tercapai, 0 hampir tercapai, 1 belum tercapai dan 1 belum ada data" in text
    assert "ASI eksklusif (capaian 61,2 dari target 80,0)" in text or "ASI eksklusif (capaian 61,3 dari target 80,0)" in text


@pytest.mark.django_db
def test_readiness_and_indicator_paragraphs_read_the_pack_rows():
    data = pdf.figures(2025)
    texts = {p.kunci: p.teks for p in narasi.paragraphs(data)}
    # The reference data open 2025 with its actions and catalogue: nothing accepted yet.
    actions = data["aksi"]
    assert len(actions) == 8 and all(a["kesiapan"] == 0 for a in actions)
    assert "Kesiapan delapan aksi konvergensi 2025 rata-rata 0,0%" in texts["aksi"]
    assert texts["aksi"].count("aksi ") >= 8  # every unfinished action is named
    assert f"Dari {len(data['indikator'])} indikator tahun 2025" in texts["indikator"]


def _csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("laporan:narasi"), {"tahun": 2025})
    assert page.status_code == 200
    return client, page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value


@pytest.mark.django_db
def test_operator_edits_and_reverts_a_paragraph_with_an_audit_row(users):
    _city()
    automatic = _texts()["stunting"]
    client, token = _csrf_client(users["operator"])
    url = reverse("laporan:narasi_simpan", args=[2025, "stunting"])

    assert client.post(url, {"teks": "Tanpa token."}).status_code == 403  # CSRF checked
    assert not NarasiPaket.objects.exists()

    refused = client.post(url, {"teks": "   ", "csrfmiddlewaretoken": token}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "tidak boleh kosong" in refused.content.decode()
    assert not NarasiPaket.objects.exists()

    mine = "Prevalensi stunting Kota Kediri turun; rincian angka ada pada bab 1."
    saved = client.post(url, {"teks": mine, "csrfmiddlewaretoken": token}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    html = saved.content.decode()
    assert mine in html and "Kembalikan ke teks otomatis" in html and 'id="narasi-stunting"' in html
    row = NarasiPaket.objects.get()
    assert (row.tahun, row.kunci, row.teks, row.teks_otomatis, row.diubah_oleh) == (2025, "stunting", mine, automatic, users["operator"])
    trail = JejakAudit.objects.filter(model="laporan.NarasiPaket", objek=str(row.pk))
    assert trail.filter(aksi="tambah", pengguna=users["operator"]).count() == 1

    page = client.get(reverse("laporan:narasi"), {"tahun": 2025}).content.decode()
    assert mine in page and "berbeda" not in page  # figures unchanged: no warning

    back = client.post(reverse("laporan:narasi_kembalikan", args=[2025, "stunting"]), {"csrfmiddlewaretoken": token})
    assert back.status_code == 302
    assert not NarasiPaket.objects.exists()
    assert trail.filter(aksi="hapus", pengguna=users["operator"]).count() == 1
    page = client.get(reverse("laporan:narasi"), {"tahun": 2025}).content.decode()
    assert automatic.split(":")[0] in page and mine not in page


@pytest.mark.django_db
def test_who_may_edit_and_who_reads(client_for, users):
    NarasiPaket.objects.create(tahun=2025, kunci="genting", teks="Teks sekretariat.", teks_otomatis="lama",
                               diubah_oleh=users["operator"])
    save = reverse("laporan:narasi_simpan", args=[2025, "genting"])
    revert = reverse("laporan:narasi_kembalikan", args=[2025, "genting"])
    for role in ("admin", "operator"):
        page = client_for(users[role]).get(reverse("laporan:narasi"), {"tahun": 2025})
        assert page.status_code == 200 and 'name="teks"' in page.content.decode()
    reader = client_for(users["pimpinan"])
    page = reader.get(reverse("laporan:narasi"), {"tahun": 2025}).content.decode()
    assert "Teks sekretariat." in page and 'name="teks"' not in page and "Kembalikan" not in page
    assert reader.post(save, {"teks": "Ubahan pimpinan"}).status_code == 403
    assert reader.post(revert).status_code == 403
    for role in ("opd", "wilayah", "outsider"):
        client = client_for(users[role])
        assert client.get(reverse("laporan:narasi")).status_code == 403
        assert client.post(save, {"teks": "x"}).status_code == 403
    assert NarasiPaket.objects.get().teks == "Teks sekretariat."
    operator = client_for(users["operator"])
    assert operator.post(reverse("laporan:narasi_simpan", args=[2025, "tidak-ada"]), {"teks": "x"}).status_code == 404
    assert operator.post(reverse("laporan:narasi_simpan", args=[1990, "genting"]), {"teks": "x"}).status_code == 404


@pytest.mark.django_db
def test_an_edit_made_before_the_figures_changed_is_flagged(client_for, users):
    _city()
    client = client_for(users["operator"])
    mine = "Teks lama dengan angka lama."
    client.post(reverse("laporan:narasi_simpan", args=[2025, "stunting"]), {"teks": mine})
    client.post(reverse("laporan:narasi_simpan", args=[2025, "genting"]), {"teks": "GENTING berjalan."})
    before = _texts()["stunting"]
    # Three more children found stunted in 2025: the automatic text moves, the edit does not.
    for i in range(3):
        child = make_anak(kelurahan("Betet"), datetime.date(2023, 3, 1), nama=f"Baru {i}")
        make_pengukuran(child, datetime.date(2025, 6, 10 + i), haz=-2.6, waz=-1.0, whz=0.0)
    refresh_figures()
    after = _texts()["stunting"]
    assert after != before
    page = client.get(reverse("laporan:narasi"), {"tahun": 2025}).content.decode()
    stunting = page[page.index('id="narasi-stunting"'):page.index('id="narasi-gizi"')]
    assert 'data-narasi="berbeda"' in stunting and "Angka sudah berubah" in stunting
    assert after.split(".")[0] in stunting  # today's automatic wording is shown beside the edit
    genting = page[page.index('id="narasi-genting"'):page.index('id="narasi-kasus"')]
    assert 'data-narasi="berbeda"' not in genting  # GENTING's figures did not move
    # The pack page warns before the pack is made (its year starts on the assessment year, 2025 here).
    TahunPenilaian.objects.filter(tahun=2025).update(tanggal_penilaian=timezone.localdate() + datetime.timedelta(days=9))
    pack_page = client.get(reverse("laporan:paket")).content.decode()
    warning = pack_page[pack_page.index('id="narasi-basi"'):]
    assert "Prevalensi stunting" in warning.split("</div>")[0] and "GENTING" not in warning.split("</div>")[0]
    assert 'href="/laporan/paket/narasi/?tahun=2025"' in warning


@pytest.mark.django_db
def test_admin_sets_the_officials_others_may_not(client_for, users):
    url = reverse("kelola:pejabat")
    for role in ("operator", "pimpinan", "opd"):
        assert client_for(users[role]).get(url).status_code == 403
    admin = client_for(users["admin"])
    assert admin.get(url).status_code == 200
    bad = admin.post(url, {"ketua-nama": "Drs. Heru", "ketua-nip": "123", "ketua-jabatan": "Sekda",
                           "sekretaris-nama": "", "sekretaris-nip": "", "sekretaris-jabatan": ""})
    html = bad.content.decode()
    assert "NIP harus 18 angka." in html and "Isi nama pejabat." in html
    assert not PejabatTpps.objects.exists()  # nothing half-stored
    ok = admin.post(url, _officials())
    assert ok.status_code == 302
    ketua = PejabatTpps.objects.get(peran="ketua")
    assert ketua.nip == "196805121990031007"  # spaces dropped
    assert JejakAudit.objects.filter(model="tpps.PejabatTpps", aksi="tambah", pengguna=users["admin"]).count() == 2


@pytest.mark.django_db
def test_demo_officials_are_valid_rows():
    from tpps import demo

    demo.load()
    rows = list(PejabatTpps.objects.all())
    assert {r.peran for r in rows} == {"ketua", "sekretaris"}
    for row in rows:
        row.full_clean()  # an 18-digit NIP, a name and a position


def _officials():
    return {"ketua-nama": "Drs. Heru Wicaksono, M.Si.", "ketua-nip": "19680512 199003 1 007",
            "ketua-jabatan": "Sekretaris Daerah Kota Kediri",
            "sekretaris-nama": "Dra. Siti Aminah, M.M.", "sekretaris-nip": "197201041998032005",
            "sekretaris-jabatan": "Kepala DP3AP2KB Kota Kediri"}


@pytest.mark.django_db
def test_pdf_prints_the_edited_narrative_and_the_signature_page(client_for, users, tmp_path):
    _city()
    client_for(users["admin"]).post(reverse("kelola:pejabat"), _officials())
    automatic = _texts()
    mine = "Paragraf stunting yang ditulis ulang oleh sekretariat TPPS."
    client_for(users["operator"]).post(reverse("laporan:narasi_simpan", args=[2025, "stunting"]), {"teks": mine})

    content, pages = pdf.render_pack(2025)
    path = tmp_path / "paket.pdf"
    path.write_bytes(content)
    text = _flat(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout)
    assert "Ringkasan naratif" in text and mine in text
    assert automatic["stunting"][:60] not in text  # the edit replaces the automatic paragraph
    assert automatic["cakupan"][:60] in text  # the others print as written by the rules
    assert "disunting" not in text.lower() and "otomatis" not in text.lower()  # nothing technical
    assert "Lembar pengesahan" in text
    assert f"Kediri, {formatting.tanggal(timezone.localdate())}" in text
    # NIPs printed in their groups (birth date, appointment month, sex, serial).
    for name, nip in (("Drs. Heru Wicaksono, M.Si.", "19680512 199003 1 007"), ("Dra. Siti Aminah, M.M.", "19720104 199803 2 005")):
        assert name in text and f"NIP {nip}" in text
    assert "Ketua TPPS" in text and "Sekretaris TPPS" in text
    # The signature page is the last page; the table of contents points there.
    last = subprocess.run(["pdftotext", "-f", str(pages), "-l", str(pages), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Lembar pengesahan" in last and "Heru Wicaksono" in last
    toc = re.search(r"Lembar pengesahan ?\.+ ?(\d+)", text)
    assert toc and int(toc.group(1)) == pages
    assert "1. Ringkasan angka utama" in text  # chapter numbers unchanged by the unnumbered pages


@pytest.mark.django_db
def test_the_default_year_is_the_assessment_year(client_for, users):
    today = timezone.localdate()
    TahunPenilaian.objects.get_or_create(tahun=today.year)
    TahunPenilaian.objects.filter(tahun=2024).update(tanggal_penilaian=datetime.date(2025, 6, 17))
    # The 2025 panel is still to come: 2025 is defended, not the calendar year.
    TahunPenilaian.objects.filter(tahun=2025).update(tanggal_penilaian=today + datetime.timedelta(days=30))
    assert today.year > 2025
    assert konvergensi_selectors.default_year(today) == 2025
    operator = client_for(users["operator"])
    assert operator.get(reverse("laporan:paket")).context["form"].initial["tahun"] == 2025
    assert operator.get(reverse("laporan:narasi")).context["tahun"] == 2025
    assert 'value="2025" selected' in operator.get(reverse("laporan:paket")).content.decode()
    # Once that panel is past, the newest opened year not after this one.
    TahunPenilaian.objects.filter(tahun=2025).update(tanggal_penilaian=today - datetime.timedelta(days=1))
    assert konvergensi_selectors.default_year(today) == today.year
    assert operator.get(reverse("laporan:narasi")).context["tahun"] == today.year
    # In March 2025 the panel on 2024 (June 2025) was still to come.
    assert konvergensi_selectors.default_year(datetime.date(2025, 3, 1)) == 2024


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_operator_edits_and_reverts_in_chromium_at_phone_width(live_server, page):
    from tests.factories import PASSWORD, make_user
    from tpps.roles import Role

    make_user("operator_narasi", (Role.OPERATOR, {}))
    _city()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "operator_narasi")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")
    page.goto(live_server.url + reverse("laporan:paket"))
    page.click("#buka-narasi")
    page.wait_for_selector("#narasi-cakupan textarea")
    box = page.locator("#teks-cakupan").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the textarea fits a phone

    mine = "Cakupan penimbangan naik berkat bulan timbang Februari dan Agustus."
    page.fill("#teks-cakupan", mine)
    page.click("#simpan-cakupan")
    page.wait_for_selector("#narasi-cakupan #kembalikan-cakupan")  # swapped in place by HTMX
    assert NarasiPaket.objects.get(kunci="cakupan").teks == mine
    page.reload()
    assert page.locator("#teks-cakupan").input_value() == mine

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#kembalikan-cakupan")
    page.wait_for_selector("#narasi-cakupan:not(:has(#kembalikan-cakupan))")
    assert not NarasiPaket.objects.exists()
    assert page.locator("#teks-cakupan").input_value().startswith("Sebanyak ")
