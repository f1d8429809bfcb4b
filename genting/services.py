"""Business events of GENTING that write to the ledger: a donation comes in, help goes out, a
mistake is reversed. Each is one atomic function; the database triggers re-check what matters
(balanced transactions, no negative pools, append-only entries), so a bug here cannot lose a rupiah.

Each takes the acting user (SYSTEM for commands and the demo) and refuses, before writing
anything, a user who may not act on that row (`for_user(user, action)`, tpps.roles).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from genting.models import (
    Akun,
    BentukDonasi,
    Donasi,
    Entri,
    JenisAkun,
    JenisBantuan,
    JenisTransaksi,
    Kanal,
    KeluargaRisikoStunting,
    OrangTuaAsuh,
    Pendampingan,
    Penyaluran,
    StatusKeluarga,
    Transaksi,
)
from genting.models.ledger import NON_NEGATIVE, SOURCES
from tpps.errors import UserError
from tpps.formatting import rupiah
from tpps.roles import CHANGE, DISBURSE, actor

# Largest single amount accepted (Rp 100 miliar): catches a typo of extra zeros.
MAX_JUMLAH = 100_000_000_000


class GentingError(UserError):
    """A problem with GENTING's money or deliveries the user can fix (message in Indonesian)."""


class DanaTidakCukup(GentingError):
    def __init__(self, akun, tersedia, diminta, field="jumlah"):
        self.akun, self.tersedia, self.diminta = akun, tersedia, diminta
        super().__init__(
            f"Saldo {akun_label(akun)} hanya {rupiah(tersedia)}, tidak cukup untuk {rupiah(diminta)}.", field
        )


def akun_label(akun) -> str:
    if akun.jenis == JenisAkun.PERUNTUKAN and akun.keluarga_id:
        return f"peruntukan keluarga {akun.keluarga.kode} di {akun.kanal}"
    if akun.jenis == JenisAkun.PERUNTUKAN:
        return f"peruntukan pendampingan {akun.pendampingan.orang_tua_asuh} → {akun.pendampingan.keluarga.kode} di {akun.kanal}"
    if akun.jenis == JenisAkun.KAS:
        return f"dana umum {akun.kanal}"
    if akun.jenis == JenisAkun.KELUARGA:
        return f"penerimaan keluarga {akun.keluarga.kode} di {akun.kanal}"
    return f"donatur {akun.orang_tua_asuh} di {akun.kanal}"


def account(jenis, kanal, *, orang_tua_asuh=None, keluarga=None, pendampingan=None) -> Akun:
    """The ledger account of that kind and owner in a channel, created on first use."""
    akun, _ = Akun.objects.get_or_create(
        jenis=jenis, kanal=kanal, orang_tua_asuh=orang_tua_asuh, keluarga=keluarga, pendampingan=pendampingan
    )
    return akun


def _post(transaksi: Transaksi, legs) -> None:
    """Insert the legs [(Akun, signed amount)] of a new transaction.

    The accounts are locked in id order (no deadlocks between clerks) and their balances checked
    while locked, so two disbursements from one pool cannot both spend the same rupiah. The
    database would refuse an overdraft anyway (CHECK on Akun.saldo); this gives a clear message.
    All legs go in one INSERT so the statement-end balance check sees the whole transaction.
    """
    change = defaultdict(int)
    for akun, amount in legs:
        change[akun.id] += amount
    locked = Akun.objects.select_for_update(of=("self",)).select_related(
        "kanal", "keluarga", "orang_tua_asuh", "pendampingan__orang_tua_asuh", "pendampingan__keluarga"
    ).filter(id__in=change).order_by("id")
    for akun in locked:
        after = akun.saldo + change[akun.id]
        if akun.jenis in NON_NEGATIVE and after < 0:
            raise DanaTidakCukup(akun, akun.saldo, -change[akun.id])
        if akun.jenis == JenisAkun.DONATUR and after > 0:
            raise GentingError(f"Pembalikan melebihi yang pernah diberikan {akun_label(akun)}.")
    Entri.objects.bulk_create(Entri(transaksi=transaksi, akun=akun, jumlah=amount) for akun, amount in legs)


