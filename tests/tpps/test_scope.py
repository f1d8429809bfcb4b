"""The one scope verb: for every model with a scoped queryset and every fixture role,
`for_user(user, action)` returns exactly the rows the rules in the README allow (computed here
from each row's own kelurahan, OPD or uploader, not through a queryset), and what a user may
change or verify is always a part of what they may view."""

import datetime

import pytest
from django.apps import apps
from django.core.files.base import ContentFile

from balita.models import Anak, ImporBatch, Pengukuran, RingkasanGizi, RingkasanMutu, TemuanDiperiksa
from ibuhamil.models import Kehamilan, KunjunganAnc, PemberianPmt
from kasus.models import Intervensi, Kasus, Langkah
from laporan.models import NarasiPaket, SurveiPrevalensi
from genting.models import (
    AnggotaKeluarga, Donasi, KeluargaRisikoStunting, OrangTuaAsuh, Pendampingan, Penyaluran, Transaksi,
)
from konvergensi import services as konvergensi_services
from konvergensi.models import (
    Aksi, AksiTahunan, Bukti, Capaian, Indikator, KeluaranAksi, RembukStunting, RencanaKegiatan, TahunPenilaian,
    TargetIndikator,
)

from rekomendasi import services as rekomendasi_services
from rekomendasi.models import Inovasi, Rekomendasi, TindakLanjut
from sasaran.models import Catin, ImporSasaran, KeluargaKrs, TtdRemajaPutri
from tests.sasaran.helpers import catin as make_catin, ttd as make_ttd
from tests.balita.conftest import make_anak, measure
from tests.factories import make_user
from tests.genting.conftest import disburse, donate, make_keluarga, make_ota
from tests.konvergensi.files import pdf_bytes
from tpps.models import JejakAudit, Kelurahan, Opd, PejabatTpps, Posyandu
from tpps.roles import CHANGE, DISBURSE, FOLLOW_UP, SYSTEM, VERIFY, VIEW, Role, ScopedQuerySet

PESANTREN_I = {"Pesantren", "Banaran", "Burengan", "Pakunden", "Singonegaran", "Tinalan"}
ALL = object()  # a user who acts on every row


@pytest.fixture
def people(users):
    """The shared role users, a wilayah of Betet who is also Pimpinan, and the system; each with
    what the rules say about them: roles, their kelurahan names and their OPD codes."""
    mixed = make_user("u_lurah_sekda", (Role.WILAYAH, {"kelurahan": "Betet"}), (Role.PIMPINAN, {}))
    who = {key: users[key] for key in ("admin", "operator", "opd", "wilayah", "pimpinan", "outsider")}
    who["lurah_sekda"] = mixed
    who["system"] = SYSTEM
    facts = {
        "admin": ({Role.ADMIN}, set(), set()),
        "operator": ({Role.OPERATOR}, set(), set()),
        "opd": ({Role.OPD}, set(), {"dinkes"}),
        "wilayah": ({Role.WILAYAH}, PESANTREN_I, set()),
        "pimpinan": ({Role.PIMPINAN}, set(), set()),
        "outsider": (set(), set(), set()),
        "lurah_sekda": ({Role.WILAYAH, Role.PIMPINAN}, {"Betet"}, set()),
        "system": ({Role.ADMIN}, set(), set()),
    }
    return who, facts


