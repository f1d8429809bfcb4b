"""Forms of the laporan app: dashboard filters, ranking entry and upload, evaluation pack."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone

from laporan import ranking, selectors, sources
from tpps.forms import Form, ModelForm, PeriodeForm
from laporan.models import KabKota
from tpps import uploads


def this_year() -> int:
    # Called per form, not at import: a worker started in December still knows January's year.
    return timezone.localdate().year


class FilterForm(PeriodeForm):
    """Year, period and kecamatan of the dashboard; invalid values fall back to defaults."""

    kecamatan = forms.ModelChoiceField(queryset=None, required=False, label="Kecamatan", empty_label="Semua kecamatan")
    # Set by opening a puskesmas row (its working area); kept as a hidden field by the filters.
    puskesmas = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)

    def __init__(self, data, user, with_kecamatan=True):
        super().__init__(data, years=selectors.available_years(user),
                         default_for=lambda tahun: selectors.latest_period(user, tahun))
        self.fields["kecamatan"].queryset = selectors.kecamatan_choices(user)
        self.fields["puskesmas"].queryset = selectors.puskesmas_choices(user)
        if not with_kecamatan:
            del self.fields["kecamatan"]
            del self.fields["puskesmas"]
        self.user = user

    def resolve(self):
        """(Periode, kecamatan or None) with the defaults filled in."""
        self.is_valid()  # an invalid field falls back alone; the valid ones are kept
        return self.resolve_periode(), self.cleaned_data.get("kecamatan")

    def puskesmas_chosen(self):
        """The puskesmas whose working area the page shows (None: the city or the kecamatan);
        a puskesmas replaces a kecamatan filter."""
        return self.cleaned_data.get("puskesmas") if "puskesmas" in self.fields else None


class PenilaianHeaderForm(Form):
    tahun = forms.IntegerField(label="Tahun penilaian", min_value=2018, max_value=2045, initial=this_year)
    keterangan = forms.CharField(label="Keterangan", max_length=200, required=False,
                                 help_text="mis. Penilaian kinerja TPPS kab/kota se-Jawa Timur")
    skor_maksimum = forms.DecimalField(label="Skor maksimum", max_digits=6, decimal_places=2, required=False, min_value=0)


class NilaiRowForm(Form):
    """One kab/kota line of the entry form (empty lines are skipped)."""

    kab_kota = forms.ModelChoiceField(queryset=KabKota.objects.all(), widget=forms.HiddenInput)
    skor = forms.CharField(label="Skor", required=False, max_length=12,
                           widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 7}))
    peringkat = forms.CharField(label="Peringkat", required=False, max_length=4,
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}))


NilaiFormSet = forms.formset_factory(NilaiRowForm, extra=0)


class KomponenRowForm(Form):
    nama = forms.CharField(label="Komponen", max_length=150, required=False)
    bobot = forms.DecimalField(label="Bobot (%)", max_digits=5, decimal_places=2, required=False, min_value=0, max_value=100)
    skor = forms.DecimalField(label="Skor", max_digits=6, decimal_places=2, required=False, min_value=0)
    skor_maksimum = forms.DecimalField(label="Skor maks.", max_digits=6, decimal_places=2, required=False, min_value=0)

    def clean(self):
        data = super().clean()
        if not data.get("nama") and any(data.get(f) is not None for f in ("bobot", "skor", "skor_maksimum")):
            self.add_error("nama", "Isi nama komponen.")
        if data.get("skor") is not None and data.get("skor_maksimum") is not None and data["skor"] > data["skor_maksimum"]:
            self.add_error("skor", "Skor melebihi skor maksimum.")
        return data


KomponenFormSet = forms.formset_factory(KomponenRowForm, extra=0)


def nilai_initial(penilaian=None):
    """One line per kab/kota (by code), prefilled from an existing assessment."""
    existing = {}
    if penilaian is not None:
        existing = {n.kab_kota_id: n for n in penilaian.nilai.all()}
    lines = []
    for kab_kota in KabKota.objects.all():
        current = existing.get(kab_kota.id)
        lines.append({
            "kab_kota": kab_kota.id,
            "skor": str(current.skor).replace(".", ",") if current else "",
            "peringkat": current.peringkat if current else "",
        })
    return lines


def komponen_initial(penilaian=None, blank: int = 2):
    rows = []
    if penilaian is not None:
        rows = [{"nama": k.nama, "bobot": k.bobot, "skor": k.skor, "skor_maksimum": k.skor_maksimum}
                for k in penilaian.komponen.all()]
    return rows + [{}] * blank


class UnggahPenilaianForm(Form):
    tahun = forms.IntegerField(label="Tahun penilaian", min_value=2018, max_value=2045, initial=this_year)
    keterangan = forms.CharField(label="Keterangan", max_length=200, required=False)
    berkas = forms.FileField(label="Berkas XLSX atau CSV",
                             help_text=f"Kolom: Kab/Kota, Skor, Peringkat. Paling besar {settings.MAX_UPLOAD_MB} MB.",
                             widget=forms.ClearableFileInput(attrs={"accept": uploads.TABEL_PENILAIAN.accept}))

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        uploads.periksa_berkas(berkas, uploads.TABEL_PENILAIAN)  # size, type by content, integrity
        return berkas


class PaketForm(Form):
    """The year of a pack (or of its narrative); starts on the assessment year."""

    tahun = forms.TypedChoiceField(label="Tahun kinerja", coerce=int,
                                   help_text="Bawaan: tahun yang dinilai provinsi pada penilaian berikutnya.")

    def __init__(self, *args, years=(), **kwargs):
        assessment = sources.assessment_year()
        kwargs.setdefault("initial", {"tahun": assessment})
        super().__init__(*args, **kwargs)
        choices = sorted(set(years) | set(ranking.years()) | {this_year(), assessment}, reverse=True)
        self.fields["tahun"].choices = [(y, str(y)) for y in choices]


class SurveiForm(Form):
    tahun = forms.IntegerField(label="Tahun survei", min_value=2013, max_value=2045,
                               error_messages={"required": "Isi tahun survei."})
    sumber = forms.CharField(label="Sumber", max_length=60, help_text="mis. SSGI 2024, SKI 2023",
                             error_messages={"required": "Isi nama survei."})
    prevalensi = forms.CharField(label="Prevalensi stunting (%)", max_length=6,
                                 widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
                                 help_text="mis. 17,6", error_messages={"required": "Isi prevalensi."})
    keterangan = forms.CharField(label="Keterangan", max_length=200, required=False)

    def clean_prevalensi(self):
        text = self.cleaned_data["prevalensi"].strip().replace(",", ".").removesuffix("%").strip()
        try:
            value = Decimal(text)
        except ArithmeticError:
            raise forms.ValidationError("Prevalensi harus berupa angka, mis. 17,6.") from None
        if not Decimal(0) <= value <= Decimal(100) or value.as_tuple().exponent < -1:
            raise forms.ValidationError("Prevalensi antara 0 dan 100, paling banyak satu angka di belakang koma.")
        return value
