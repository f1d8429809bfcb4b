"""Reads of sasaran hulu for pages, exports, konvergensi's computed capaian, the dashboard and
the PDF pack: lists and the figures by area, each scoped by the user and counted in SQL. The
rules behind the figures are in sasaran.rules.

- Catin: each person's (NIK's) latest screening in the period counts once, in the kelurahan of
  that screening. `diperiksa_lengkap` = screenings with Hb as well as weight and height, and LiLA
  for women (LiLA screens women for KEK only; `LENGKAP_Q`).
- TTD remaja putri: each school's latest month in the period counts once.
- KRS: the families of the data year (the period's year).
"""

from dataclasses import dataclass, fields

from django.db.models import Count, Exists, OuterRef, Q, Sum

from sasaran import rules
from sasaran.models import Catin, ImporSasaran, KeluargaKrs, TtdRemajaPutri
from tpps.models import Kelurahan
from tpps.periods import Periode

# A complete screening (Elsimil's fields): Hb for everyone, LiLA for women (weight and height are required).
LENGKAP_Q = Q(hb__isnull=False) & (Q(lila__isnull=False) | Q(jenis_kelamin="L"))
LEVELS = {"kota": None, "kecamatan": "kelurahan__kecamatan_id", "kelurahan": "kelurahan_id"}


@dataclass
class AngkaCatin:
    terdaftar: int = 0
    diperiksa_lengkap: int = 0
    berisiko: int = 0
    kurus: int = 0
    kek: int = 0
    anemia: int = 0
    usia_berisiko: int = 0
    terpapar_rokok: int = 0
    berisiko_didampingi: int = 0

    @property
    def persen_diperiksa(self):
        return rules.pct(self.diperiksa_lengkap, self.terdaftar)

    @property
    def persen_berisiko(self):
        return rules.pct(self.berisiko, self.terdaftar)

    @property
    def persen_didampingi(self):
        return rules.pct(self.berisiko_didampingi, self.berisiko)


@dataclass
class AngkaTtd:
    sekolah: int = 0
    jumlah_siswi: int = 0
    diberi_ttd: int = 0
    minum_ttd: int = 0

    @property
    def persen_minum(self):
        """Cakupan: remaja putri minum TTD ÷ remaja putri (sasaran.rules)."""
        return rules.pct(self.minum_ttd, self.jumlah_siswi)

    @property
    def persen_diberi(self):
        return rules.pct(self.diberi_ttd, self.jumlah_siswi)


@dataclass
class AngkaKrs:
    keluarga: int = 0
    pus: int = 0
    unmet_need: int = 0
    tanpa_air_minum_layak: int = 0
    tanpa_jamban_layak: int = 0
    terlalu_muda: int = 0
    terlalu_tua: int = 0
    terlalu_dekat: int = 0
    terlalu_banyak: int = 0
    ada_baduta: int = 0
    ada_balita: int = 0
    ada_ibu_hamil: int = 0
    cocok_genting: int = 0

    @property
    def persen_unmet_need(self):
        """Unmet need: families with unmet need ÷ PUS families (sasaran.rules)."""
        return rules.pct(self.unmet_need, self.pus)


def _by(rows, level, aggregates, cls) -> dict:
    # Aliased: an aggregate may not carry the name of a field it counts (Count("id", filter=berisiko)).
    aliased = {f"n_{name}": expression for name, expression in aggregates.items()}

    def figure(row):
        return cls(**{name[2:]: value or 0 for name, value in row.items() if name.startswith("n_")})
    group = LEVELS[level]
    if group is None:
        return {None: figure(rows.aggregate(**aliased))}
    return {row[group]: figure(row) for row in rows.values(group).annotate(**aliased).order_by()}


def _area(rows, kecamatan=None, kelurahan=None):
    if kecamatan:
        rows = rows.filter(kelurahan__kecamatan_id=getattr(kecamatan, "pk", kecamatan))
    if kelurahan:
        rows = rows.filter(kelurahan_id=getattr(kelurahan, "pk", kelurahan))
    return rows


# --- Catin -----------------------------------------------------------------------------------------


def catin_latest(user, periode: Periode, **area):
    """Each person's latest screening in the period (the rows the catin figures count)."""
    rows = _area(Catin.objects.for_user(user).filter(tanggal_periksa__range=(periode.mulai, periode.akhir)), **area)
    later = Catin.objects.filter(nik=OuterRef("nik"), tanggal_periksa__gt=OuterRef("tanggal_periksa"),
                                 tanggal_periksa__lte=periode.akhir)
    return rows.filter(~Exists(later))


def catin_by(user, periode: Periode, level="kota", **area) -> dict:
    aggregates = {
        "terdaftar": Count("id"),
        "diperiksa_lengkap": Count("id", filter=LENGKAP_Q),
        "berisiko": Count("id", filter=Q(berisiko=True)),
        "kurus": Count("id", filter=Q(kurus=True)),
        "kek": Count("id", filter=Q(kek=True)),
        "anemia": Count("id", filter=Q(anemia=True)),
        "usia_berisiko": Count("id", filter=Q(usia_berisiko=True)),
        "terpapar_rokok": Count("id", filter=Q(terpapar_rokok=True)),
        "berisiko_didampingi": Count("id", filter=Q(berisiko=True, didampingi=True)),
    }
    return _by(catin_latest(user, periode, **area), level, aggregates, AngkaCatin)


