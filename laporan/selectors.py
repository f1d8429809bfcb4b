"""Reads for the dashboard, the drill-down, the exports and the pack: presentation over balita's
read model (`balita.figures`), which owns every nutrition figure. laporan names none of
balita's tables; it arranges balita's figures into tables, changes and trends.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from balita import figures
from balita.figures import Angka, total
from balita.growth import categories
from balita.quality import report as quality
from laporan.figures import Perubahan
from laporan.models import NarasiPaket, SurveiPrevalensi, TargetTahunan
from tpps.formatting import BULAN
from tpps import masking
from tpps.models import Kecamatan, Kelurahan, LokusKelurahan, PejabatTpps, Puskesmas
from tpps.periods import Periode
from tpps.roles import VIEW


def available_years(user) -> list[int]:
    return figures.years_with_data(user)


def latest_period(user, tahun: int | None = None) -> Periode | None:
    """The default period of every page: balita's rule (latest month whose data suffice)."""
    return figures.default_period(user, tahun)


def target_of(tahun: int):
    return TargetTahunan.objects.filter(tahun=tahun).first()


def puskesmas_choices(user):
    """Puskesmas with at least one kelurahan the user may see (the dashboard's drill-down)."""
    return Puskesmas.objects.filter(kelurahan__in=Kelurahan.objects.for_user(user)).distinct()


def kecamatan_choices(user):
    """Kecamatan with at least one kelurahan the user may see."""
    visible = Kelurahan.objects.for_user(user).values("kecamatan_id")
    return Kecamatan.objects.filter(id__in=visible)


def area_name(user, kecamatan=None, puskesmas=None) -> str:
    """How pages name the area a figure covers: the puskesmas's working area, the kecamatan, the
    city, or the user's own area."""
    if puskesmas:
        return f"Puskesmas {puskesmas.nama}"
    if kecamatan:
        return f"Kecamatan {kecamatan.nama}"
    if Kelurahan.objects.acts_on_all(user, VIEW):
        return "Kota Kediri"
    return "wilayah Anda"


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
    # Whether the row holds every kelurahan of its kecamatan or puskesmas (not only the user's).
    utuh: bool = True
    extra: dict = field(default_factory=dict)

    @property
    def perubahan_stunting(self):
        if not (self.sekarang.diukur and self.sebelumnya.diukur):
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

    def _change(self, name):
        """A change is told only between two periods whose data stand for the area."""
        if not (self.sekarang.cukup_data and self.lalu.cukup_data):
            return Perubahan(None, None)
        return Perubahan(getattr(self.sekarang, name), getattr(self.lalu, name))

    @property
    def perubahan_stunting(self):
        return self._change("stunting")

    @property
    def perubahan_prevalensi(self):
        return self._change("prevalensi")

    @property
    def perubahan_cakupan(self):
        # Coverage itself tells how complete the data are: compared whenever both were measured.
        if not (self.sekarang.diukur and self.lalu.diukur):
            return Perubahan(None, None)
        return Perubahan(self.sekarang.cakupan, self.lalu.cakupan)

    @property
    def perubahan_wasting(self):
        return self._change("persen_wasting")

    @property
    def perubahan_underweight(self):
        return self._change("persen_underweight")

    def whole(self, level: str) -> bool:
        """Whether every row of `level` is a whole area: a kelurahan operator's 'Per kecamatan'
        would otherwise show a bar named after a kecamatan that holds only its own kelurahan."""
        return all(row.utuh for row in getattr(self, level))

    @property
    def target_tercapai(self):
        if self.target is None or self.sekarang.prevalensi is None or not self.sekarang.cukup_data:
            return None
        return self.sekarang.prevalensi <= float(self.target.target_prevalensi)


