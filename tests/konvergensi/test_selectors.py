"""Reads other apps rely on: indicator results (typed and computed from balita), the OPD
overview worst first, the plan's consistency checks. Figures are checked against counts made
here from the rows."""

import datetime
from decimal import Decimal

from balita.models import Anak, Pengukuran
from konvergensi import selectors, services
from konvergensi.models import Capaian, Indikator, RencanaKegiatan, StatusVerifikasi, TargetIndikator
from tpps.models import Kelurahan, Opd
from tests.laporan.helpers import refresh_figures
from tpps.roles import SYSTEM


def _row(rows, kode):
    return next(r for r in rows if r["kode"] == kode)


def test_indicator_results_status_respects_direction(db, users):
    asi = Indikator.objects.get(kode="asi-eksklusif")  # higher is better, target 80
    ktd = Indikator.objects.get(kode="ktd")  # lower is better, target 15.5
    services.save_capaian(asi, 2024, "th", {"nilai": Decimal("73")}, users["operator"])
    services.save_capaian(ktd, 2024, "th", {"nilai": Decimal("16.9"), "kendala": "PUS muda", "upaya": "Konseling"}, users["operator"])
    rows = selectors.indicator_results(2024, "th", user=SYSTEM)
    assert _row(rows, "asi-eksklusif")["status"] == "hampir" and _row(rows, "asi-eksklusif")["warna"] == "amber"
    assert _row(rows, "ktd")["status"] == "hampir" and _row(rows, "ktd")["kendala"] == "PUS muda"
    services.save_capaian(ktd, 2024, "th", {"nilai": Decimal("12")}, users["operator"])
    assert _row(selectors.indicator_results(2024, "th", user=SYSTEM), "ktd")["status"] == "tercapai"
    services.save_capaian(asi, 2024, "th", {"nilai": Decimal("50")}, users["operator"])
    assert _row(selectors.indicator_results(2024, "th", user=SYSTEM), "asi-eksklusif")["warna"] == "red"
    assert _row(rows, "mp-asi")["status"] == "tanpa_data"
    # Every active indicator appears once, with the keys laporan reads.
    assert len(rows) == Indikator.objects.filter(aktif=True).count()
    keys = {"nama", "opd", "satuan", "arah", "target", "capaian", "status", "warna", "kendala", "upaya", "periode"}
    assert keys <= set(rows[0])


def test_freshest_period_is_taken_when_no_period_is_asked(db, users):
    mp = Indikator.objects.get(kode="mp-asi")
    services.save_capaian(mp, 2024, "t1", {"nilai": Decimal("70")}, users["operator"])
    services.save_capaian(mp, 2024, "t2", {"nilai": Decimal("81")}, users["operator"])
    row = _row(selectors.indicator_results(2024, user=SYSTEM), "mp-asi")
    assert row["periode"] == "t2" and row["periode_label"] == "Triwulan II"
    assert row["capaian"] == Decimal("81") and row["status"] == "tercapai"
    assert selectors.latest_period_with_data(2024) == "t2"
    assert selectors.latest_period_with_data(2030) == "t1"


def _measure(anak, tanggal, kategori, zs="-2.5", flag=False):
    umur = (tanggal - anak.tanggal_lahir).days
    return Pengukuran.objects.create(
        anak=anak, tanggal=tanggal, kelurahan=anak.kelurahan, umur_hari=umur, umur_bulan=umur // 30,
        tinggi=Decimal("80.0"), berat=Decimal("10.0"), zs_tbu=Decimal(zs), kategori_tbu=kategori, flag_tbu=flag,
    )


def test_prevalence_and_measured_share_are_computed_from_balita(db, users):
    betet = Kelurahan.objects.get(nama="Betet")
    kids = [
        Anak.objects.create(nama=f"Anak {i}", jenis_kelamin="L", tanggal_lahir=datetime.date(2023, 1 + i, 1), kelurahan=betet)
        for i in range(6)
    ]
    day = datetime.date(2025, 2, 10)
    _measure(kids[0], day, "pendek")
    _measure(kids[1], day, "sangat_pendek", "-3.4")
    _measure(kids[2], day, "normal", "0.1")
    _measure(kids[3], day, "normal", "-7.0", flag=True)  # implausible: not in the prevalence
    # kids[4] and kids[5] are registered but not measured in Q1.
    _measure(kids[4], datetime.date(2025, 5, 2), "normal", "0.3")  # Q2 only
    Anak.objects.create(nama="Sudah besar", jenis_kelamin="P", tanggal_lahir=datetime.date(2019, 1, 1), kelurahan=betet)
    refresh_figures()  # rows made here skip balita's services
    # A typed value is overridden by our own data.
    services.save_capaian(Indikator.objects.get(kode="prevalensi-stunting"), 2025, "t1", {"nilai": Decimal("9"), "kendala": "k", "upaya": "u"}, users["operator"])

    rows = selectors.indicator_results(2025, "t1", user=SYSTEM)
    prevalence = _row(rows, "prevalensi-stunting")
    measured_valid = 3  # kids 0, 1, 2 (kid 3 flagged)
    stunted = 2
    assert prevalence["dihitung"] is True
    assert (prevalence["pembilang"], prevalence["penyebut"]) == (stunted, measured_valid)
    assert prevalence["capaian"] == Decimal("66.67")
    assert prevalence["status"] == "tanpa_target"  # the migration sets 2024 targets only
    assert prevalence["kendala"] == "k"
    services.set_target(Indikator.objects.get(kode="prevalensi-stunting"), 2025, Decimal("18"), user=SYSTEM)
    assert _row(selectors.indicator_results(2025, "t1", user=SYSTEM), "prevalensi-stunting")["status"] == "belum"

    share = _row(rows, "balita-dipantau")
    toddlers = Anak.objects.filter(tanggal_lahir__gt=datetime.date(2020, 1, 1)).count()
    assert (share["pembilang"], share["penyebut"]) == (4, toddlers) == (4, 6)
    assert share["capaian"] == Decimal("66.67") and share["dihitung"]


