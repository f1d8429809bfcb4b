"""Business events: opening a year, action updates, evidence verification, achievements,
planned activities, Rembuk Stunting; each leaves an audit trail."""

import datetime
from decimal import Decimal

import pytest

from konvergensi import selectors, services
from konvergensi.models import (
    AksiTahunan,
    Bukti,
    Capaian,
    Indikator,
    KeluaranAksi,
    RencanaKegiatan,
    StatusAksi,
    StatusVerifikasi,
    TahunPenilaian,
    Verifikasi,
)
from tpps.errors import UserError
from tpps.models import Kelurahan, Opd
from tpps.roles import SYSTEM

DITERIMA, REVISI, MENUNGGU = StatusVerifikasi.DITERIMA, StatusVerifikasi.PERLU_REVISI, StatusVerifikasi.MENUNGGU


def test_reference_data_has_eight_actions_with_outputs_and_opds_for_2024_and_2025(db):
    for tahun in (2024, 2025):
        rows = AksiTahunan.objects.filter(tahun=tahun).order_by("aksi__nomor")
        assert [r.aksi.nomor for r in rows] == list(range(1, 9))
        assert all(r.keluaran.exists() and r.opd.exists() for r in rows)
    assert AksiTahunan.objects.get(tahun=2025, aksi__nomor=3).aksi.nama == "Rembuk Stunting"


def test_indicator_catalogue_has_the_ran_pasti_targets_for_2024(db):
    expected = {
        "asi-eksklusif": "80", "mp-asi": "80", "bumil-kek-gizi": "90", "bumil-ttd": "80", "rematri-ttd": "58",
        "gizi-buruk-tatalaksana": "90", "balita-dipantau": "90", "ktd": "15.5", "kb-pascapersalinan": "70",
        "catin-periksa": "90",
    }
    for kode, target in expected.items():
        indikator = Indikator.objects.get(kode=kode)
        assert indikator.target.get(tahun=2024).nilai == Decimal(target), kode
        assert indikator.jenis == "nasional"
    assert Indikator.objects.get(kode="ktd").arah == "turun"
    assert Indikator.objects.get(kode="prevalensi-stunting").arah == "turun"
    assert Indikator.objects.get(kode="unmet-need").arah == "turun"  # sasaran hulu's computed unmet need
    assert set(Indikator.objects.exclude(kode__in=["ktd", "prevalensi-stunting", "unmet-need"])
               .values_list("arah", flat=True)) == {"naik"}


def test_open_year_copies_opds_and_outputs_from_the_previous_year(db):
    earlier = AksiTahunan.objects.get(tahun=2025, aksi__nomor=2)
    KeluaranAksi.objects.create(aksi_tahunan=earlier, nama="Dokumen tambahan 2025", urutan=9)
    services.open_year(2026, user=SYSTEM)
    services.open_year(2026, user=SYSTEM)  # idempotent
    assert TahunPenilaian.objects.filter(tahun=2026).count() == 1
    assert AksiTahunan.objects.filter(tahun=2026).count() == 8
    copied = AksiTahunan.objects.get(tahun=2026, aksi__nomor=2)
    assert list(copied.keluaran.values_list("nama", flat=True)) == list(earlier.keluaran.values_list("nama", flat=True))
    assert set(copied.opd.all()) == set(earlier.opd.all())
    assert copied.status == StatusAksi.BELUM_MULAI
    assert 2026 in selectors.years()


def test_update_action_checks_dates_and_status(aksi):
    tahunan = aksi(1)
    with pytest.raises(UserError) as error:
        services.update_action(tahunan, {"status": StatusAksi.SELESAI}, user=SYSTEM)
    assert "realisasi selesai" in str(error.value)
    with pytest.raises(UserError):
        services.update_action(tahunan, {"rencana_mulai": datetime.date(2025, 3, 1), "rencana_selesai": datetime.date(2025, 2, 1)}, user=SYSTEM)
    services.update_action(tahunan, {
        "status": StatusAksi.SELESAI, "realisasi_mulai": datetime.date(2025, 1, 6),
        "realisasi_selesai": datetime.date(2025, 2, 20), "narasi": "Analisis selesai.",
    }, opd=[Opd.objects.get(kode="bappeda")], user=SYSTEM)
    tahunan.refresh_from_db()
    assert tahunan.status == StatusAksi.SELESAI and list(tahunan.opd.values_list("kode", flat=True)) == ["bappeda"]
    with pytest.raises(UserError):
        services.update_action(tahunan, {}, opd=[], user=SYSTEM)