@pytest.fixture
def city(users, settings, tmp_path):
    """Rows inside Puskesmas Pesantren I's area (Pesantren) and outside it (Betet), for two OPDs."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, posyandu in (("Pesantren", "Melati"), ("Betet", "Mawar")):
        anak = make_anak(name, nama=f"Anak {name}", posyandu=posyandu)
        measure(anak, datetime.date(2025, 3, 1), berat=9.5, tinggi=75)
        TemuanDiperiksa.objects.create(jenis="nik_kosong", kunci=str(anak.pk), anak=anak)
        kasus = Kasus.objects.create(anak=anak, masalah="stunting", tanggal_buka=datetime.date(2025, 3, 1))
        Langkah.objects.create(kasus=kasus, tahap="periksa_puskesmas", tanggal=datetime.date(2025, 3, 5), hasil="terkonfirmasi")
        for kode in ("dinkes", "dinsos", None):
            Intervensi.objects.create(kasus=kasus, jenis="konseling_gizi", mulai=datetime.date(2025, 3, 6),
                                      opd=Opd.objects.get(kode=kode) if kode else None)
        kehamilan = Kehamilan.objects.create(nama=f"Ibu Hamil {name}", tanggal_lahir=datetime.date(1996, 4, 1),
                                             kelurahan=anak.kelurahan, hpht=datetime.date(2025, 1, 10),
                                             hpl=datetime.date(2025, 10, 17), akhir=datetime.date(2025, 10, 31))
        KunjunganAnc.objects.create(kehamilan=kehamilan, ke=1, tanggal=datetime.date(2025, 3, 1), lila=22)
        PemberianPmt.objects.create(kehamilan=kehamilan, mulai=datetime.date(2025, 3, 5))
    for uploader in (users["wilayah"], users["admin"]):
        ImporBatch.objects.create(nama_berkas="eppgbm.xlsx", berkas="balita/impor/x.xlsx", diunggah_oleh=uploader)
    helper, other = make_ota("PT Satu"), make_ota("PT Dua")
    for name, ota in (("Pesantren", helper), ("Betet", other)):
        family = make_keluarga(name, kepala=f"Kepala {name}")
        AnggotaKeluarga.objects.create(keluarga=family, nama=f"Ibu {name}", sasaran="ibu_hamil")
        Pendampingan.objects.create(orang_tua_asuh=ota, keluarga=family, mulai=datetime.date(2025, 1, 5))
        donate(ota, 1_000_000)
        disburse(family, 200_000)
    donate(make_ota("Yayasan tanpa keluarga"), 50_000)
    NarasiPaket.objects.create(tahun=2025, kunci="stunting", teks="Suntingan.", teks_otomatis="Otomatis.")
    PejabatTpps.objects.create(peran="ketua", nama="Drs. Ketua", jabatan="Sekretaris Daerah")
    for i, name in enumerate(("Pesantren", "Betet")):
        make_catin(name, nik=f"357103010100000{i}")
        make_ttd(name)
        KeluargaKrs.objects.create(tahun=2025, kepala_keluarga=f"KK {name}", kunci=f"nama:kk {name}",
                                   kelurahan=Kelurahan.objects.get(nama=name))
    for uploader in (users["wilayah"], users["admin"], users["opd"]):
        ImporSasaran.objects.create(jenis="catin", berkas="sasaran/impor/x.xlsx", nama_berkas="x.xlsx", diunggah_oleh=uploader)
    for nomor in (1, 2, 3):
        tahunan = AksiTahunan.objects.get(aksi__nomor=nomor, tahun=2025)
        konvergensi_services.upload_evidence(
            tahunan, ContentFile(pdf_bytes(f"Bukti {nomor}"), name=f"bukti-{nomor}.pdf"), judul=f"Bukti {nomor}", user=SYSTEM
        )
    for kode in ("dinkes", "bappeda"):
        konvergensi_services.save_kegiatan(
            RencanaKegiatan(tahun=2025, opd=Opd.objects.get(kode=kode), nama=f"Kegiatan {kode}", pagu=10, sasaran="umum"),
            user=SYSTEM,
        )
    for indikator in (Indikator.objects.filter(opd__kode="dinkes").first(), Indikator.objects.exclude(opd__kode="dinkes").first()):
        konvergensi_services.save_capaian(indikator, 2025, "th", {"nilai": 50}, SYSTEM)
        konvergensi_services.set_target(indikator, 2025, 60, user=SYSTEM)
    konvergensi_services.save_rembuk(RembukStunting(tahun=2025, tanggal=datetime.date(2025, 5, 14)), user=SYSTEM)
    for kode in ("dinkes", "bappeda"):
        opd = Opd.objects.get(kode=kode)
        rekomendasi = rekomendasi_services.save_recommendation(Rekomendasi(tahun=2025, judul=f"Rekomendasi {kode}"), opd=[opd], user=SYSTEM)
        rekomendasi_services.record_follow_up(rekomendasi, opd, {"uraian": "Dikerjakan", "tanggal": datetime.date(2025, 6, 1)}, user=SYSTEM)
        rekomendasi_services.save_innovation(Inovasi(nama=f"Inovasi {kode}", opd=opd, mulai=datetime.date(2025, 1, 1), sasaran="balita",
                                                     sumber_anggaran="apbd", uraian="Contoh"), user=SYSTEM)


# --- what the rules say, row by row ------------------------------------------------------------

SECRETARIAT = {Role.ADMIN, Role.OPERATOR}
CITY = {Role.ADMIN, Role.OPERATOR, Role.PIMPINAN}
READERS = {Role.ADMIN, Role.OPERATOR, Role.PIMPINAN, Role.OPD}


def area_rule(kelurahan_of, *, view_roles=CITY, wilayah_changes=True, extra_actions=()):
    def rule(row, action, roles, areas, opds, user):
        if action == VIEW:
            return bool(roles & view_roles) or (Role.WILAYAH in roles and kelurahan_of(row) in areas)
        if action == CHANGE:
            return bool(roles & SECRETARIAT) or (wilayah_changes and Role.WILAYAH in roles and kelurahan_of(row) in areas)
        return bool(roles & SECRETARIAT)  # verify, and the ledger's disburse
    rule.actions = (VIEW, CHANGE, VERIFY, *extra_actions)
    return rule


def opd_rule(opds_of):
    def rule(row, action, roles, areas, opds, user):
        if action == VIEW:
            return bool(roles & READERS)
        if action == CHANGE:
            return bool(roles & SECRETARIAT) or (Role.OPD in roles and bool(opds_of(row) & opds))
        return bool(roles & SECRETARIAT)
    rule.actions = (VIEW, CHANGE, VERIFY)
    return rule


def city_rule(view_extra=lambda row, roles, areas, user: False, view_roles=CITY, change_roles=SECRETARIAT):
    def rule(row, action, roles, areas, opds, user):
        if action == VIEW:
            return bool(roles & view_roles) or view_extra(row, roles, areas, user)
        return bool(roles & change_roles)
    rule.actions = (VIEW, CHANGE, VERIFY)
    return rule


def health_office_rule(kelurahan_of, **area_rule_options):
    """sasaran's catin and TTD rows, ibuhamil's pregnancies: the area rule, plus the health office
    (OPD Dinkes) city-wide."""
    base = area_rule(kelurahan_of, **area_rule_options)

    def rule(row, action, roles, areas, opds, user):
        if action in (VIEW, CHANGE) and Role.OPD in roles and "dinkes" in opds:
            return True
        return base(row, action, roles, areas, opds, user)
    rule.actions = base.actions
    return rule


def own_import_rule(row, action, roles, areas, opds, user):
    if action in (VIEW, CHANGE) and row.diunggah_oleh_id == getattr(user, "pk", None) and user.pk:
        return True
    return bool(roles & SECRETARIAT)


own_import_rule.actions = (VIEW, CHANGE, VERIFY)


def recommendation_rule(row, action, roles, areas, opds, user):
    """Readers view; only the secretariat changes; an OPD follows up the ones linked to it."""
    if action == VIEW:
        return bool(roles & READERS)
    if action == FOLLOW_UP:
        return bool(roles & SECRETARIAT) or (Role.OPD in roles and bool({o.kode for o in row.opd.all()} & opds))
    return bool(roles & SECRETARIAT)


recommendation_rule.actions = (VIEW, CHANGE, VERIFY, FOLLOW_UP)


def _intervensi_rule():
    """The case's scope; an OPD user also changes its own OPD's interventions."""
    base = area_rule(lambda r: r.kasus.anak.kelurahan.nama, view_roles=READERS)

    def rule(row, action, roles, areas, opds, user):
        if action == CHANGE and Role.OPD in roles and row.opd_id and row.opd.kode in opds:
            return True
        return base(row, action, roles, areas, opds, user)
    rule.actions = base.actions
    return rule


def _aksi_opds(tahunan):
    return {opd.kode for opd in tahunan.opd.all()}


def _helps_area(ota, areas):
    return any(p.keluarga.kelurahan.nama in areas for p in ota.pendampingan.all())


RULES = {
    Kelurahan: area_rule(lambda r: r.nama, view_roles=READERS),
    Posyandu: area_rule(lambda r: r.kelurahan.nama, view_roles=READERS),
    RingkasanGizi: area_rule(lambda r: r.kelurahan.nama, view_roles=READERS),
    # The data-quality sums: whoever sees the children of the area, as the report's live parts.
    RingkasanMutu: area_rule(lambda r: r.kelurahan.nama),
    Anak: area_rule(lambda r: r.kelurahan.nama),
    Pengukuran: area_rule(lambda r: r.anak.kelurahan.nama),
    TemuanDiperiksa: area_rule(lambda r: r.anak.kelurahan.nama),
    ImporBatch: city_rule(view_roles=SECRETARIAT),  # plus the uploader's own, below
    KeluargaRisikoStunting: area_rule(lambda r: r.kelurahan.nama, extra_actions=(DISBURSE,)),
    AnggotaKeluarga: area_rule(lambda r: r.keluarga.kelurahan.nama),
    Pendampingan: area_rule(lambda r: r.keluarga.kelurahan.nama, wilayah_changes=False),
    Penyaluran: area_rule(lambda r: r.keluarga.kelurahan.nama, wilayah_changes=False),
    OrangTuaAsuh: city_rule(lambda r, roles, areas, user: Role.WILAYAH in roles and _helps_area(r, areas)),
    Donasi: city_rule(lambda r, roles, areas, user: Role.WILAYAH in roles and _helps_area(r.orang_tua_asuh, areas)),
    Transaksi: city_rule(),
    SurveiPrevalensi: city_rule(view_roles=set(Role.values)),  # a published city figure
    NarasiPaket: city_rule(),  # the pack's narrative: city readers read, the secretariat edits
    PejabatTpps: city_rule(change_roles={Role.ADMIN}),  # who signs the pack: set by Admin only
    Aksi: opd_rule(lambda r: set()),
    TahunPenilaian: opd_rule(lambda r: set()),
    AksiTahunan: opd_rule(_aksi_opds),
    KeluaranAksi: opd_rule(lambda r: _aksi_opds(r.aksi_tahunan)),
    Bukti: opd_rule(lambda r: _aksi_opds(r.aksi_tahunan)),
    RembukStunting: opd_rule(lambda r: _aksi_opds(AksiTahunan.objects.get(aksi__nomor=3, tahun=r.tahun))),
    Indikator: opd_rule(lambda r: {r.opd.kode}),
    TargetIndikator: opd_rule(lambda r: {r.indikator.opd.kode}),
    Capaian: opd_rule(lambda r: {r.indikator.opd.kode}),
    RencanaKegiatan: opd_rule(lambda r: {r.opd.kode}),
    Rekomendasi: recommendation_rule,
    TindakLanjut: opd_rule(lambda r: {r.opd.kode}),
    Inovasi: opd_rule(lambda r: {r.opd.kode}),
    # Tata laksana gizi: the child's scope; OPD users see every case (names masked) to record
    # what they gave, and change only their own OPD's interventions.
    Kasus: area_rule(lambda r: r.anak.kelurahan.nama, view_roles=READERS),
    Langkah: area_rule(lambda r: r.kasus.anak.kelurahan.nama, view_roles=READERS),
    Intervensi: _intervensi_rule(),
    # Sasaran hulu: catin and TTD by area and the health office; BKKBN's KRS data changed only by
    # the secretariat (wilayah reads its area); an import by the secretariat and its uploader.
    Catin: health_office_rule(lambda r: r.kelurahan.nama),
    TtdRemajaPutri: health_office_rule(lambda r: r.kelurahan.nama),
    KeluargaKrs: area_rule(lambda r: r.kelurahan.nama, wilayah_changes=False),
    ImporSasaran: own_import_rule,
    # Ibu hamil: the mother's kelurahan; Pimpinan and OPD (Dinkes) read the city, names masked.
    Kehamilan: health_office_rule(lambda r: r.kelurahan.nama, view_roles=READERS),
    KunjunganAnc: health_office_rule(lambda r: r.kehamilan.kelurahan.nama, view_roles=READERS),
    PemberianPmt: health_office_rule(lambda r: r.kehamilan.kelurahan.nama, view_roles=READERS),
    # The audit trail: only Admin (and the system) act on it.
    JejakAudit: city_rule(view_roles={Role.ADMIN}, change_roles={Role.ADMIN}),
}


def expected(model, action, key, user, facts):
    roles, areas, opds = facts[key]
    rule = RULES[model]
    rows = set()
    for row in model.objects.all():
        allowed = rule(row, action, roles, areas, opds, user)
        if model is ImporBatch and action in (VIEW, CHANGE) and Role.WILAYAH in roles:
            allowed = allowed or row.diunggah_oleh_id == getattr(user, "pk", None)
        if allowed:
            rows.add(row.pk)
    return rows


def test_every_scoped_model_is_checked():
    scoped = {m for m in apps.get_models() if isinstance(m._default_manager.get_queryset(), ScopedQuerySet)}
    assert scoped == set(RULES)


@pytest.mark.parametrize("model", list(RULES), ids=lambda m: m.__name__)
def test_for_user_returns_exactly_the_allowed_rows(city, people, model):
    who, facts = people
    assert model.objects.exists() or model in (RingkasanGizi, RingkasanMutu)
    for key, user in who.items():
        got = {action: set(model.objects.for_user(user, action).values_list("pk", flat=True)) for action in RULES[model].actions}
        for action, pks in got.items():
            assert pks == expected(model, action, key, user, facts), (model.__name__, key, action)
        assert got[CHANGE] <= got[VIEW], (model.__name__, key)
        assert got[VERIFY] <= got[VIEW], (model.__name__, key)


def test_the_system_acts_on_everything_and_an_unknown_action_is_a_bug(city):
    for model in RULES:
        for action in RULES[model].actions:
            assert model.objects.for_user(SYSTEM, action).count() == model.objects.count()
    with pytest.raises(ValueError):
        Anak.objects.for_user(SYSTEM, "hapus")


def test_rows_exist_on_both_sides_of_each_boundary(city, people):
    """The fixture city really tests something: some rows are out of reach for wilayah and OPD."""
    who, _ = people
    assert 0 < Anak.objects.for_user(who["wilayah"]).count() < Anak.objects.count()
    assert 0 < Bukti.objects.for_user(who["opd"], CHANGE).count() < Bukti.objects.count()
    assert 0 < RencanaKegiatan.objects.for_user(who["opd"], CHANGE).count() < RencanaKegiatan.objects.count()
    assert 0 < OrangTuaAsuh.objects.for_user(who["wilayah"]).count() < OrangTuaAsuh.objects.count()
    assert 0 < Rekomendasi.objects.for_user(who["opd"], FOLLOW_UP).count() < Rekomendasi.objects.count()
