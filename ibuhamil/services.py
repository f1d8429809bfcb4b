"""Writes of ibu hamil, one atomic function per event: a pregnancy registered or corrected, an
antenatal visit, a PMT course, a birth (and its newborn linked to balita), the officer's decision
on a newborn held for review. Derived values are written here, by `derive` and the rules of
ibuhamil.rules. The audit trail is written by database triggers; these functions name the event
through pghistory.context.

The newborn goes to balita only through balita's own service (`balita.services.register_child`
and `update_child`), so balita's identity rules guard it: a conflict is held for a person's
decision (`tautan = "tinjau"`), never resolved by rewriting a child silently.
"""

import datetime
from decimal import Decimal

import pghistory
from django.db import IntegrityError, transaction
from django.utils import timezone

from balita import services as balita_services
from balita.models import Anak
from ibuhamil import rules, selectors
from ibuhamil.models import KeadaanLahir, Kehamilan, KunjunganAnc, PemberianPmt, Tautan
from tpps.errors import UserError, from_unique_violation, full_clean
from tpps.models import Kelurahan
from tpps.roles import CHANGE, actor

UNIQUE = {
    "kehamilan_satu_per_ibu_hpht": ("hpht", "Kehamilan ibu ini dengan HPHT yang sama sudah tercatat."),
    "kehamilan_nik_hpht": ("hpht", "Kehamilan dengan NIK ibu dan HPHT yang sama sudah tercatat."),
    "kunjungan_anc_satu_per_ke": ("ke", "Kunjungan ke- ini sudah tercatat; ubah nomornya."),
}
PREGNANCY_FIELDS = ["nama", "nik", "tanggal_lahir", "alamat", "kelurahan", "posyandu", "hpht", "jumlah_persalinan",
                    "persalinan_terakhir"]
BIRTH_FIELDS = ["tanggal_persalinan", "keadaan_lahir", "berat_lahir", "panjang_lahir", "jenis_kelamin_bayi",
                "nama_bayi", "nik_bayi"]
NULLABLE_BIRTH_FIELDS = {"tanggal_persalinan", "berat_lahir", "panjang_lahir"}


class IbuHamilError(UserError):
    """A problem with a pregnancy entry the user can fix."""


def derive(kehamilan: Kehamilan, visits) -> dict:
    """The derived fields of a pregnancy from its typed facts and its visits (objects or dicts
    with ke, tanggal, lila, hb, ttd_kumulatif)."""
    def get(v, name):
        return v.get(name) if isinstance(v, dict) else getattr(v, name)

    ordered = sorted(visits, key=lambda v: (get(v, "tanggal"), get(v, "ke")))
    lilas = [get(v, "lila") for v in ordered if get(v, "lila") is not None]
    hbs = [get(v, "hb") for v in ordered if get(v, "hb") is not None]
    ttds = [get(v, "ttd_kumulatif") for v in ordered if get(v, "ttd_kumulatif") is not None]
    return {
        "hpl": rules.hpl(kehamilan.hpht),
        "akhir": rules.akhir_kehamilan(kehamilan.hpht, kehamilan.tanggal_persalinan),
        "risiko": rules.risiko(kehamilan.tanggal_lahir, kehamilan.hpht, kehamilan.jumlah_persalinan,
                               kehamilan.persalinan_terakhir),
        "kek": rules.kek(lilas[0]) if lilas else None,
        "anemia": any(rules.anemia(hb) for hb in hbs) if hbs else None,
        "ttd": max(ttds) if ttds else 0,
        "kunjungan": len(ordered),
    }


def apply_derived(kehamilan: Kehamilan, visits):
    for name, value in derive(kehamilan, visits).items():
        setattr(kehamilan, name, value)


def _refresh(kehamilan: Kehamilan):
    apply_derived(kehamilan, list(KunjunganAnc.objects.filter(kehamilan=kehamilan)))
    kehamilan.save(update_fields=["hpl", "akhir", "risiko", "kek", "anemia", "ttd", "kunjungan", "diubah"])


def _check_area(kelurahan: Kelurahan, user):
    allowed = Kehamilan.objects.all().kelurahan_ids_for(user, CHANGE)
    if allowed is not None and kelurahan.pk not in allowed:
        raise IbuHamilError(f"Kelurahan {kelurahan} di luar wilayah kerja Anda.", "kelurahan")


