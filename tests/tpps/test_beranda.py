"""Beranda per role: every tile's figure equals the dashboard's (same read model) and a count
made here from the rows; no personal data on any tile; each role sees its own tiles."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balita.models import Anak, ImporBatch, Pengukuran, TinjauanIdentitas
from kasus import derive
from kasus.models import Kasus
from konvergensi import selectors as konvergensi_selectors
from konvergensi import services as konvergensi_services
from konvergensi.models import AksiTahunan, Capaian, Indikator, TargetIndikator
from laporan.models import TargetTahunan
from tests.factories import kelurahan
from tests.konvergensi.files import pdf_bytes
from tests.laporan.helpers import expected, random_city, refresh_figures
from tpps import formatting
from tpps.models import Opd, Puskesmas
from tpps.periods import Periode
from tpps.roles import SYSTEM


def tile(html, kunci):
    """(figure, whole tile text) of the tile `kunci`, or None when the page has no such tile."""
    match = re.search(rf'data-ubin="{kunci}">(.*?)</a>', html, re.S)
    if not match:
        return None
    body = match.group(1)
    figure = re.search(r'data-angka="[^"]*">([^<]*)<', body).group(1).strip()
    return figure, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def dashboard_figure(html, name):
    return re.search(rf'data-angka="{name}">([^<]*)<', html).group(1).strip()


def pesantren_i_ids():
    return set(Puskesmas.objects.get(nama="Pesantren I").kelurahan.values_list("id", flat=True))


@pytest.fixture
def city(db):
    children = random_city(seed=15, children=70, kelurahan_names=["Betet", "Pesantren", "Banaran", "Tinalan",
                                                                 "Bandar Lor", "Semampir"])
    TargetTahunan.objects.create(tahun=2025, target_prevalensi=14)
    refresh_figures()
    derive.refresh(None)  # the rows above skipped balita's services, whose hook opens the cases
    return children


def latest_month_with_data():
    """The dashboard's default period, found here from the rows: the latest month whose
    under-fives were measured at least 20 % (else the latest month with any measurement)."""
    months = sorted({(m.year, m.month) for m in Pengukuran.objects.values_list("tanggal", flat=True)}, reverse=True)
    for year, month in months:
        periode = Periode("bulan", year, month)
        counts = expected(periode.mulai, periode.akhir)
        if counts["diukur"] and 100 * counts["diukur"] / counts["sasaran"] >= 20:
            return periode
    return Periode("bulan", *months[0])


@pytest.mark.django_db
def test_sekda_sees_the_dashboards_headline_figures_and_their_change(client_for, users, city):
    client = client_for(users["pimpinan"])
    home = client.get(reverse("home")).content.decode()
    dashboard = client.get(reverse("laporan:index")).content.decode()
    periode = latest_month_with_data()
    want = expected(periode.mulai, periode.akhir)
    # The same numbers as the dashboard, and as the rows counted here.
    for name in ("stunting", "prevalensi", "cakupan"):
        assert tile(home, name)[0] == dashboard_figure(dashboard, name)
    assert tile(home, "stunting")[0] == formatting.angka(want["stunting"])
    assert tile(home, "prevalensi")[0] == formatting.persen(100 * want["stunting"] / want["tbu_valid"], 2)
    assert tile(home, "cakupan")[0] == formatting.persen(100 * want["diukur"] / want["sasaran"])
    assert periode.label in tile(home, "stunting")[1]
    # What changed since last month, in the dashboard's words.
    before = periode.sebelumnya()
    want_before = expected(before.mulai, before.akhir)
    text = tile(home, "cakupan")[1]
    if want_before["diukur"]:
        change = round(100 * want["diukur"] / want["sasaran"] - 100 * want_before["diukur"] / want_before["sasaran"], 2)
        if change:
            words = "naik" if change > 0 else "turun"
            assert f"{words} {formatting.angka(abs(change), 1)} poin persen sejak {before.label_akhir}" in text
    # Every tile links to the page that lists what it counts; no work tiles for the Sekda.
    assert 'href="/laporan/?tahun=' in home
    for kunci in ("impor_menunggu", "bukti_menunggu", "kasus_terlambat", "indikator_tanpa_capaian"):
        assert tile(home, kunci) is None
    # No names anywhere on the Sekda's Beranda.
    assert not any(child.nama in home for child in city)


@pytest.mark.django_db
def test_operator_wilayah_sees_its_children_due_and_overdue(client_for, users, city):
    home = client_for(users["wilayah"]).get(reverse("home")).content.decode()
    area = pesantren_i_ids()
    # Measured in the area's default month: counted here from the rows.
    periode = latest_month_with_data_in(area)
    want = expected(periode.mulai, periode.akhir, area)
    figure, text = tile(home, "belum_diukur")
    assert figure == formatting.angka(want["sasaran"] - want["diukur"])
    assert periode.label in text
    # Cases due and overdue, counted here from the case rows of the area.
    on = min(datetime.date.today(), max(Pengukuran.objects.values_list("tanggal", flat=True)))
    due = overdue = lost = 0
    for kasus in Kasus.objects.filter(hasil="", anak__kelurahan_id__in=area).select_related("anak"):
        if (on - kasus.anak.tanggal_lahir).days > 1826:
            continue
        last = kasus.tanggal_ukur_terakhir or kasus.tanggal_buka
        if last < on - datetime.timedelta(days=90):
            lost += 1
        elif last + datetime.timedelta(days=30) < on:
            overdue += 1
        elif last + datetime.timedelta(days=30) <= on + datetime.timedelta(days=14):
            due += 1
    assert overdue + due + lost > 0, "the fixture must give the area open cases"
    assert tile(home, "kasus_jatuh_tempo")[0] == formatting.angka(due)
    assert tile(home, "kasus_terlambat")[0] == formatting.angka(overdue)
    assert tile(home, "kasus_tidak_terukur")[0] == formatting.angka(lost)
    assert 'href="/kasus/?tempo=terlambat"' in home
    # Its headline figures are its own area's.
    assert tile(home, "stunting")[0] == formatting.angka(want["stunting"])
    assert "wilayah Anda" in tile(home, "stunting")[1]
    # The follow-up list shows the same totals.
    follow = client_for(users["wilayah"]).get(reverse("kasus:tindak_lanjut"), {"tingkat": "kelurahan"}).content.decode()
    total_row = re.sub(r"<[^>]+>", " ", re.search(r"<tfoot>(.*?)</tfoot>", follow, re.S).group(1)).split()
    assert total_row[2:5] == [formatting.angka(due), formatting.angka(overdue), formatting.angka(lost)]


def latest_month_with_data_in(area):
    months = sorted({(m.year, m.month) for m in Pengukuran.objects.filter(anak__kelurahan_id__in=area)
                     .values_list("tanggal", flat=True)}, reverse=True)
    for year, month in months:
        periode = Periode("bulan", year, month)
        counts = expected(periode.mulai, periode.akhir, area)
        if counts["diukur"] and 100 * counts["diukur"] / counts["sasaran"] >= 20:
            return periode
    return Periode("bulan", *months[0])


def make_batch(user, status, reviews=0):
    batch = ImporBatch.objects.create(berkas="balita/impor/uji.xlsx", nama_berkas="uji.xlsx", diunggah_oleh=user,
                                      status=status)
    betet = kelurahan("Betet")
    for i in range(reviews):
        anak = Anak.objects.create(nama=f"Tertahan {i}", jenis_kelamin="P", tanggal_lahir=datetime.date(2024, 2, 1),
                                   kelurahan=betet)
        TinjauanIdentitas.objects.create(batch=batch, kunci=f"k{i}", jenis="nik_nama", anak=anak, baris=str(i + 2),
                                         baris_pertama=i + 2, nama=f"Lain {i}", jenis_kelamin="P",
                                         tanggal_lahir=datetime.date(2024, 2, 1), kelurahan=betet)
    return batch


@pytest.mark.django_db
def test_operator_sees_imports_reviews_and_verifications_waiting(client_for, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    waiting = make_batch(users["operator"], ImporBatch.Status.MENUNGGU, reviews=3)
    make_batch(users["wilayah"], ImporBatch.Status.MENUNGGU, reviews=1)
    make_batch(users["operator"], ImporBatch.Status.SELESAI, reviews=2)  # done: nothing waits
    decided = TinjauanIdentitas.objects.filter(batch=waiting).first()
    decided.keputusan = "sama"
    decided.save()
    tahunan = AksiTahunan.objects.filter(tahun=2025).order_by("aksi__nomor").first()
    for n in range(4):
        bukti = konvergensi_services.upload_evidence(
            tahunan, SimpleUploadedFile(f"d{n}.pdf", pdf_bytes(f"Dokumen {n}")), judul=f"Dokumen {n}", user=SYSTEM)
        if n == 0:
            konvergensi_services.verify_evidence(bukti, "diterima", "baik", SYSTEM)
    # Counted here from the rows: batches waiting (every uploader, the operator sees the city's).
    batches = ImporBatch.objects.filter(status=ImporBatch.Status.MENUNGGU).count()
    reviews = TinjauanIdentitas.objects.filter(batch__status=ImporBatch.Status.MENUNGGU, keputusan="").count()
    home = client_for(users["operator"]).get(reverse("home")).content.decode()
    assert tile(home, "impor_menunggu")[0] == formatting.angka(batches) == "2"
    assert tile(home, "tinjauan_identitas")[0] == formatting.angka(reviews) == "3"
    assert tile(home, "bukti_menunggu")[0] == "3"
    assert 'href="/konvergensi/verifikasi/"' in home and 'href="/balita/impor/"' in home
    # Each tile says in one line what it counts.
    assert "menunggu Anda simpan atau batalkan" in tile(home, "impor_menunggu")[1]
    # The wilayah operator sees only the batches it uploaded, and verifies nothing.
    own = client_for(users["wilayah"]).get(reverse("home")).content.decode()
    assert tile(own, "impor_menunggu")[0] == "1" and tile(own, "tinjauan_identitas")[0] == "1"
    assert tile(own, "bukti_menunggu") is None


@pytest.mark.django_db
def test_opd_sees_its_indicators_missing_capaian_kendala_or_upaya(client_for, users):
    tahun = konvergensi_selectors.default_year()
    dinkes = Opd.objects.get(kode="dinkes")
    # Three indicators the OPD types itself (the catalogue's own may all be computed from our data).
    met, missed, explained = (Indikator.objects.create(kode=f"uji-beranda-{i}", nama=f"Indikator uji {i}", opd=dinkes,
                                                       satuan="%", arah="naik", urutan=900 + i) for i in range(3))
    for indikator, nilai in ((met, 95), (missed, 10), (explained, 10)):
        TargetIndikator.objects.update_or_create(indikator=indikator, tahun=tahun, defaults={"nilai": Decimal(90)})
        data = {"nilai": Decimal(nilai)}
        if indikator is explained:
            data.update(kendala="Data terlambat", upaya="Rapat bulanan")
        konvergensi_services.save_capaian(indikator, tahun, "th", data, SYSTEM)
    assert {met.arah, missed.arah, explained.arah} == {"naik"}, "the test's capaian assume higher is better"
    # Counted here: Dinkes' active indicators without any capaian of the year (computed ones
    # have no measurements to compute from here), and the one below target without reasons.
    all_own = Indikator.objects.filter(opd=dinkes, aktif=True)
    typed = set(Capaian.objects.filter(tahun=tahun, nilai__isnull=False).values_list("indikator_id", flat=True))
    no_capaian = sum(1 for i in all_own if i.id not in typed)
    home = client_for(users["opd"]).get(reverse("home")).content.decode()
    assert tile(home, "indikator_tanpa_capaian")[0] == formatting.angka(no_capaian)
    assert tile(home, "indikator_tanpa_kendala")[0] == "1"
    assert f'href="/konvergensi/indikator/?tahun={tahun}"' in home
    # An OPD handles no imports or cases and sees no children.
    for kunci in ("impor_menunggu", "kasus_terlambat", "belum_diukur", "bukti_menunggu"):
        assert tile(home, kunci) is None


@pytest.mark.django_db
def test_beranda_without_data_and_without_role(client_for, users):
    # No measurements: no headline tiles, the work tiles say 0; a user without a role gets none.
    home = client_for(users["operator"]).get(reverse("home")).content.decode()
    assert tile(home, "stunting") is None
    assert tile(home, "impor_menunggu")[0] == "0"
    outsider = client_for(users["outsider"]).get(reverse("home")).content.decode()
    assert "data-ubin" not in outsider
    # The pages' tiles carry one line on what each page is for.
    assert "Register balita, pengukuran" in home
