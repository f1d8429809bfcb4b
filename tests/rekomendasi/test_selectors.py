"""Reads: status derived from linked activities and evidence, worst first, figures from the read
models (balita's figures with the interval, the indicator catalogue), what the panel asks about."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from balita import figures
from balita.prevalence import interval
from konvergensi import services as konvergensi_services
from konvergensi.models import AksiTahunan, Indikator, RencanaKegiatan
from rekomendasi import selectors, services
from tests.balita.conftest import make_anak, measure
from tests.konvergensi.files import pdf_bytes
from tests.rekomendasi.conftest import follow_up, make_inovasi, make_rekomendasi, opd
from tpps.periods import Periode
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db


def _status(user, rekomendasi):
    return next(r for r in selectors.recommendations(user) if r["id"] == rekomendasi.id)["status"]


def test_status_follows_activities_follow_ups_and_evidence(users):
    kegiatan = konvergensi_services.save_kegiatan(
        RencanaKegiatan(tahun=2025, opd=opd("dinkes"), nama="Tata laksana gizi buruk", pagu=1_000_000, sasaran="balita"), user=SYSTEM)
    rekomendasi = make_rekomendasi(kegiatan=[kegiatan])
    assert _status(users["pimpinan"], rekomendasi) == "belum"  # a planned activity with no realisation yet
    kegiatan.realisasi = 400_000
    konvergensi_services.save_kegiatan(kegiatan, user=SYSTEM)
    assert _status(users["pimpinan"], rekomendasi) == "berjalan"
    follow_up(rekomendasi, tuntas=True)
    assert _status(users["pimpinan"], rekomendasi) == "berjalan"  # no evidence yet
    bukti = konvergensi_services.upload_evidence(
        AksiTahunan.objects.get(tahun=2025, aksi__nomor=4), ContentFile(pdf_bytes(), name="sk.pdf"), judul="SK", user=SYSTEM)
    services.save_recommendation(rekomendasi, opd=[opd("dinkes")], kegiatan=[kegiatan], bukti=[bukti], user=SYSTEM)
    assert _status(users["pimpinan"], rekomendasi) == "berjalan"  # evidence still waiting
    konvergensi_services.verify_evidence(bukti, "diterima", "", SYSTEM)
    row = next(r for r in selectors.recommendations(users["pimpinan"]) if r["id"] == rekomendasi.id)
    assert row["status"] == "selesai" and row["status_label"] == "Selesai" and row["kurang"] == []


def test_a_follow_up_file_is_evidence(users):
    rekomendasi = make_rekomendasi()
    services.record_follow_up(rekomendasi, opd("dinkes"), {"uraian": "x", "tanggal": datetime.date(2025, 8, 1), "hasil": "y", "tuntas": True},
                              SimpleUploadedFile("bukti.pdf", pdf_bytes()), user=users["opd"])
    assert _status(users["opd"], rekomendasi) == "selesai"


def test_open_recommendations_worst_first(users):
    done = make_rekomendasi("Selesai", opds=("dinkes",))
    follow_up(done, tuntas=True)
    services.record_follow_up(done, opd("dinkes"), {"uraian": "bukti", "tanggal": datetime.date(2025, 9, 1)},
                              SimpleUploadedFile("b.pdf", pdf_bytes()), user=SYSTEM)
    running = make_rekomendasi("Berjalan", opds=("dinkes",))
    follow_up(running)
    make_rekomendasi("Belum, satu OPD", opds=("bappeda",))
    make_rekomendasi("Belum, tiga OPD", opds=("dinkes", "bappeda", "dinsos"))
    make_rekomendasi("Belum, lama", opds=("dinkes",), tahun=2024)
    titles = [r["judul"] for r in selectors.open_worst_first(users["pimpinan"])]
    assert titles == ["Belum, tiga OPD", "Belum, lama", "Belum, satu OPD", "Berjalan"]
    assert selectors.open_worst_first(users["wilayah"]) == []


def test_the_app_measure_is_balitas_figure_with_its_interval(users):
    for i, tinggi in enumerate((68, 76, 77)):
        anak = make_anak("Pesantren", nama=f"Anak {i}", posyandu="Melati")
        measure(anak, datetime.date(2025, 3, 1), berat=9.5, tinggi=tinggi)
    measure(make_anak("Betet", nama="Anak 2024", posyandu="Mawar"), datetime.date(2024, 6, 1), berat=9, tinggi=74)
    rekomendasi = make_rekomendasi(fields={"angka_aplikasi": "prevalensi_stunting"})
    angka = selectors.detail(users["pimpinan"], rekomendasi)["angka"]
    by_year = {n.tahun: n for n in angka["tren"]}
    assert set(by_year) == {2024, 2025}
    # One of the three children of 2025 is stunted (68 cm at 13 months), counted here by hand.
    assert by_year[2025].nilai == pytest.approx(100 / 3, abs=0.01)
    assert by_year[2025].ci == interval(1, 3, 3)
    assert by_year[2025].nilai == figures.figures(SYSTEM, Periode("tahun", 2025, 1)).prevalensi
    assert by_year[2024].nilai == 0


def test_indicator_trend_comes_from_the_catalogue(users):
    asi = Indikator.objects.get(kode="asi-eksklusif")
    konvergensi_services.save_capaian(asi, 2024, "th", {"nilai": 61}, SYSTEM)
    konvergensi_services.save_capaian(asi, 2025, "t2", {"nilai": 66.5}, SYSTEM)
    konvergensi_services.set_target(asi, 2025, 80, user=SYSTEM)
    rekomendasi = make_rekomendasi("Cakupan ASI eksklusif", indikator=[asi])
    trend = selectors.detail(users["opd"], rekomendasi)["tren_indikator"]
    assert len(trend) == 1 and trend[0]["nama"] == asi.nama
    assert [(t["tahun"], float(t["capaian"])) for t in trend[0]["tren"]] == [(2024, 61.0), (2025, 66.5)]
    assert trend[0]["tren"][1]["target"] == 80 and trend[0]["tren"][1]["status_label"] == "Belum tercapai"
    item = make_inovasi("Pojok ASI", indikator=asi)
    assert [float(t["capaian"]) for t in next(i for i in selectors.innovations(users["pimpinan"]) if i["id"] == item.id)["tren"]] == [61.0, 66.5]


def test_the_panel_of_a_year_asks_about_that_year_and_the_one_before(users):
    for tahun in (2023, 2024, 2025):
        make_rekomendasi(f"Rekomendasi {tahun}", tahun=tahun)
    got = selectors.for_assessment(users["pimpinan"], 2025)
    assert sorted(r["judul"] for r in got["rows"]) == ["Rekomendasi 2024", "Rekomendasi 2025"]
    assert got["jumlah"] == {"belum": 2, "berjalan": 0, "selesai": 0}


def test_follow_up_opds_are_the_linked_ones_the_user_acts_for(users, bappeda):
    rekomendasi = make_rekomendasi(opds=("dinkes", "bappeda"))
    assert {o.kode for o in selectors.follow_up_opds(users["operator"], rekomendasi)} == {"dinkes", "bappeda"}
    assert [o.kode for o in selectors.follow_up_opds(users["opd"], rekomendasi)] == ["dinkes"]
    assert selectors.follow_up_opds(users["pimpinan"], rekomendasi) == []
    assert selectors.follow_up_opds(users["opd"], make_rekomendasi("Lain", opds=("bappeda",))) == []


def test_a_recommendation_given_again_is_followed_year_over_year(users):
    first = make_rekomendasi("Tata laksana gizi 2024", tahun=2024)
    follow_up(first, uraian="Pelatihan tata laksana")
    again = make_rekomendasi("Tata laksana gizi 2025", tahun=2025, fields={"lanjutan_dari": first})
    got = selectors.detail(users["pimpinan"], again)
    assert [(r["judul"], r["status"], r["tindak_lanjut"]) for r in got["sebelumnya"]] == [("Tata laksana gizi 2024", "berjalan", 1)]
    assert [r["judul"] for r in selectors.detail(users["pimpinan"], first)["sesudahnya"]] == ["Tata laksana gizi 2025"]


def test_the_case_management_measure_is_kasus_cohort(users):
    """"Penguatan tata laksana gizi" answered by the app's own figure: of the nutrition cases opened
    in the year, the share recovered (kasus' cohort, the figure its pages show)."""
    stunted = make_anak("Pesantren", nama="Anak Pendek", posyandu="Melati")
    measure(stunted, datetime.date(2025, 3, 1), berat=9.5, tinggi=68)  # 13 months, 68 cm: opens a case
    for i, tinggi in enumerate((76, 77)):
        measure(make_anak("Pesantren", nama=f"Anak {i}", posyandu="Melati"), datetime.date(2025, 3, 1), berat=9.5,
                tinggi=tinggi)
    rekomendasi = make_rekomendasi(fields={"angka_aplikasi": "kasus_gizi_sembuh"})
    first = selectors.detail(users["pimpinan"], rekomendasi)["angka"]["tren"]
    assert [(n.tahun, n.nilai) for n in first] == [(2025, 0.0)]  # one case, not recovered yet
    assert "dari 1 kasus gizi" in first[0].catatan
    # Above −2 SD on two consecutive measurements: recovered.
    measure(stunted, datetime.date(2025, 4, 1), berat=9.8, tinggi=77)
    measure(stunted, datetime.date(2025, 5, 2), berat=10.0, tinggi=78)
    again = selectors.detail(users["pimpinan"], rekomendasi)["angka"]["tren"]
    assert [(n.tahun, n.nilai) for n in again] == [(2025, 100.0)]
