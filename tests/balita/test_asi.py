"""ASI eksklusif: the e-PPGBM column (loose headers, Ya/Tidak/Y/T/1/0, errors by row), the form,
and both indicators of balita.asi checked against counts computed here from the stored rows."""

import datetime
import random

import pytest

from balita import asi, services
from balita.models import ImporBatch, Pengukuran
from tests.balita.conftest import make_anak, measure, row
from tests.factories import kelurahan
from tpps.periods import Periode
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db
COLUMNS = ["NIK", "Nama", "JK", "Tgl Lahir", "Nama Ortu", "Desa/Kel", "Posyandu", "Tanggal Pengukuran", "Berat", "Tinggi",
           "ASI"]


def test_import_reads_the_asi_column_under_loose_headers(eppgbm_file):
    rows = [
        row(NIK="3571030101250001", Nama="Bayi Satu", **{"Tgl Lahir": "01/01/2025", "Tanggal Pengukuran": "2025-03-01",
                                                       "Berat": 5.5, "Tinggi": 58, "ASI": "Ya"}),
        row(NIK="3571030101250002", Nama="Bayi Dua", **{"Tgl Lahir": "01/01/2025", "Tanggal Pengukuran": "2025-03-01",
                                                      "Berat": 5.4, "Tinggi": 57.5, "ASI": "T"}),
        row(NIK="3571030101250003", Nama="Bayi Tiga", **{"Tgl Lahir": "01/01/2025", "Tanggal Pengukuran": "2025-03-01",
                                                       "Berat": 5.6, "Tinggi": 58, "ASI": ""}),
        row(NIK="3571030101250004", Nama="Bayi Empat", **{"Tgl Lahir": "01/01/2025", "Tanggal Pengukuran": "2025-03-01",
                                                        "Berat": 5.6, "Tinggi": 58, "ASI": "mungkin"}),
    ]
    batch, _ = services.import_file(eppgbm_file(rows, columns=COLUMNS), user=SYSTEM)
    assert batch.status == ImporBatch.Status.SELESAI
    stored = dict(Pengukuran.objects.values_list("anak__nama", "asi_eksklusif"))
    assert stored == {"Bayi Satu": True, "Bayi Dua": False, "Bayi Tiga": None}
    error = batch.galat.get()
    assert (error.baris, error.kolom) == (5, "ASI") and "Ya atau Tidak" in error.pesan

    # Again: nothing changes; an empty cell later never wipes a stored answer.
    again, _ = services.import_file(eppgbm_file(rows[:3], columns=COLUMNS), user=SYSTEM)
    assert (again.pengukuran_baru, again.pengukuran_diubah) == (0, 0)
    rows[0]["ASI"] = ""
    rows[1]["ASI"] = "1"
    later, _ = services.import_file(eppgbm_file(rows[:2], columns=COLUMNS), user=SYSTEM)
    assert later.pengukuran_diubah == 1
    assert dict(Pengukuran.objects.values_list("anak__nama", "asi_eksklusif"))["Bayi Dua"] is True
    assert dict(Pengukuran.objects.values_list("anak__nama", "asi_eksklusif"))["Bayi Satu"] is True


def test_the_form_records_an_answer_and_unknown_stays_unknown():
    baby = make_anak(nama="Bayi Form", tanggal_lahir=datetime.date(2025, 1, 1))
    yes = measure(baby, datetime.date(2025, 2, 1), berat=4.5, tinggi=54, asi_eksklusif=True)
    unknown = measure(baby, datetime.date(2025, 3, 1), berat=5.4, tinggi=57)
    assert (yes.asi_eksklusif, unknown.asi_eksklusif) == (True, None)


