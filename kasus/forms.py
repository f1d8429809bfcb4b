"""Forms of tata laksana gizi: filters, a pathway step, an intervention (givers limited to what
the user may record, kasus.policy)."""

from django import forms
from django.utils import timezone

from kasus import policy
from kasus.models import HasilLangkah, JenisIntervensi, Masalah, Tahap
from kasus.selectors import COHORT_BY, KEADAAN
from tpps.models import Opd
from tpps.forms import DateInput, Form, ModelForm


def _today():
    return timezone.localdate()


class FilterForm(Form):
    """The case list's filters; anything unreadable is simply ignored."""

    masalah = forms.ChoiceField(choices=[("", "Semua masalah"), *Masalah.choices], required=False)
    keadaan = forms.ChoiceField(choices=[("", "Semua keadaan"), *KEADAAN.items()], required=False)
    tempo = forms.ChoiceField(choices=[("", "Semua"), ("jatuh_tempo", "Jatuh tempo"), ("terlambat", "Terlambat")],
                              required=False, label="Tindak lanjut")
    puskesmas = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    kelurahan = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    posyandu = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    tahun = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    q = forms.CharField(required=False, max_length=100, label="Cari")

    def values(self) -> dict:
        if not self.is_valid():
            return {name: self.cleaned_data.get(name) for name in self.fields
                    if name not in self.errors and name in getattr(self, "cleaned_data", {})}
        return dict(self.cleaned_data)


class KohortForm(Form):
    tahun = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    masalah = forms.ChoiceField(choices=[("", "Semua masalah"), *Masalah.choices], required=False)
    per = forms.ChoiceField(choices=[(c, c) for c in COHORT_BY], required=False)


class LangkahForm(Form):
    tahap = forms.ChoiceField(choices=Tahap.choices)
    tanggal = forms.DateField(widget=DateInput, initial=_today)
    hasil = forms.ChoiceField(choices=HasilLangkah.choices)
    catatan = forms.CharField(max_length=300, required=False, help_text="Misalnya nama tenaga kesehatan atau dokter.")


class IntervensiForm(Form):
    jenis = forms.ChoiceField(choices=JenisIntervensi.choices)
    opd = forms.ModelChoiceField(Opd.objects.none(), required=False, label="Pemberi",
                                 empty_label="Puskesmas/kader wilayah")
    mulai = forms.DateField(widget=DateInput, initial=_today, label="Tanggal mulai/diberikan")
    lama_hari = forms.IntegerField(required=False, min_value=1, max_value=365, label="Lama PMT (hari)",
                                   help_text="Kosongkan untuk lama sesuai juknis (56 hari gizi kurang, 14 hari BB kurang/2T).")
    hari_dimakan = forms.IntegerField(required=False, min_value=0, max_value=365, label="Hari PMT dimakan")
    catatan = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = policy.giver_choices(user)
        field = self.fields["opd"]
        if choices == "all":
            field.queryset = Opd.objects.order_by("nama")
        else:
            field.queryset = Opd.objects.filter(pk__in=[c for c in choices if c is not None]).order_by("nama")
            if None not in choices:
                field.required = True
                field.empty_label = None