def _check_amount(jumlah, field="jumlah"):
    if not isinstance(jumlah, int) or isinstance(jumlah, bool):
        raise GentingError("Jumlah harus rupiah bulat.", field)
    if jumlah <= 0:
        raise GentingError("Jumlah harus lebih dari Rp 0.", field)
    if jumlah > MAX_JUMLAH:
        raise GentingError(f"Jumlah melebihi batas {rupiah(MAX_JUMLAH)}; periksa kembali angkanya.", field)


def _check_date(tanggal):
    if tanggal > timezone.localdate():
        raise GentingError("Tanggal tidak boleh melewati hari ini.", "tanggal")


@transaction.atomic
def record_donation(
    *,
    orang_tua_asuh: OrangTuaAsuh,
    kanal: Kanal,
    jumlah: int,
    tanggal,
    bentuk: str = BentukDonasi.UANG,
    referensi: str = "",
    uraian: str = "",
    untuk_keluarga: KeluargaRisikoStunting | None = None,
    untuk_pendampingan: Pendampingan | None = None,
    user,
) -> Donasi:
    """A donation comes in: into the channel's pool, or into an earmark for a family or a pairing."""
    OrangTuaAsuh.objects.require(user, CHANGE, orang_tua_asuh, "Anda tidak berhak mencatat donasi orang tua asuh ini.")
    _check_amount(jumlah)
    _check_date(tanggal)
    referensi = referensi.strip()
    if bentuk == BentukDonasi.UANG and not kanal.is_uang:
        raise GentingError(f"Donasi uang harus melalui kanal uang, bukan {kanal}.", "kanal")
    if bentuk != BentukDonasi.UANG and kanal.is_uang:
        raise GentingError(f"Donasi {bentuk} dicatat pada kanal natura, bukan {kanal}.", "kanal")
    if bentuk != BentukDonasi.UANG and not uraian.strip():
        raise GentingError("Uraikan barang atau kegiatan yang diberikan.", "uraian")
    if untuk_keluarga and untuk_pendampingan:
        raise GentingError("Pilih satu peruntukan saja: keluarga atau pendampingan.", "untuk_pendampingan")
    if untuk_pendampingan and untuk_pendampingan.orang_tua_asuh_id != orang_tua_asuh.id:
        raise GentingError("Pendampingan yang dipilih bukan milik orang tua asuh ini.", "untuk_pendampingan")
    if referensi and Donasi.objects.filter(kanal=kanal, referensi=referensi).exists():
        raise GentingError(f"Referensi transfer {referensi} sudah tercatat di {kanal}.", "referensi")

    transaksi = Transaksi.objects.create(
        jenis=JenisTransaksi.DONASI, kanal=kanal, tanggal=tanggal, dicatat_oleh=actor(user),
        keterangan=f"Donasi {orang_tua_asuh}"[:255],
    )
    if untuk_keluarga or untuk_pendampingan:
        target = account(JenisAkun.PERUNTUKAN, kanal, keluarga=untuk_keluarga, pendampingan=untuk_pendampingan)
    else:
        target = account(JenisAkun.KAS, kanal)
    donor = account(JenisAkun.DONATUR, kanal, orang_tua_asuh=orang_tua_asuh)
    _post(transaksi, [(target, jumlah), (donor, -jumlah)])
    return Donasi.objects.create(
        orang_tua_asuh=orang_tua_asuh, bentuk=bentuk, kanal=kanal, tanggal=tanggal, jumlah=jumlah,
        referensi=referensi, uraian=uraian.strip(), untuk_keluarga=untuk_keluarga,
        untuk_pendampingan=untuk_pendampingan, transaksi=transaksi, dicatat_oleh=actor(user),
    )


def source_accounts(keluarga: KeluargaRisikoStunting, kanal: Kanal):
    """Accounts a disbursement to this family through this channel may draw from: the channel's
    pool and the earmarks for the family or for its pairings (existing ones only), pool first."""
    pool = account(JenisAkun.KAS, kanal)
    earmarks = Akun.objects.filter(jenis=JenisAkun.PERUNTUKAN, kanal=kanal).filter(
        Q(keluarga=keluarga) | Q(pendampingan__keluarga=keluarga)
    ).select_related("kanal", "keluarga", "pendampingan__orang_tua_asuh", "pendampingan__keluarga").order_by("id")
    return [pool, *earmarks]