def _city(seed=7):
    """Infants in two kelurahan with monthly weighings and random answers (Ya, Tidak, unknown),
    some turning six months inside March 2025, a few measured only after six months."""
    rng = random.Random(seed)
    for i in range(40):
        place = "Pesantren" if i % 2 else "Betet"
        born = datetime.date(2024, 8, 1) + datetime.timedelta(days=rng.randint(0, 200))
        child = make_anak(place, nama=f"Bayi {i}", tanggal_lahir=born, posyandu="Melati" if i % 3 else "Mawar")
        day = born + datetime.timedelta(days=rng.randint(5, 25))
        while day <= datetime.date(2025, 4, 30):
            answer = rng.choice([True, True, True, False, None])
            measure(child, day, berat=round(4 + (day - born).days / 60, 1), tinggi=round(52 + (day - born).days / 15, 1),
                    asi_eksklusif=answer)
            day += datetime.timedelta(days=rng.randint(25, 35))


def _expected(periode, kelurahan_name=None):
    """Both indicators counted here from the stored rows, in Python."""
    rows = list(Pengukuran.objects.select_related("anak__kelurahan").order_by("anak_id", "tanggal"))
    if kelurahan_name:
        rows = [r for r in rows if r.anak.kelurahan.nama == kelurahan_name]
    latest = {}
    for r in rows:
        if periode.mulai <= r.tanggal <= periode.akhir and (r.tanggal - r.anak.tanggal_lahir).days < 182.625:
            latest[r.anak_id] = r
    known = [r for r in latest.values() if r.asi_eksklusif is not None]
    children = {r.anak_id: r.anak for r in rows}
    reached = [a for a in children.values()
               if periode.mulai <= a.tanggal_lahir + datetime.timedelta(days=183) <= periode.akhir]
    assessed = passed = 0
    for child in reached:
        answers = [r.asi_eksklusif for r in rows if r.anak_id == child.id and (r.tanggal - child.tanggal_lahir).days <= 182
                   and r.asi_eksklusif is not None]
        if len(answers) >= asi.MIN_CATATAN_LULUS:
            assessed += 1
            passed += all(answers)
    return {"bayi": len(latest), "diketahui": len(known), "asi": sum(r.asi_eksklusif for r in known),
            "genap_6_bulan": len(reached), "dinilai": assessed, "lulus": passed}


@pytest.mark.parametrize("periode", [Periode("bulan", 2025, 3), Periode("triwulan", 2025, 1), Periode("tahun", 2025, 1)],
                         ids=lambda p: p.kode)
def test_both_indicators_equal_counts_made_in_the_test(periode):
    _city()
    got = asi.asi(SYSTEM, periode)
    want = _expected(periode)
    assert {k: getattr(got, k) for k in want} == want
    assert want["diketahui"] < want["bayi"]  # unknown answers exist and are left out of the rate
    assert got.persen_asi == round(100 * want["asi"] / want["diketahui"], 2)
    by_kelurahan = asi.asi_by(SYSTEM, periode, "kelurahan")
    for name in ("Pesantren", "Betet"):
        figure = by_kelurahan[kelurahan(name).pk]
        assert {k: getattr(figure, k) for k in want} == _expected(periode, name)


def test_scope_limits_the_figures_to_the_area(users):
    _city()
    periode = Periode("tahun", 2025, 1)
    mine = asi.asi(users["wilayah"], periode)  # Puskesmas Pesantren I: Pesantren, not Betet
    assert {k: getattr(mine, k) for k in ("bayi", "diketahui", "asi")} == {
        k: v for k, v in _expected(periode, "Pesantren").items() if k in ("bayi", "diketahui", "asi")}
    assert asi.asi(users["opd"], periode).bayi == 0


def test_the_page_shows_the_figure(client, users):
    _city()
    client.force_login(users["pimpinan"])
    response = client.get("/balita/asi/?tahun=2025&periode=th")
    assert response.status_code == 200
    figure = asi.asi(SYSTEM, Periode("tahun", 2025, 1))
    html = response.content.decode()
    assert f"{figure.asi} dari {figure.diketahui} bayi" in html
    assert 'id="asi-per-wilayah"' in html and "Pesantren" in html