def dashboard(user, periode: Periode, kecamatan_id=None, puskesmas_id=None) -> Dasbor:
    """Headline figures and the kecamatan, kelurahan and puskesmas tables of one period
    (and the previous one for the changes), from balita's figures by kelurahan; the city, one
    kecamatan or one puskesmas's working area."""
    kelurahan = list(figures.visible_kelurahan(user, kecamatan_id, puskesmas_id))
    ids = [k.id for k in kelurahan]
    previous = periode.sebelumnya()
    by_kel = figures.figures_by(user, [periode, previous], "kelurahan", kecamatan=kecamatan_id, puskesmas=puskesmas_id)
    lokus = set(LokusKelurahan.objects.filter(tahun=periode.tahun, kelurahan_id__in=ids).values_list("kelurahan_id", flat=True))

    kel_rows = [
        Baris(
            key=k.id, nama=k.nama, kecamatan=k.kecamatan.nama, lokus=k.id in lokus,
            sekarang=by_kel.get((periode, k.id), Angka()), sebelumnya=by_kel.get((previous, k.id), Angka()),
        )
        for k in kelurahan
    ]
    by_kecamatan = defaultdict(list)
    for row, k in zip(kel_rows, kelurahan):
        by_kecamatan[(k.kecamatan.kode, k.kecamatan_id, k.kecamatan.nama)].append(row)
    kec_sizes = dict(Kelurahan.objects.values_list("kecamatan_id").annotate(n=Count("id")).order_by())
    kec_rows = [
        Baris(key=kid, nama=nama, sekarang=total(r.sekarang for r in members),
              sebelumnya=total(r.sebelumnya for r in members), jumlah_kelurahan=len(members),
              utuh=len(members) == kec_sizes.get(kid))
        for (_, kid, nama), members in sorted(by_kecamatan.items())
    ]
    by_id = {row.key: row for row in kel_rows}
    members = defaultdict(list)
    names = {}
    links = Puskesmas.kelurahan.through.objects.filter(kelurahan_id__in=ids)
    if puskesmas_id:
        links = links.filter(puskesmas_id=puskesmas_id)
    links = links.values_list(
        "puskesmas_id", "puskesmas__nama", "kelurahan_id"
    )
    for pid, pname, kid in links:
        members[pid].append(by_id[kid])
        names[pid] = pname
    # Working areas counted within the kecamatan filter, if any: only the user's scope can cut an area.
    links_all = Puskesmas.kelurahan.through.objects.all()
    if kecamatan_id:
        links_all = links_all.filter(kelurahan__kecamatan_id=kecamatan_id)
    pkm_sizes = dict(links_all.values_list("puskesmas_id").annotate(n=Count("id")).order_by())
    pkm_rows = sorted(
        (
            Baris(key=pid, nama=f"Puskesmas {names[pid]}", sekarang=total(r.sekarang for r in rows_),
                  sebelumnya=total(r.sebelumnya for r in rows_), jumlah_kelurahan=len(rows_),
                  utuh=len(rows_) == pkm_sizes.get(pid))
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


def trend(user, tahun: int, kecamatan_id=None, kelurahan_id=None, years_back: int = 1, include_thin=False,
          puskesmas_id=None) -> list[dict]:
    """Monthly figures of `tahun` and the `years_back` years before it, with each year's target:
    [{"tahun", "bulan", "label", "angka": Angka, "target"}]. Months with too few children
    measured are left out of the charts (see `trend_and_thin`) unless include_thin (the tables)."""
    return [row for row in _months(user, tahun, kecamatan_id, kelurahan_id, years_back, puskesmas_id)
            if include_thin or row["angka"].cukup_data]


def trend_and_thin(user, tahun: int, kecamatan_id=None, kelurahan_id=None, years_back: int = 1, puskesmas_id=None):
    """(trend, thin months) of one read: the line's months, and the months with some
    measurements but too few to stand for the area (listed under the chart)."""
    months = _months(user, tahun, kecamatan_id, kelurahan_id, years_back, puskesmas_id)
    return [m for m in months if m["angka"].cukup_data], [m for m in months if not m["angka"].cukup_data]


def _months(user, tahun, kecamatan_id, kelurahan_id, years_back, puskesmas_id=None):
    targets = dict(TargetTahunan.objects.filter(tahun__gte=tahun - years_back, tahun__lte=tahun)
                   .values_list("tahun", "target_prevalensi"))
    return [
        {"tahun": p.tahun, "bulan": p.nomor, "label": f"{BULAN[p.nomor - 1]} {p.tahun}", "angka": angka,
         "target": targets.get(p.tahun)}
        for p, angka in figures.monthly(user, tahun - years_back, tahun, kecamatan=kecamatan_id, kelurahan=kelurahan_id,
                                        puskesmas=puskesmas_id)
    ]


def kelurahan_for(user, pk):
    """One kelurahan the user may see (None otherwise)."""
    return Kelurahan.objects.for_user(user).select_related("kecamatan").filter(pk=pk).first()


def kelurahan_figures(user, kelurahan, periode: Periode) -> tuple[Angka, Angka]:
    return (figures.figures(user, periode, kelurahan=kelurahan),
            figures.figures(user, periode.sebelumnya(), kelurahan=kelurahan))


# --- Children of one kelurahan (drill-down) ------------------------------------------------------


def children_latest(user, kelurahan, periode: Periode, hanya_stunting: bool = False):
    """The children the kelurahan's figures count: each child registered there, with its latest
    measurement in the period (balita's `children_behind`), scoped to the user."""
    rows = figures.children_behind(user, periode, kelurahan=kelurahan, only_stunted=hanya_stunting)
    return rows.order_by("anak__nama", "anak_id")


def child_row(measurement, viewer) -> dict:
    """One child of a kelurahan's list as `viewer` (a user or an Access) may see it."""
    anak = measurement.anak
    valid_tbu = figures.is_valid(measurement, "tbu")
    return {
        "id": anak.id,
        "nama": masking.name_for(viewer, anak.nama),
        "nik": masking.nik_for(viewer, anak.nik),
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
        "stunting": figures.is_stunted(measurement),
    }


def can_list_children(user) -> bool:
    """Whether the user's scope reaches children at all (OPD reads aggregates only)."""
    return figures.can_list_children(user)


# --- Survey versus register ------------------------------------------------------------------------


@dataclass
class Kesenjangan:
    """The city's survey prevalence beside the register's for a year, and what the gap means in
    children: registered under-fives × survey prevalence − children found stunted."""

    tahun: int
    survei: SurveiPrevalensi
    register: Angka
    mutu: object = None  # the city's data-quality score of the year (balita.quality Skor)

    @property
    def survei_tahun_lain(self) -> bool:
        return self.survei.tahun != self.tahun

    @property
    def perkiraan_stunting(self) -> int:
        """Children stunted if the survey's prevalence held for every registered under-five."""
        return round(self.register.sasaran * float(self.survei.prevalensi) / 100)

    @property
    def survei_di_luar_selang(self) -> bool:
        """Whether the survey's figure lies outside the register's 95 % interval."""
        ci = self.register.ci_prevalensi
        return ci is not None and not ci[0] <= float(self.survei.prevalensi) <= ci[1]

    @property
    def selisih_anak(self) -> int:
        return self.perkiraan_stunting - self.register.stunting

    @property
    def belum_diukur(self) -> int:
        return self.register.sasaran - self.register.diukur


def shows_survey(user, kecamatan_id=None) -> bool:
    """A survey is a city figure: shown to readers of the whole city, not beside one area."""
    return not kecamatan_id and figures.can_read_whole_city(user)


def survey_gap(user, tahun: int, kecamatan_id=None, mutu=None) -> Kesenjangan | None:
    """The survey of `tahun`, else the latest before it, beside the register's figures of that year
    and the year's data-quality score (`mutu`: pass it when already computed)."""
    if not shows_survey(user, kecamatan_id):
        return None
    survei = SurveiPrevalensi.objects.for_user(user).filter(tahun__lte=tahun).order_by("-tahun", "-id").first()
    if survei is None:
        return None
    year = Periode("tahun", tahun, 1)
    if mutu is None:
        mutu = quality.city_score(user, year)
    return Kesenjangan(tahun=tahun, survei=survei, register=figures.figures(user, year), mutu=mutu)


# --- The pack's narrative and signatories -----------------------------------------------------------

@dataclass
class BarisNarasi:
    """One paragraph of the narrative: the automatic text and the operator's edit, if any."""

    kunci: str
    judul: str
    otomatis: str
    sunting: NarasiPaket | None = None

    @property
    def teks(self) -> str:
        """What the pack prints: the edit where there is one, else the automatic text."""
        return self.sunting.teks if self.sunting else self.otomatis

    @property
    def berbeda(self) -> bool:
        """The figures changed since the edit: today's automatic text is not the one the operator
        edited, so a number in the edit may be stale."""
        return self.sunting is not None and self.sunting.teks_otomatis != self.otomatis


def narrative(user, tahun: int, paragraphs) -> list[BarisNarasi]:
    """The narrative of `tahun` (`paragraphs`: laporan.narasi's automatic ones) with the edits
    `user` may read."""
    edits = {n.kunci: n for n in NarasiPaket.objects.for_user(user).filter(tahun=tahun).select_related("diubah_oleh")}
    return [BarisNarasi(p.kunci, p.judul, p.teks, edits.get(p.kunci)) for p in paragraphs]


def signatories(user, kota: str) -> dict:
    """Who signs the pack, in order: [(label, PejabatTpps or None where not set)] for the Ketua and
    the Sekretaris TPPS, and the place of signing ("Kediri" for Kota Kediri)."""
    rows = {p.peran: p for p in PejabatTpps.objects.for_user(user)}
    place = kota.removeprefix("Kota ").removeprefix("Kabupaten ").removeprefix("Kab. ")
    return {"tempat": place,
            "urutan": [(label, rows.get(peran)) for peran, label in PejabatTpps.Peran.choices]}