def catin_figures(user, periode: Periode, **area) -> AngkaCatin:
    return catin_by(user, periode, **area)[None]


def catin_list(user, *, q="", kelurahan=None, risiko="", tahun=None):
    rows = Catin.objects.for_user(user).select_related("kelurahan")
    if q:
        rows = rows.filter(Q(nama__icontains=q) | Q(nik=q))
    if kelurahan:
        rows = rows.filter(kelurahan_id=kelurahan)
    if risiko == "berisiko":
        rows = rows.filter(berisiko=True)
    elif risiko == "ideal":
        rows = rows.filter(berisiko=False)
    if tahun:
        rows = rows.filter(tanggal_periksa__year=tahun)
    return rows.order_by("-tanggal_periksa", "nama")


# --- Remaja putri TTD --------------------------------------------------------------------------------


def ttd_latest(user, periode: Periode, **area):
    """Each school's latest month in the period."""
    first, last = (periode.tahun, periode.bulan_awal), (periode.tahun, periode.bulan_akhir)
    rows = _area(TtdRemajaPutri.objects.for_user(user).filter(tahun=periode.tahun, bulan__gte=first[1],
                                                              bulan__lte=last[1]), **area)
    later = TtdRemajaPutri.objects.filter(kunci_sekolah=OuterRef("kunci_sekolah"), kelurahan_id=OuterRef("kelurahan_id"),
                                          tahun=periode.tahun, bulan__gt=OuterRef("bulan"), bulan__lte=last[1])
    return rows.filter(~Exists(later))


def ttd_by(user, periode: Periode, level="kota", **area) -> dict:
    aggregates = {"sekolah": Count("id"), "jumlah_siswi": Sum("jumlah_siswi"), "diberi_ttd": Sum("diberi_ttd"),
                  "minum_ttd": Sum("minum_ttd")}
    return _by(ttd_latest(user, periode, **area), level, aggregates, AngkaTtd)


def ttd_figures(user, periode: Periode, **area) -> AngkaTtd:
    return ttd_by(user, periode, **area)[None]


def ttd_list(user, *, q="", kelurahan=None, tahun=None):
    rows = TtdRemajaPutri.objects.for_user(user).select_related("kelurahan")
    if q:
        rows = rows.filter(sekolah__icontains=q)
    if kelurahan:
        rows = rows.filter(kelurahan_id=kelurahan)
    if tahun:
        rows = rows.filter(tahun=tahun)
    return rows.order_by("-tahun", "-bulan", "sekolah")


# --- Keluarga risiko stunting ------------------------------------------------------------------------

KRS_COUNTS = [f.name for f in fields(AngkaKrs) if f.name not in ("keluarga", "cocok_genting")]


def krs_by(user, tahun: int, level="kota", **area) -> dict:
    aggregates = {"keluarga": Count("id"), "cocok_genting": Count("id", filter=Q(keluarga_genting__isnull=False))}
    aggregates |= {name: Count("id", filter=Q(**{name: True})) for name in KRS_COUNTS}
    return _by(_area(KeluargaKrs.objects.for_user(user).filter(tahun=tahun), **area), level, aggregates, AngkaKrs)


def krs_figures(user, tahun: int, **area) -> AngkaKrs:
    return krs_by(user, tahun, **area)[None]


def krs_list(user, *, q="", kelurahan=None, tahun=None, faktor=""):
    rows = KeluargaKrs.objects.for_user(user).select_related("kelurahan")
    if q:
        rows = rows.filter(Q(kepala_keluarga__icontains=q) | Q(nik_kepala=q) | Q(nama_istri__icontains=q))
    if kelurahan:
        rows = rows.filter(kelurahan_id=kelurahan)
    if tahun:
        rows = rows.filter(tahun=tahun)
    if faktor in KRS_COUNTS:
        rows = rows.filter(**{faktor: True})
    elif faktor == "cocok_genting":
        rows = rows.filter(keluarga_genting__isnull=False)
    return rows.order_by("kelurahan__kode", "kepala_keluarga")


# --- Years and areas ----------------------------------------------------------------------------------


def years(user) -> list[int]:
    found = {d.year for d in Catin.objects.for_user(user).dates("tanggal_periksa", "year")}
    found |= set(TtdRemajaPutri.objects.for_user(user).values_list("tahun", flat=True).distinct())
    found |= set(KeluargaKrs.objects.for_user(user).values_list("tahun", flat=True).distinct())
    return sorted(found, reverse=True)


def has_catin(periode: Periode, user) -> bool:
    return Catin.objects.for_user(user).filter(tanggal_periksa__range=(periode.mulai, periode.akhir)).exists()


def kelurahan_rows(user, by: dict):
    """[(kelurahan, figures)] for the kelurahan the user may see that have figures, in code order."""
    return [(k, by[k.pk]) for k in Kelurahan.objects.for_user(user).select_related("kecamatan").order_by("kode")
            if k.pk in by]


def imports(user, jenis=None):
    rows = ImporSasaran.objects.for_user(user).select_related("diunggah_oleh")
    return rows.filter(jenis=jenis) if jenis else rows
