"""Who may do what, per role: rules in konvergensi.policy, checked through the pages.

OPD users change only their own actions' evidence and their own indicators; Pimpinan only
reads; Admin and Operator DP3AP2KB change everything and verify; wilayah operators and users
without a role do not use the app."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from konvergensi import policy, services
from konvergensi.models import AksiTahunan, Bukti, Capaian, Indikator, RembukStunting, RencanaKegiatan, StatusVerifikasi
from tests.konvergensi import files
from tpps.models import Opd
from tpps.roles import SYSTEM

ROLES = ["admin", "operator", "opd", "wilayah", "pimpinan", "outsider"]
READ_ROLES = {"admin", "operator", "opd", "pimpinan"}


def read_urls():
    return [
        reverse("konvergensi:index"),
        reverse("konvergensi:aksi_detail", kwargs={"tahun": 2025, "nomor": 3}),
        reverse("konvergensi:indikator"),
        reverse("konvergensi:kesiapan"),
        reverse("konvergensi:ringkasan_opd"),
        reverse("konvergensi:paparan", kwargs={"kode": "dinkes"}),
        reverse("konvergensi:rencana"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_reading_pages(client_for, users, role):
    client = client_for(users[role])
    for url in read_urls():
        expected = 200 if role in READ_ROLES else 403
        assert client.get(url).status_code == expected, (role, url)
    verification = client.get(reverse("konvergensi:verifikasi")).status_code
    assert verification == (200 if role in {"admin", "operator"} else 403), role


def upload(client, tahun, nomor):
    url = reverse("konvergensi:bukti_unggah", kwargs={"tahun": tahun, "nomor": nomor})
    return client.post(url, {"berkas": SimpleUploadedFile("bukti.pdf", files.pdf_bytes())}, headers={"HX-Request": "true"})


@pytest.mark.parametrize(
    "role, nomor, expected",
    [
        ("opd", 7, 200),  # Dinkes answers for action 7
        ("opd", 2, 403),  # action 2 is Bappeda's
        ("bappeda", 2, 200),
        ("bappeda", 7, 403),
        ("operator", 2, 200),
        ("admin", 3, 200),
        ("pimpinan", 7, 403),
        ("wilayah", 7, 403),
        ("outsider", 7, 403),
    ],
)
def test_uploading_evidence(client_for, users, bappeda, role, nomor, expected):
    user = bappeda if role == "bappeda" else users[role]
    assert upload(client_for(user), 2025, nomor).status_code == expected
    assert Bukti.objects.count() == (1 if expected == 200 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_verifying_evidence(client_for, users, aksi, unggah, role):
    bukti = unggah(aksi(7))
    url = reverse("konvergensi:bukti_verifikasi", kwargs={"pk": bukti.pk})
    response = client_for(users[role]).post(url, {"status": "diterima", "komentar": ""}, headers={"HX-Request": "true"})
    bukti.refresh_from_db()
    if role in {"admin", "operator"}:
        assert response.status_code == 200 and bukti.status == StatusVerifikasi.DITERIMA
    else:
        assert response.status_code == 403 and bukti.status == StatusVerifikasi.MENUNGGU


def test_opd_deletes_its_pending_evidence_but_not_accepted_evidence(client_for, users, aksi, unggah):
    pending = unggah(aksi(7))
    accepted = unggah(aksi(7), 1, status=StatusVerifikasi.DITERIMA, verifier=users["operator"])
    other = unggah(aksi(2))  # Bappeda's action
    opd = client_for(users["opd"])
    delete = lambda b: opd.post(reverse("konvergensi:bukti_hapus", kwargs={"pk": b.pk}))  # noqa: E731
    assert delete(accepted).status_code == 403
    assert delete(other).status_code == 403
    assert delete(pending).status_code == 302
    assert set(Bukti.objects.values_list("id", flat=True)) == {accepted.id, other.id}
    assert client_for(users["pimpinan"]).post(reverse("konvergensi:bukti_hapus", kwargs={"pk": other.pk})).status_code == 403
    assert client_for(users["operator"]).post(reverse("konvergensi:bukti_hapus", kwargs={"pk": accepted.pk})).status_code == 302
    assert list(Bukti.objects.values_list("id", flat=True)) == [other.id]


@pytest.mark.parametrize(
    "role, nomor, expected",
    [("opd", 7, 200), ("opd", 2, 403), ("operator", 2, 200), ("pimpinan", 7, 403), ("wilayah", 7, 403)],
)
def test_changing_an_actions_status(client_for, users, role, nomor, expected):
    url = reverse("konvergensi:aksi_ubah", kwargs={"tahun": 2025, "nomor": nomor})
    current = list(AksiTahunan.objects.get(tahun=2025, aksi__nomor=nomor).opd.values_list("id", flat=True))
    data = {"status": "berjalan", "realisasi_mulai": "2025-02-03", "narasi": "Pengukuran serentak Februari.", "opd": current}
    response = client_for(users[role]).post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == expected
    tahunan = AksiTahunan.objects.get(tahun=2025, aksi__nomor=nomor)
    assert (tahunan.status == "berjalan") == (expected == 200)


def test_only_the_secretariat_chooses_responsible_opds(client_for, users):
    url = reverse("konvergensi:aksi_ubah", kwargs={"tahun": 2025, "nomor": 7})
    dinsos = Opd.objects.get(kode="dinsos").pk
    client_for(users["opd"]).post(url, {"status": "berjalan", "realisasi_mulai": "2025-02-03", "opd": [dinsos]})
    tahunan = AksiTahunan.objects.get(tahun=2025, aksi__nomor=7)
    assert "dinsos" not in tahunan.opd.values_list("kode", flat=True)
    client_for(users["operator"]).post(url, {"status": "berjalan", "realisasi_mulai": "2025-02-03", "opd": [dinsos]})
    assert list(tahunan.opd.values_list("kode", flat=True)) == ["dinsos"]


@pytest.mark.parametrize(
    "role, kode, expected",
    [
        ("opd", "asi-eksklusif", 200),  # Dinkes's indicator
        ("opd", "ktd", 403),  # DP3AP2KB's indicator
        ("operator", "ktd", 200),
        ("admin", "catin-periksa", 200),
        ("pimpinan", "asi-eksklusif", 403),
        ("wilayah", "asi-eksklusif", 403),
    ],
)
def test_entering_achievements(client_for, users, role, kode, expected):
    indikator = Indikator.objects.get(kode=kode)
    url = reverse("konvergensi:capaian_isi", kwargs={"pk": indikator.pk, "tahun": 2025, "periode": "t1"})
    client = client_for(users[role])
    assert client.get(url, headers={"HX-Request": "true"}).status_code == expected
    response = client.post(url, {"nilai": "77.5", "kendala": "", "upaya": ""}, headers={"HX-Request": "true"})
    assert response.status_code == expected
    assert Capaian.objects.filter(indikator=indikator).exists() == (expected == 200)


def test_planned_activities_belong_to_their_opd(client_for, users, bappeda):
    bappeda_opd = Opd.objects.get(kode="bappeda")
    theirs = services.save_kegiatan(RencanaKegiatan(tahun=2025, opd=bappeda_opd, nama="Reviu", pagu=10, sasaran="umum"), user=SYSTEM)
    dinkes = client_for(users["opd"])
    assert dinkes.get(reverse("konvergensi:rencana_ubah", kwargs={"pk": theirs.pk})).status_code == 403
    assert dinkes.post(reverse("konvergensi:rencana_hapus", kwargs={"pk": theirs.pk})).status_code == 403
    # Filing an activity under another OPD is not offered and not accepted.
    response = dinkes.post(reverse("konvergensi:rencana_tambah") + "?tahun=2025", {"opd": bappeda_opd.pk, "nama": "Titipan", "pagu": "1", "sasaran": "umum"})
    assert response.status_code == 200 and "Masukkan pilihan yang valid" in response.content.decode()
    assert not RencanaKegiatan.objects.filter(nama="Titipan").exists()
    assert client_for(users["pimpinan"]).get(reverse("konvergensi:rencana_tambah")).status_code == 403
    assert client_for(users["operator"]).get(reverse("konvergensi:rencana_ubah", kwargs={"pk": theirs.pk})).status_code == 200


def test_rembuk_is_recorded_by_action_3s_opds(client_for, users, bappeda):
    url = reverse("konvergensi:rembuk_simpan", kwargs={"tahun": 2025})
    data = {"tanggal": "2025-05-14", "kegiatan_disepakati": "PMT lokal"}
    assert client_for(users["opd"]).post(url, data).status_code == 403  # Dinkes is not on action 3
    assert client_for(users["pimpinan"]).post(url, data).status_code == 403
    assert client_for(bappeda).post(url, data).status_code == 302
    assert RembukStunting.objects.get(tahun=2025).tanggal == datetime.date(2025, 5, 14)


def test_year_management_is_for_the_secretariat(client_for, users):
    for role in ("opd", "pimpinan"):
        assert client_for(users[role]).post(reverse("konvergensi:buka_tahun"), {"tahun": 2026}).status_code == 403
        assert client_for(users[role]).post(reverse("konvergensi:tanggal_penilaian", kwargs={"tahun": 2025}), {"tanggal_penilaian": "2026-07-01"}).status_code == 403
    assert client_for(users["operator"]).post(reverse("konvergensi:buka_tahun"), {"tahun": 2026}).status_code == 302
    assert AksiTahunan.objects.filter(tahun=2026).count() == 8


def test_querysets_scope_per_role(users, bappeda, aksi, unggah):
    unggah(aksi(7))
    unggah(aksi(2))
    total = Bukti.objects.count()
    editable = {role: Bukti.objects.for_user(users[role], "change").count() for role in ROLES}
    readable = {role: Bukti.objects.for_user(users[role]).count() for role in ROLES}
    assert readable == {"admin": total, "operator": total, "opd": total, "pimpinan": total, "wilayah": 0, "outsider": 0}
    assert editable == {"admin": total, "operator": total, "opd": 1, "pimpinan": 0, "wilayah": 0, "outsider": 0}
    assert Bukti.objects.for_user(bappeda, "change").get().aksi_tahunan.aksi.nomor == 2
    dinkes_indicators = set(Indikator.objects.filter(opd__kode="dinkes").values_list("id", flat=True))
    assert set(Indikator.objects.for_user(users["opd"], "change").values_list("id", flat=True)) == dinkes_indicators
    assert not Indikator.objects.for_user(users["pimpinan"], "change").exists()
    assert Bukti.objects.for_user(users["operator"], "verify").count() == total
    assert not Bukti.objects.for_user(users["opd"], "verify").exists()


def test_policy_functions_agree_with_the_rules(users, aksi):
    action7, action2 = aksi(7), aksi(2)
    assert policy.can_edit_action(users["opd"], action7) and not policy.can_edit_action(users["opd"], action2)
    assert not policy.can_edit_action(users["pimpinan"], action7)
    assert policy.can_verify(users["operator"]) and not policy.can_verify(users["opd"])
    assert [o.kode for o in policy.uploadable_opds(users["opd"], action7)] == ["dinkes"]
    assert len(policy.uploadable_opds(users["operator"], action7)) == action7.opd.count()
    capaian_rules = {role: policy.can_enter_capaian(users[role], Indikator.objects.get(kode="asi-eksklusif")) for role in ROLES}
    assert capaian_rules == {"admin": True, "operator": True, "opd": True, "pimpinan": False, "wilayah": False, "outsider": False}
    assert not policy.can_enter_capaian(users["opd"], Indikator.objects.get(kode="ktd"))