def test_revision_needs_a_comment_and_every_decision_is_kept(aksi, unggah, users):
    bukti = unggah(aksi(7))
    with pytest.raises(UserError) as error:
        services.verify_evidence(bukti, REVISI, "  ", users["operator"])
    assert "diperbaiki" in str(error.value)
    services.verify_evidence(bukti, REVISI, "Tanda tangan belum ada.", users["operator"])
    services.verify_evidence(bukti, DITERIMA, "", users["admin"])
    bukti.refresh_from_db()
    assert bukti.status == DITERIMA and bukti.diverifikasi_oleh == users["admin"]
    history = list(Verifikasi.objects.filter(bukti=bukti).order_by("id").values_list("status", "komentar"))
    assert history == [(REVISI, "Tanda tangan belum ada."), (DITERIMA, "")]
    with pytest.raises(UserError):
        services.verify_evidence(bukti, MENUNGGU, "", users["admin"])


def test_audit_trail_records_evidence_verification(aksi, unggah, users):
    import pghistory.models

    bukti = unggah(aksi(7), status=DITERIMA, verifier=users["operator"])
    events = pghistory.models.Events.objects.filter(pgh_obj_model="konvergensi.Bukti", pgh_obj_id=str(bukti.pk))
    labels = [e.pgh_label for e in events.order_by("pgh_created_at")]
    assert labels[0] == "insert" and "update" in labels
    assert any((e.pgh_diff or {}).get("status") == ["menunggu", "diterima"] for e in events)


def test_readiness_counts_required_outputs_with_accepted_evidence(aksi, unggah, users):
    tahunan = aksi(1)  # three required outputs
    outputs = list(tahunan.keluaran.all())
    KeluaranAksi.objects.create(aksi_tahunan=tahunan, nama="Tidak wajib", wajib=False, urutan=10)
    unggah(tahunan, 0, status=DITERIMA, verifier=users["operator"])
    unggah(tahunan, 0)  # a second file for the same output changes nothing
    unggah(tahunan, 1, status=REVISI, verifier=users["operator"])
    unggah(tahunan, 3, status=DITERIMA, verifier=users["operator"])  # the optional one does not count
    row = next(a for a in selectors.actions_progress(2025, user=SYSTEM) if a["nomor"] == 1)
    required = [k for k in KeluaranAksi.objects.filter(aksi_tahunan=tahunan) if k.wajib]
    accepted = {b.keluaran_id for b in Bukti.objects.filter(aksi_tahunan=tahunan, status=DITERIMA)}
    expected = round(100 * sum(1 for k in required if k.id in accepted) / len(required), 1)
    assert row["kesiapan"] == expected == 33.3
    assert row["keluaran_wajib"] == len(outputs) == 3
    assert row["keluaran_diunggah"] == 2 and row["keluaran_diterima"] == 1
    assert row["bukti_counts"] == {"menunggu": 1, "diterima": 2, "perlu_revisi": 1, "total": 4}
    assert [k["state"] for k in row["kurang"]] == ["perlu_revisi", "belum"]
    summary = selectors.readiness_summary(2025, user=SYSTEM)
    others = [a["kesiapan"] for a in selectors.actions_progress(2025, user=SYSTEM) if a["nomor"] != 1]
    assert summary["kesiapan"] == round((expected + sum(others)) / 8, 1)
    assert summary["keluaran_diterima"] == 1