def check_change(user, kehamilan: Kehamilan):
    Kehamilan.objects.require(user, CHANGE, kehamilan, "Data ibu hamil ini di luar wilayah kerja Anda.")


def check_facts(data: dict, today=None):
    """The typed facts of a pregnancy that the model cannot check alone; raises IbuHamilError
    naming the field (the form and the import share it)."""
    today = today or timezone.localdate()
    if data["hpht"] > today:
        raise IbuHamilError("HPHT tidak boleh melewati hari ini.", "hpht")
    if data["hpht"] < today - datetime.timedelta(days=3 * 365):
        raise IbuHamilError("HPHT lebih dari tiga tahun lalu; periksa tanggalnya.", "hpht")
    umur = rules.umur_tahun(data["tanggal_lahir"], data["hpht"])
    if not 10 <= umur <= 60:
        raise IbuHamilError(f"Umur ibu saat HPHT {umur} tahun: periksa tanggal lahir ibu.", "tanggal_lahir")
    last = data.get("persalinan_terakhir")
    if last and last >= data["hpht"]:
        raise IbuHamilError("Persalinan terakhir harus sebelum HPHT kehamilan ini.", "persalinan_terakhir")
    if last and not data.get("jumlah_persalinan"):
        raise IbuHamilError("Isi jumlah persalinan sebelumnya (ada tanggal persalinan terakhir).", "jumlah_persalinan")


def _saved(row, fields=None):
    try:
        with transaction.atomic():
            row.save(update_fields=fields) if fields else row.save()
    except IntegrityError as error:
        user_error = from_unique_violation(error, UNIQUE)
        if user_error is None:
            raise
        raise IbuHamilError(user_error.message, user_error.field) from error


@transaction.atomic
def register_pregnancy(data: dict, user) -> Kehamilan:
    """A pregnancy entered on the form."""
    _check_area(data["kelurahan"], user)
    check_facts(data)
    kehamilan = Kehamilan(**{k: data.get(k) for k in PREGNANCY_FIELDS}, dicatat_oleh=actor(user))
    kehamilan.nik = kehamilan.nik or None
    apply_derived(kehamilan, [])
    full_clean(kehamilan, validate_constraints=False)
    with pghistory.context(peristiwa="daftar_kehamilan"):
        _saved(kehamilan)
    return kehamilan


@transaction.atomic
def update_pregnancy(kehamilan: Kehamilan, data: dict, user) -> Kehamilan:
    check_change(user, kehamilan)
    _check_area(data["kelurahan"], user)
    check_facts(data)
    kehamilan = Kehamilan.objects.select_for_update().get(pk=kehamilan.pk)
    for key in PREGNANCY_FIELDS:
        setattr(kehamilan, key, data.get(key))
    kehamilan.nik = kehamilan.nik or None
    if kehamilan.tanggal_persalinan and kehamilan.tanggal_persalinan <= kehamilan.hpht:
        raise IbuHamilError("HPHT harus sebelum tanggal persalinan yang tercatat.", "hpht")
    if KunjunganAnc.objects.filter(kehamilan=kehamilan, tanggal__lt=kehamilan.hpht).exists():
        raise IbuHamilError("Ada kunjungan sebelum HPHT yang baru; periksa HPHT.", "hpht")
    full_clean(kehamilan, validate_constraints=False)
    with pghistory.context(peristiwa="ubah_kehamilan"):
        _saved(kehamilan)
        _refresh(kehamilan)
    return kehamilan


def check_visit(kehamilan: Kehamilan, tanggal: datetime.date, today=None):
    today = today or timezone.localdate()
    if tanggal > today:
        raise IbuHamilError("Tanggal kunjungan tidak boleh melewati hari ini.", "tanggal")
    if tanggal < kehamilan.hpht:
        raise IbuHamilError(f"Tanggal kunjungan sebelum HPHT ({kehamilan.hpht:%d/%m/%Y}).", "tanggal")
    if kehamilan.tanggal_persalinan and tanggal > kehamilan.tanggal_persalinan:
        raise IbuHamilError(f"Tanggal kunjungan sesudah persalinan ({kehamilan.tanggal_persalinan:%d/%m/%Y}).", "tanggal")


