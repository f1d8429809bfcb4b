"""Reads for the dashboard, the drill-down and the exports.

Dashboard figures come from the summary table (`RingkasanStatus`, rebuilt from balita's
measurements by `services.refresh_summary`): a page costs a fixed handful of small queries
whatever the number of children. The children list of one kelurahan reads balita's tables
directly (through `Anak.objects.for_user` / `Pengukuran.objects.for_user`), since it is small.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Max, Q, Subquery, Sum
from django.db.models.query import EmptyQuerySet

from balita.growth import categories
from balita.models import Anak, Pengukuran
from laporan.figures import COUNTS, Angka, Perubahan, total
from laporan.models import PembaruanRingkasan, RingkasanStatus, TargetTahunan
from laporan.periods import Periode
from tpps.formatting import BULAN
from tpps.masking import mask_name, mask_nik  # the one masking rule (pages, exports, PDF)
from tpps.models import Kecamatan, Kelurahan, LokusKelurahan, Puskesmas


class _WholeCity:
    """Stands for 'no user, the whole city' in the evaluation pack and the command line; views
    always pass request.user."""

    def __repr__(self):
        return "WHOLE_CITY"


WHOLE_CITY = _WholeCity()


def summary_for(user):
    if user is WHOLE_CITY:
        return RingkasanStatus.objects.all()
    return RingkasanStatus.objects.for_user(user)


def kelurahan_of(user):
    if user is WHOLE_CITY:
        return Kelurahan.objects.all()
    return Kelurahan.objects.for_user(user)


def available_years(user) -> list[int]:
    years = set(summary_for(user).filter(diukur__gt=0).values_list("tahun", flat=True).distinct())
    return sorted(years, reverse=True)


def latest_period(user, tahun: int | None = None) -> Periode | None:
    """The latest month with measurements (in `tahun` if given): the dashboard's default."""
    rows = summary_for(user).filter(jenis="bulan", diukur__gt=0)
    if tahun:
        rows = rows.filter(tahun=tahun)
    key = rows.aggregate(key=Max(F("tahun") * 100 + F("nomor")))["key"]
    return Periode("bulan", key // 100, key % 100) if key else None


def last_refresh():
    return PembaruanRingkasan.objects.order_by("-waktu").first()


def target_of(tahun: int):
    return TargetTahunan.objects.filter(tahun=tahun).first()


def kecamatan_choices(user):
    """Kecamatan with at least one kelurahan the user may see."""
    visible = kelurahan_of(user).values("kecamatan_id")
    return Kecamatan.objects.filter(id__in=visible)


def visible_kelurahan(user, kecamatan_id=None):
    rows = kelurahan_of(user).select_related("kecamatan")
    if kecamatan_id:
        rows = rows.filter(kecamatan_id=kecamatan_id)
    return list(rows)


def _period_q(periode: Periode):
    return Q(jenis=periode.jenis, tahun=periode.tahun, nomor=periode.nomor)


@dataclass
class Baris:
    """One row of an area table: an area with its figures now and in the previous period."""

    key: int | str
    nama: str
    sekarang: Angka
    sebelumnya: Angka
    kecamatan: str = ""
    lokus: bool = False
    jumlah_kelurahan: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def perubahan_stunting(self):
        if not self.sebelumnya.ada_data:
            return None
        return self.sekarang.stunting - self.sebelumnya.stunting

    @property
    def perubahan_prevalensi(self):
        return Perubahan(self.sekarang.prevalensi, self.sebelumnya.prevalensi).selisih


SORT_KEYS = {
    "nama": lambda r: r.nama.lower(),
    "sasaran": lambda r: r.sekarang.sasaran,
    "diukur": lambda r: r.sekarang.diukur,
    "cakupan": lambda r: r.sekarang.cakupan if r.sekarang.cakupan is not None else -1,
    "stunting": lambda r: r.sekarang.stunting,
    "prevalensi": lambda r: r.sekarang.prevalensi if r.sekarang.prevalensi is not None else -1,
    "perubahan": lambda r: r.perubahan_stunting if r.perubahan_stunting is not None else 0,
    "underweight": lambda r: r.sekarang.persen_underweight or 0,
    "wasting": lambda r: r.sekarang.persen_wasting or 0,
}


def sort_rows(rows, sort: str):
    """Sort by a column name, '-' prefix for descending; unknown columns keep the order."""
    key = (sort or "").lstrip("-")
    if key not in SORT_KEYS:
        return rows
    return sorted(rows, key=SORT_KEYS[key], reverse=sort.startswith("-"))


@dataclass
class Dasbor:
    periode: Periode
    sebelumnya: Periode
    sekarang: Angka
    lalu: Angka
    target: TargetTahunan | None
    kecamatan: list
    kelurahan: list
    puskesmas: list

    @property
    def perubahan_stunting(self):
        return Perubahan(self.sekarang.stunting, self.lalu.stunting if self.lalu.ada_data else None)

    @property
    def perubahan_prevalensi(self):
        return Perubahan(self.sekarang.prevalensi, self.lalu.prevalensi)

    @property
    def perubahan_cakupan(self):
        return Perubahan(self.sekarang.cakupan, self.lalu.cakupan)

    @property
    def perubahan_wasting(self):
        return Perubahan(self.sekarang.persen_wasting, self.lalu.persen_wasting)

    @property
    def perubahan_underweight(self):
        return Perubahan(self.sekarang.persen_underweight, self.lalu.persen_underweight)

    @property
    def target_tercapai(self):
        if self.target is None or self.sekarang.prevalensi is None:
            return None
        return self.sekarang.prevalensi <= float(self.target.target_prevalensi)


def dashboard(user, periode: Periode, kecamatan_id=None) -> Dasbor:
    """Headline figures and the kecamatan, kelurahan and puskesmas tables of one period
    (and the previous one for the changes), in five queries."""
    kelurahan = visible_kelurahan(user, kecamatan_id)
    ids = [k.id for k in kelurahan]
    previous = periode.sebelumnya()
    now_by_kel, prev_by_kel = {}, {}
    rows = summary_for(user).filter(kelurahan_id__in=ids).filter(_period_q(periode) | _period_q(previous))
    for row in rows.values("kelurahan_id", "tahun", "nomor", *COUNTS):
        target = now_by_kel if (row["tahun"], row["nomor"]) == (periode.tahun, periode.nomor) else prev_by_kel
        target[row["kelurahan_id"]] = Angka.of(row)
    lokus = set(LokusKelurahan.objects.filter(tahun=periode.tahun, kelurahan_id__in=ids).values_list("kelurahan_id", flat=True))

    kel_rows = [
        Baris(
            key=k.id, nama=k.nama, kecamatan=k.kecamatan.nama, lokus=k.id in lokus,
            sekarang=now_by_kel.get(k.id, Angka()), sebelumnya=prev_by_kel.get(k.id, Angka()),
        )
        for k in kelurahan
    ]
    by_kecamatan = defaultdict(list)
    for row, k in zip(kel_rows, kelurahan):
        by_kecamatan[(k.kecamatan.kode, k.kecamatan_id, k.kecamatan.nama)].append(row)
    kec_rows = [
        Baris(key=kid, nama=nama, sekarang=total(r.sekarang for r in members),
              sebelumnya=total(r.sebelumnya for r in members), jumlah_kelurahan=len(members))
        for (_, kid, nama), members in sorted(by_kecamatan.items())
    ]
    by_id = {row.key: row for row in kel_rows}
    members = defaultdict(list)
    names = {}
    links = Puskesmas.kelurahan.through.objects.filter(kelurahan_id__in=ids).values_list(
        "puskesmas_id", "puskesmas__nama", "kelurahan_id"
    )
    for pid, pname, kid in links:
        members[pid].append(by_id[kid])
        names[pid] = pname
    pkm_rows = sorted(
        (
            Baris(key=pid, nama=f"Puskesmas {names[pid]}", sekarang=total(r.sekarang for r in rows_),
                  sebelumnya=total(r.sebelumnya for r in rows_), jumlah_kelurahan=len(rows_))
            for pid, rows_ in members.items()
        ),
        key=lambda r: r.nama,
    )
    return Dasbor(
        periode=periode,
        sebelumnya=previous,
        sekarang=total(r.sekarang for r in kel_rows),
        lalu=total(r.sebelumnya for r in kel_rows),
        target=target_of(periode.tahun),
        kecamatan=kec_rows,
        kelurahan=kel_rows,
        puskesmas=pkm_rows,
    )


def trend(user, tahun: int, kecamatan_id=None, kelurahan_id=None, years_back: int = 1) -> list[dict]:
    """Monthly figures of `tahun` and the `years_back` years before it, with each year's target:
    [{"tahun", "bulan", "angka": Angka, "target": Decimal | None}] for months with data."""
    rows = summary_for(user).filter(jenis="bulan", tahun__gte=tahun - years_back, tahun__lte=tahun)
    if kecamatan_id:
        rows = rows.filter(kelurahan__kecamatan_id=kecamatan_id)
    if kelurahan_id:
        rows = rows.filter(kelurahan_id=kelurahan_id)
    sums = rows.values("tahun", "nomor").annotate(**{name + "_sum": Sum(name) for name in COUNTS}).order_by("tahun", "nomor")
    targets = dict(TargetTahunan.objects.filter(tahun__gte=tahun - years_back, tahun__lte=tahun)
                   .values_list("tahun", "target_prevalensi"))
    result = []
    for row in sums:
        angka = Angka(**{name: row[name + "_sum"] or 0 for name in COUNTS})
        if angka.diukur:
            result.append({"tahun": row["tahun"], "bulan": row["nomor"], "label": f"{BULAN[row['nomor'] - 1]} {row['tahun']}",
                           "angka": angka, "target": targets.get(row["tahun"])})
    return result


def kelurahan_for(user, pk):
    """One kelurahan the user may see (None otherwise)."""
    return Kelurahan.objects.for_user(user).select_related("kecamatan").filter(pk=pk).first()


def kelurahan_figures(user, kelurahan, periode: Periode) -> tuple[Angka, Angka]:
    rows = summary_for(user).filter(kelurahan=kelurahan).filter(_period_q(periode) | _period_q(periode.sebelumnya()))
    now, prev = Angka(), Angka()
    for row in rows:
        if (row.tahun, row.nomor) == (periode.tahun, periode.nomor):
            now = Angka.of(row)
        else:
            prev = Angka.of(row)
    return now, prev


# --- Children of one kelurahan (drill-down) ------------------------------------------------------


def children_latest(user, kelurahan, periode: Periode, hanya_stunting: bool = False):
    """Each child's latest measurement in the period, where that measurement was taken in
    `kelurahan` (the same children the kelurahan's figures count), scoped to the user."""
    in_period = Pengukuran.objects.for_user(user).filter(tanggal__range=(periode.mulai, periode.akhir))
    here = in_period.filter(kelurahan=kelurahan).values("anak_id")
    latest = (
        in_period.filter(anak_id__in=here, anak__in=Anak.objects.for_user(user))
        .order_by("anak_id", "-tanggal")
        .distinct("anak_id")
        .values("id")
    )
    rows = Pengukuran.objects.filter(id__in=Subquery(latest), kelurahan=kelurahan).select_related("anak", "posyandu")
    if hanya_stunting:
        rows = rows.filter(kategori_tbu__in=categories.STUNTED, flag_tbu=False, zs_tbu__isnull=False)
    return rows.order_by("anak__nama", "anak_id")


def child_row(measurement, can_see_names: bool) -> dict:
    anak = measurement.anak
    valid_tbu = measurement.zs_tbu is not None and not measurement.flag_tbu
    return {
        "id": anak.id,
        "nama": anak.nama if can_see_names else mask_name(anak.nama),
        "nik": (anak.nik or "") if can_see_names else mask_nik(anak.nik),
        "jenis_kelamin": anak.jenis_kelamin,
        "umur_bulan": measurement.umur_bulan,
        "tanggal": measurement.tanggal,
        "posyandu": measurement.posyandu.nama if measurement.posyandu else "",
        "berat": measurement.berat,
        "tinggi": measurement.tinggi,
        "zs_tbu": measurement.zs_tbu,
        "tbu": categories.label("tbu", measurement.kategori_tbu) if valid_tbu else "tidak valid",
        "bbu": categories.label("bbu", measurement.kategori_bbu),
        "bbtb": categories.label("bbtb", measurement.kategori_bbtb),
        "stunting": valid_tbu and measurement.kategori_tbu in categories.STUNTED,
    }


def can_list_children(user) -> bool:
    """Whether the user's scope reaches children at all (OPD reads aggregates only)."""
    return not isinstance(Anak.objects.for_user(user), EmptyQuerySet)
