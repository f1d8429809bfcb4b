"""The derived status of a recommendation (rekomendasi.rules), in both directions."""

from rekomendasi.rules import Jejak, Status, kurang, status, worst_first_key


def jejak(**kw):
    base = {"opd": {1: "Dinkes", 2: "Bappeda"}}
    base.update(kw)
    return Jejak(**base)


def test_nothing_recorded_is_belum():
    assert status(jejak()) == Status.BELUM
    assert status(Jejak()) == Status.BELUM


def test_any_follow_up_activity_realised_or_evidence_makes_berjalan():
    assert status(jejak(tindak_lanjut=1)) == Status.BERJALAN
    assert status(jejak(kegiatan=2, kegiatan_terealisasi=1)) == Status.BERJALAN
    assert status(jejak(bukti=1)) == Status.BERJALAN
    # A linked activity without any realisation is only a plan.
    assert status(jejak(kegiatan=1)) == Status.BELUM


def test_selesai_needs_every_opd_tuntas_every_activity_realised_and_valid_evidence():
    done = dict(opd_tuntas={1, 2}, tindak_lanjut=2, kegiatan=1, kegiatan_terealisasi=1, berkas_tindak_lanjut=1)
    assert status(jejak(**done)) == Status.SELESAI
    assert status(jejak(**{**done, "opd_tuntas": {1}})) == Status.BERJALAN
    assert status(jejak(**{**done, "kegiatan": 2})) == Status.BERJALAN
    assert status(jejak(**{**done, "berkas_tindak_lanjut": 0})) == Status.BERJALAN
    # Evidence still waiting for verification does not count; accepted evidence does.
    assert status(jejak(**{**done, "berkas_tindak_lanjut": 0, "bukti": 1})) == Status.BERJALAN
    assert status(jejak(**{**done, "berkas_tindak_lanjut": 0, "bukti": 1, "bukti_diterima": 1})) == Status.SELESAI
    # Without a responsible OPD nothing is ever selesai.
    assert status(Jejak(tindak_lanjut=1, berkas_tindak_lanjut=1)) == Status.BERJALAN


def test_what_is_missing_names_the_opds_and_the_gaps():
    missing = kurang(jejak(opd_tuntas={1}, kegiatan=3, kegiatan_terealisasi=1))
    assert missing == ["tindak lanjut belum tuntas: Bappeda", "2 kegiatan terkait belum ada realisasi", "belum ada bukti yang diterima"]
    assert kurang(Jejak())[0] == "belum ada OPD penanggung jawab"


def test_worst_first_orders_status_then_opds_waiting_then_older_year():
    rows = [
        ("berjalan", jejak(), 2024),
        ("belum", jejak(opd={1: "Dinkes"}), 2025),
        ("belum", jejak(), 2025),
        ("belum", jejak(), 2024),
    ]
    ordered = sorted(rows, key=lambda r: worst_first_key(r[0], r[1], r[2]))
    assert [(s, len(j.opd), t) for s, j, t in ordered] == [("belum", 2, 2024), ("belum", 2, 2025), ("belum", 1, 2025), ("berjalan", 2, 2024)]