def test_countdown_to_the_assessment_date(db):
    services.set_assessment_date(2025, datetime.date(2026, 7, 1), user=SYSTEM)
    summary = selectors.readiness_summary(2025, today=datetime.date(2026, 6, 1), user=SYSTEM)
    assert summary["sisa_hari"] == 30 and summary["tanggal_penilaian"] == datetime.date(2026, 7, 1)
    assert selectors.readiness_summary(2025, today=datetime.date(2026, 7, 3), user=SYSTEM)["sisa_hari"] == -2


def test_capaian_percentage_is_computed_from_numerator_and_denominator(db, users):
    indikator = Indikator.objects.get(kode="asi-eksklusif")
    capaian = services.save_capaian(indikator, 2025, "t1", {"pembilang": Decimal(412), "penyebut": Decimal(530), "kendala": "", "upaya": ""}, users["opd"])
    assert capaian.nilai == Decimal("77.74")
    # Switching to a direct value clears nothing it should not.
    capaian = services.save_capaian(indikator, 2025, "t1", {"pembilang": None, "penyebut": None, "nilai": Decimal("78.1")}, users["opd"])
    assert capaian.nilai == Decimal("78.1") and Capaian.objects.count() == 1


@pytest.mark.parametrize(
    "data, field",
    [
        ({"pembilang": Decimal(5)}, "penyebut"),
        ({"pembilang": Decimal(5), "penyebut": Decimal(0)}, "penyebut"),
        ({"pembilang": Decimal(9), "penyebut": Decimal(5)}, "pembilang"),
        ({}, "nilai"),
    ],
)
def test_capaian_errors_name_the_field(db, users, data, field):
    with pytest.raises(UserError) as error:
        services.save_capaian(Indikator.objects.get(kode="mp-asi"), 2025, "t2", data, users["opd"])
    assert field in dict(error.value.pairs())


def test_kegiatan_rules(db):
    dinkes = Opd.objects.get(kode="dinkes")
    with pytest.raises(UserError) as error:
        services.save_kegiatan(RencanaKegiatan(tahun=2025, opd=dinkes, nama="PMT", pagu=100, realisasi=150, sasaran="balita"), user=SYSTEM)
    assert "melebihi pagu" in str(error.value)
    with pytest.raises(UserError) as error:
        services.save_kegiatan(RencanaKegiatan(tahun=2025, opd=dinkes, nama="PMT", kode_program="1.02.02", kode_kegiatan="2.14.02.2.02", pagu=100, sasaran="balita"), user=SYSTEM)
    assert "diawali kode programnya" in str(error.value)
    kegiatan = services.save_kegiatan(
        RencanaKegiatan(tahun=2025, opd=dinkes, nama="PMT", kode_program="1.02.02", kode_kegiatan="1.02.02.2.02", pagu=100, realisasi=60, sasaran="balita"),
        [Kelurahan.objects.get(nama="Betet")], [Indikator.objects.get(kode="bumil-kek-gizi")], user=SYSTEM
    )
    assert kegiatan.dalam_rkpd and kegiatan.realisasi_persen == 60
    assert list(kegiatan.lokus.values_list("nama", flat=True)) == ["Betet"]
    services.delete_kegiatan(kegiatan, user=SYSTEM)
    assert not RencanaKegiatan.objects.exists()


def test_rembuk_with_signatories(db):
    from konvergensi.models import RembukStunting

    rembuk = services.save_rembuk(RembukStunting(tahun=2025, tanggal=datetime.date(2025, 5, 14), kegiatan_disepakati="- PMT lokal\n\n• Pendampingan TPK\n"), user=SYSTEM)
    services.add_signatory(rembuk, " Sri Rahayu ", "Wali Kota Kediri", "wali_kota", user=SYSTEM)
    assert rembuk.daftar_kegiatan == ["PMT lokal", "Pendampingan TPK"]
    assert rembuk.penandatangan.get().nama == "Sri Rahayu"
    with pytest.raises(UserError):
        services.add_signatory(rembuk, "", "", "wali_kota", user=SYSTEM)