@transaction.atomic
def record_visit(kehamilan: Kehamilan, *, tanggal, ke=None, lila=None, hb=None, ttd_kumulatif=None, catatan="",
                 user) -> KunjunganAnc:
    """An antenatal visit; `ke` defaults to the next number. The TTD count is cumulative and may
    not fall below an earlier visit's."""
    check_change(user, kehamilan)
    kehamilan = Kehamilan.objects.select_for_update().get(pk=kehamilan.pk)
    check_visit(kehamilan, tanggal)
    visits = list(KunjunganAnc.objects.filter(kehamilan=kehamilan))
    ke = ke or (max((v.ke for v in visits), default=0) + 1)
    earlier = [v.ttd_kumulatif for v in visits if v.tanggal <= tanggal and v.ttd_kumulatif is not None]
    if ttd_kumulatif is not None and earlier and ttd_kumulatif < max(earlier):
        raise IbuHamilError(f"Jumlah TTD kumulatif tidak boleh turun (kunjungan sebelumnya {max(earlier)} tablet).",
                            "ttd_kumulatif")
    visit = KunjunganAnc(kehamilan=kehamilan, ke=ke, tanggal=tanggal, lila=lila, hb=hb, ttd_kumulatif=ttd_kumulatif,
                         catatan=(catatan or "").strip())
    full_clean(visit, validate_constraints=False)
    with pghistory.context(peristiwa="kunjungan_anc", kehamilan=kehamilan.pk):
        _saved(visit)
        _refresh(kehamilan)
    return visit


@transaction.atomic
def record_pmt(kehamilan: Kehamilan, *, mulai, lama_hari=None, hari_dimakan=None, catatan="", user) -> PemberianPmt:
    """A PMT course for a pregnant woman with KEK (120 days by default, rules.LAMA_PMT_KEK_HARI)."""
    check_change(user, kehamilan)
    kehamilan = Kehamilan.objects.select_for_update().get(pk=kehamilan.pk)
    if not kehamilan.kek:
        raise IbuHamilError("PMT ibu hamil dicatat untuk ibu hamil KEK (LiLA pertama di bawah 23,5 cm); "
                            "catat dahulu kunjungan dengan LiLA-nya.", "mulai")
    if mulai > timezone.localdate():
        raise IbuHamilError("Tanggal mulai tidak boleh melewati hari ini.", "mulai")
    if mulai < kehamilan.hpht:
        raise IbuHamilError("Tanggal mulai sebelum HPHT.", "mulai")
    row = PemberianPmt(kehamilan=kehamilan, mulai=mulai, lama_hari=lama_hari or rules.LAMA_PMT_KEK_HARI,
                       hari_dimakan=hari_dimakan, catatan=(catatan or "").strip())
    if row.hari_dimakan is not None and row.hari_dimakan > row.lama_hari:
        raise IbuHamilError("Hari dimakan tidak boleh melebihi lama PMT.", "hari_dimakan")
    full_clean(row, validate_constraints=False)
    with pghistory.context(peristiwa="pmt_ibu_hamil", kehamilan=kehamilan.pk):
        row.save()
    return row


def check_birth(kehamilan: Kehamilan, data: dict, today=None):
    today = today or timezone.localdate()
    tanggal = data["tanggal_persalinan"]
    if tanggal > today:
        raise IbuHamilError("Tanggal persalinan tidak boleh melewati hari ini.", "tanggal_persalinan")
    if tanggal <= kehamilan.hpht:
        raise IbuHamilError("Tanggal persalinan harus sesudah HPHT.", "tanggal_persalinan")
    if (tanggal - kehamilan.hpht).days > 320:
        raise IbuHamilError("Tanggal persalinan lebih dari 45 minggu sesudah HPHT; periksa tanggalnya.",
                            "tanggal_persalinan")
    if data["keadaan_lahir"] == KeadaanLahir.HIDUP:
        if not data.get("jenis_kelamin_bayi"):
            raise IbuHamilError("Isi jenis kelamin bayi.", "jenis_kelamin_bayi")
        if data.get("berat_lahir") is None:
            raise IbuHamilError("Isi berat lahir (gram).", "berat_lahir")
    nik = data.get("nik_bayi") or ""
    if nik and (len(nik) != 16 or not nik.isdigit()):
        raise IbuHamilError("NIK bayi harus 16 angka.", "nik_bayi")