@transaction.atomic
def record_disbursement(
    *,
    keluarga: KeluargaRisikoStunting,
    jenis: str,
    kanal: Kanal,
    akun_sumber: Akun,
    jumlah: int,
    tanggal,
    lama_bulan: int = 1,
    uraian: str = "",
    bukti=None,
    bukti_tipe: str = "",
    user,
) -> Penyaluran:
    """Help reaches a family: value moves from the pool or an earmark to the family's account."""
    KeluargaRisikoStunting.objects.require(
        user, DISBURSE, keluarga, f"Anda tidak berhak mencatat penyaluran untuk keluarga {keluarga.kode}."
    )
    _check_amount(jumlah)
    _check_date(tanggal)
    if jenis not in JenisBantuan.values:
        raise GentingError("Pilih jenis bantuan.", "jenis")
    if keluarga.status != StatusKeluarga.AKTIF:
        raise GentingError(
            f"Keluarga {keluarga.kode} berstatus {keluarga.get_status_display().lower()}; bantuan hanya untuk keluarga aktif.",
            "keluarga",
        )
    if akun_sumber.kanal_id != kanal.id or akun_sumber.jenis not in SOURCES:
        raise GentingError(f"Sumber dana harus dana umum atau peruntukan di {kanal}.", "akun_sumber")
    if akun_sumber.jenis == JenisAkun.PERUNTUKAN:
        earmarked_for = akun_sumber.keluarga_id or akun_sumber.pendampingan.keluarga_id
        if earmarked_for != keluarga.id:
            raise GentingError("Dana peruntukan ini untuk keluarga lain.", "akun_sumber")
    if jenis != JenisBantuan.PAKET_NUTRISI:
        lama_bulan = 1
    if not 1 <= lama_bulan <= 24:
        raise GentingError("Lama bantuan nutrisi antara 1 dan 24 bulan.", "lama_bulan")

    transaksi = Transaksi.objects.create(
        jenis=JenisTransaksi.PENYALURAN, kanal=kanal, tanggal=tanggal, dicatat_oleh=actor(user),
        keterangan=f"{JenisBantuan(jenis).label} untuk {keluarga.kode}",
    )
    received = account(JenisAkun.KELUARGA, kanal, keluarga=keluarga)
    _post(transaksi, [(received, jumlah), (akun_sumber, -jumlah)])
    return Penyaluran.objects.create(
        keluarga=keluarga, jenis=jenis, lama_bulan=lama_bulan, kanal=kanal, akun_sumber=akun_sumber,
        jumlah=jumlah, tanggal=tanggal, uraian=uraian.strip(), bukti=bukti, bukti_tipe=bukti_tipe,
        transaksi=transaksi, dicatat_oleh=actor(user),
    )


@transaction.atomic
def reverse_transaction(*, transaksi: Transaksi, alasan: str, user, tanggal=None) -> Transaksi:
    """Correct a mistake: a new transaction with every leg negated, naming the original and why.

    Reversing a donation whose money was already disbursed is refused (the pool would go
    negative): reverse those disbursements first.
    """
    Transaksi.objects.require(user, CHANGE, transaksi, f"Anda tidak berhak mengoreksi transaksi T{transaksi.pk}.")
    alasan = (alasan or "").strip()
    if not alasan:
        raise GentingError("Tuliskan alasan koreksi.", "alasan")
    tanggal = tanggal or timezone.localdate()
    _check_date(tanggal)
    # Lock the original so two clerks cannot reverse it twice (a unique key also forbids it).
    original = Transaksi.objects.select_for_update().get(pk=transaksi.pk)
    if original.jenis == JenisTransaksi.PEMBALIKAN:
        raise GentingError("Transaksi pembalikan tidak dapat dibalik lagi; catat transaksi baru bila perlu.")
    if Transaksi.objects.filter(membalik=original).exists():
        raise GentingError(f"Transaksi T{original.pk} sudah dibalik sebelumnya.")
    legs = [(entri.akun, -entri.jumlah) for entri in original.entri.select_related("akun")]
    reversal = Transaksi.objects.create(
        jenis=JenisTransaksi.PEMBALIKAN, kanal_id=original.kanal_id, tanggal=tanggal, dicatat_oleh=actor(user),
        membalik=original, alasan=alasan, keterangan=f"Pembalikan T{original.pk}",
    )
    try:
        _post(reversal, legs)
    except DanaTidakCukup as error:
        raise GentingError(
            f"Tidak dapat dibalik: {error.message} Dana ini sudah disalurkan; batalkan penyalurannya lebih dulu."
        ) from error
    return reversal