def test_computed_indicators_fall_back_to_typed_values_without_balita_data(db, users):
    services.save_capaian(Indikator.objects.get(kode="prevalensi-stunting"), 2024, "th", {"nilai": Decimal("4.9")}, users["operator"])
    row = _row(selectors.indicator_results(2024, "th", user=SYSTEM), "prevalensi-stunting")
    assert row["capaian"] == Decimal("4.9") and not row["dihitung"] and row["status"] == "tercapai"


def test_opd_overview_is_worst_first(aksi, unggah, users, db):
    for keluaran_index in range(3):
        unggah(aksi(1), keluaran_index, status=StatusVerifikasi.DITERIMA, verifier=users["operator"])  # Bappeda, Dinkes, DP3AP2KB
    services.save_capaian(Indikator.objects.get(kode="catin-periksa"), 2025, "th", {"nilai": Decimal("95")}, users["admin"])
    TargetIndikator.objects.create(indikator=Indikator.objects.get(kode="catin-periksa"), tahun=2025, nilai=Decimal("90"))
    rows = selectors.opd_overview(2025, "th", user=SYSTEM)
    scores = [r["skor"] for r in rows]
    assert scores == sorted(scores)
    kemenag = next(r for r in rows if r["kode"] == "kemenag")
    assert kemenag["indikator"] == 1 and kemenag["tercapai"] == 1 and kemenag["skor"] == 100
    bappeda = next(r for r in rows if r["kode"] == "bappeda")
    actions = [a for a in selectors.actions_progress(2025, user=SYSTEM) if "Bappeda" in a["opd"]]
    assert bappeda["aksi"] == [a["nomor"] for a in actions]
    assert bappeda["keluaran_wajib"] == sum(a["keluaran_wajib"] for a in actions)
    assert bappeda["keluaran_diterima"] == 3
    assert rows[-1]["kode"] == "kemenag"


def test_plan_overview_flags_unfunded_indicators_and_activities_outside_the_rkpd(db):
    dinkes, bappeda = Opd.objects.get(kode="dinkes"), Opd.objects.get(kode="bappeda")
    asi, ktd = Indikator.objects.get(kode="asi-eksklusif"), Indikator.objects.get(kode="ktd")
    services.save_kegiatan(RencanaKegiatan(tahun=2025, opd=dinkes, nama="Konseling ASI", kode_program="1.02.02", kode_kegiatan="1.02.02.2.02", pagu=150_000_000, realisasi=90_000_000, sasaran="ibu_hamil"), [], [asi], user=SYSTEM)
    services.save_kegiatan(RencanaKegiatan(tahun=2025, opd=dinkes, nama="Kampanye tanpa anggaran", pagu=0, sasaran="umum"), [], [ktd], user=SYSTEM)
    services.save_kegiatan(RencanaKegiatan(tahun=2025, opd=bappeda, nama="Reviu", kode_program="5.01.02", kode_kegiatan="5.01.02.2.01", pagu=40_000_001, realisasi=40_000_001, sasaran="umum"), user=SYSTEM)
    services.save_kegiatan(RencanaKegiatan(tahun=2024, opd=bappeda, nama="Tahun lain", pagu=5, sasaran="umum"), [], [ktd], user=SYSTEM)
    data = selectors.plan_overview(2025, user=SYSTEM)
    unserved = {i.kode for i in data["indikator_tanpa_kegiatan"]}
    assert "asi-eksklusif" not in unserved and "ktd" in unserved  # ktd only has an unfunded activity
    assert unserved == set(Indikator.objects.filter(aktif=True).exclude(kode="asi-eksklusif").values_list("kode", flat=True))
    assert [k.nama for k in data["tidak_rkpd"]] == ["Kampanye tanpa anggaran"]
    rows = RencanaKegiatan.objects.filter(tahun=2025)
    assert data["total"]["pagu"] == sum(r.pagu for r in rows) == 190_000_001
    assert data["total"]["realisasi"] == sum(r.realisasi for r in rows)
    per_opd = {r["singkatan"]: r for r in data["per_opd"]}
    assert per_opd["Dinkes"]["pagu"] == 150_000_000 and per_opd["Dinkes"]["persen"] == 60.0 and per_opd["Dinkes"]["tidak_rkpd"] == 1
    assert per_opd["Bappeda"]["persen"] == 100.0 and isinstance(per_opd["Bappeda"]["pagu"], int)


def test_paparan_holds_the_opds_indicators_and_actions(db, users):
    dinkes = Opd.objects.get(kode="dinkes")
    data = selectors.paparan(2025, dinkes, user=SYSTEM)
    assert {r["kode"] for r in data["indikator"]} == set(Indikator.objects.filter(opd=dinkes).values_list("kode", flat=True))
    assert {a["nomor"] for a in data["aksi"]} == {1, 5, 6, 7}
    assert Capaian.objects.count() == 0 and data["siap"] == 0