@transaction.atomic
def record_birth(kehamilan: Kehamilan, data: dict, user) -> Kehamilan:
    """The outcome of a pregnancy; a live birth links to (or creates) the child in balita."""
    check_change(user, kehamilan)
    kehamilan = Kehamilan.objects.select_for_update().get(pk=kehamilan.pk)
    if kehamilan.tanggal_persalinan:
        raise IbuHamilError("Persalinan kehamilan ini sudah tercatat.")
    check_birth(kehamilan, data)
    if KunjunganAnc.objects.filter(kehamilan=kehamilan, tanggal__gt=data["tanggal_persalinan"]).exists():
        raise IbuHamilError("Ada kunjungan antenatal sesudah tanggal persalinan ini; periksa tanggalnya.",
                            "tanggal_persalinan")
    for key in BIRTH_FIELDS:
        value = data.get(key)
        # Text fields store "" for nothing, numbers and dates None.
        setattr(kehamilan, key, value if value is not None or key in NULLABLE_BIRTH_FIELDS else "")
    full_clean(kehamilan, validate_constraints=False)
    with pghistory.context(peristiwa="persalinan", kehamilan=kehamilan.pk):
        kehamilan.save()
        _refresh(kehamilan)
        link_newborn(kehamilan, user)
    return kehamilan


# --- The newborn in balita -------------------------------------------------------------------------


def newborn_data(kehamilan: Kehamilan) -> dict:
    """The child as balita's form would receive it."""
    return {
        "nik": kehamilan.nik_bayi or None,
        "nama": kehamilan.nama_bayi or f"By. Ny. {kehamilan.nama}",
        "jenis_kelamin": kehamilan.jenis_kelamin_bayi,
        "tanggal_lahir": kehamilan.tanggal_persalinan,
        "berat_lahir": (Decimal(kehamilan.berat_lahir) / 1000).quantize(Decimal("0.01"))
        if kehamilan.berat_lahir is not None else None,
        "panjang_lahir": kehamilan.panjang_lahir,
        "nama_ibu": kehamilan.nama,
        "nik_ibu": kehamilan.nik or "",
        "nama_ayah": "",
        "alamat": kehamilan.alamat,
        "rt": "", "rw": "",
        "kelurahan": kehamilan.kelurahan,
        "posyandu": kehamilan.posyandu,
    }


def candidates(kehamilan: Kehamilan):
    """Stored children that may be this newborn (ibuhamil.selectors.candidate_q), whole city:
    a match outside the user's area must still stop a second record of the child."""
    return Anak.objects.filter(selectors.candidate_q(kehamilan)).select_related("kelurahan").order_by("id")


def _differences(anak: Anak, data: dict) -> list[str]:
    """Birth facts the stored child holds differently (empty fields are not differences)."""
    found = []
    if anak.jenis_kelamin != data["jenis_kelamin"]:
        found.append("jenis kelamin")
    if anak.tanggal_lahir != data["tanggal_lahir"]:
        found.append("tanggal lahir")
    if anak.berat_lahir is not None and data["berat_lahir"] is not None and anak.berat_lahir != data["berat_lahir"]:
        found.append(f"berat lahir ({anak.berat_lahir} kg tercatat)")
    if anak.panjang_lahir is not None and data["panjang_lahir"] is not None and anak.panjang_lahir != data["panjang_lahir"]:
        found.append(f"panjang lahir ({anak.panjang_lahir} cm tercatat)")
    if anak.nik and data["nik"] and anak.nik != data["nik"]:
        found.append("NIK")
    return found


def _fill_child(anak: Anak, data: dict, user):
    """Fill the stored child's empty birth fields through balita's own service."""
    current = {key: getattr(anak, key) for key in balita_services.IDENTITY_FORM_FIELDS}
    changed = dict(current)
    for key in ("berat_lahir", "panjang_lahir", "nama_ibu", "nik_ibu", "nik"):
        if current[key] in (None, "") and data.get(key) not in (None, ""):
            changed[key] = data[key]
    if changed != current:
        balita_services.update_child(anak, {**changed, "anak_berbeda": True}, user)


def _hold(kehamilan: Kehamilan, message: str):
    kehamilan.anak, kehamilan.tautan, kehamilan.catatan_tautan = None, Tautan.TINJAU, message[:500]
    kehamilan.save(update_fields=["anak", "tautan", "catatan_tautan", "diubah"])


def _link(kehamilan: Kehamilan, anak: Anak):
    kehamilan.anak, kehamilan.tautan, kehamilan.catatan_tautan = anak, Tautan.TERTAUT, ""
    kehamilan.save(update_fields=["anak", "tautan", "catatan_tautan", "diubah"])


def link_newborn(kehamilan: Kehamilan, user):
    """Link a live birth to balita: one stored child that agrees with it is linked (its empty
    birth fields filled); none: the child is registered through balita's service; anything
    else (two candidates, a candidate that disagrees, balita refusing) waits for a decision."""
    if kehamilan.keadaan_lahir != KeadaanLahir.HIDUP:
        kehamilan.tautan, kehamilan.catatan_tautan = Tautan.TIDAK, ""
        kehamilan.save(update_fields=["tautan", "catatan_tautan", "diubah"])
        return
    data = newborn_data(kehamilan)
    balita_areas = Anak.objects.all().kelurahan_ids_for(user, CHANGE)
    if balita_areas is not None and kehamilan.kelurahan_id not in balita_areas:
        # The health office records births city-wide but does not keep balita's register: the
        # area's operator or the secretariat links or registers the baby.
        _hold(kehamilan, "Bayi ini didaftarkan ke data balita oleh operator wilayah atau DP3AP2KB: "
                         "pilih data balita yang sama atau daftarkan sebagai anak baru.")
        return
    found = list(candidates(kehamilan))
    if len(found) > 1:
        _hold(kehamilan, f"Ada {len(found)} data balita yang mungkin bayi ini; pilih yang benar atau daftarkan sebagai anak baru.")
        return
    if found:
        anak = found[0]
        differences = _differences(anak, data)
        if differences:
            _hold(kehamilan, f"Data balita nomor {anak.pk} cocok tetapi berbeda pada {', '.join(differences)}. "
                             "Putuskan apakah anak yang sama.")
            return
        try:
            with transaction.atomic():
                _fill_child(anak, data, user)
        except UserError as error:
            _hold(kehamilan, error.message)
            return
        _link(kehamilan, anak)
        return
    try:
        with transaction.atomic():
            anak = balita_services.register_child(data, user)
    except UserError as error:
        _hold(kehamilan, error.message)
        return
    _link(kehamilan, anak)


@transaction.atomic
def decide_newborn(kehamilan: Kehamilan, keputusan: str, user, anak_id=None) -> Kehamilan:
    """A person's decision on a newborn held for review: "sama" links the chosen stored child
    (its empty birth fields filled, nothing overwritten); "baru" registers a new child in balita
    (balita's identity rules still apply: a NIK of another child stays refused)."""
    check_change(user, kehamilan)
    kehamilan = Kehamilan.objects.select_for_update().get(pk=kehamilan.pk)
    if kehamilan.tautan != Tautan.TINJAU:
        raise IbuHamilError("Bayi ini tidak sedang menunggu keputusan.")
    data = newborn_data(kehamilan)
    with pghistory.context(peristiwa="keputusan_bayi", kehamilan=kehamilan.pk):
        if keputusan == "sama":
            anak = Anak.objects.for_user(user, CHANGE).filter(pk=anak_id).first() if anak_id else None
            if anak is None:
                raise IbuHamilError("Pilih data balita yang merupakan bayi ini (di wilayah kerja Anda).", "anak")
            if anak.jenis_kelamin != data["jenis_kelamin"] or anak.tanggal_lahir != data["tanggal_lahir"]:
                raise IbuHamilError("Jenis kelamin atau tanggal lahir data balita itu berbeda: bukan bayi yang sama. "
                                    "Perbaiki salah satu datanya dahulu.", "anak")
            _fill_child(anak, data, user)
            _link(kehamilan, anak)
        elif keputusan == "baru":
            anak = balita_services.register_child({**data, "anak_berbeda": True}, user)
            _link(kehamilan, anak)
        else:
            raise IbuHamilError("Pilih \u201cAnak yang sama\u201d atau \u201cDaftarkan sebagai anak baru\u201d.", "keputusan")
    return kehamilan
