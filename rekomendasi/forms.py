"""Forms of rekomendasi: recommendation, follow-up, innovation and partner."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from konvergensi.models import Bukti, Indikator, RencanaKegiatan
from rekomendasi import measures, policy
from rekomendasi.models import Inovasi, Jenis, MitraInovasi, Rekomendasi, TindakLanjut
from tpps import uploads
from tpps.models import Opd
from tpps.forms import Form, ModelForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TAHUN = [MinValueValidator(2018, "Tahun penilaian paling awal 2018."), MaxValueValidator(2100, "Tahun tidak wajar.")]


def _file_field(label):
    return forms.FileField(
        label=label, required=False, error_messages={"empty": "Berkas yang dipilih kosong."},
        widget=forms.ClearableFileInput(attrs={"accept": uploads.DOKUMEN.accept}),
        help_text=f"Opsional: {uploads.DOKUMEN.uraian}.",
    )


class KegiatanChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.tahun} · {obj.opd.singkatan} · {obj.nama}"


class BuktiChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.aksi_tahunan.tahun} · Aksi {obj.aksi_tahunan.aksi.nomor} · {obj.judul} ({obj.get_status_display().lower()})"


class RekomendasiForm(ModelForm):
    tahun = forms.IntegerField(label="Tahun penilaian", validators=TAHUN)
    angka_aplikasi = forms.ChoiceField(label="Angka yang diukur aplikasi", required=False)
    opd = forms.ModelMultipleChoiceField(Opd.objects.all(), label="OPD penanggung jawab", widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": "Pilih minimal satu OPD penanggung jawab."})
    indikator = forms.ModelMultipleChoiceField(Indikator.objects.filter(aktif=True), label="Indikator terkait",
                                               required=False, widget=forms.CheckboxSelectMultiple)
    kegiatan = KegiatanChoice(RencanaKegiatan.objects.none(), label="Rencana kegiatan yang menjawab", required=False,
                              widget=forms.CheckboxSelectMultiple)
    bukti = BuktiChoice(Bukti.objects.none(), label="Bukti dukung terkait", required=False, widget=forms.CheckboxSelectMultiple)
    dokumen = _file_field("Dokumen sumber (hasil penilaian)")

    class Meta:
        model = Rekomendasi
        fields = ["tahun", "jenis", "judul", "uraian", "sumber", "angka_aplikasi", "lanjutan_dari", "urutan"]
        widgets = {"uraian": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["angka_aplikasi"].choices = measures.choices()
        self.fields["kegiatan"].queryset = RencanaKegiatan.objects.for_user(user).select_related("opd").order_by("-tahun", "opd__singkatan", "nama")
        self.fields["bukti"].queryset = Bukti.objects.for_user(user).select_related("aksi_tahunan__aksi").order_by(
            "-aksi_tahunan__tahun", "aksi_tahunan__aksi__nomor", "judul")
        self.fields["urutan"].validators += [MaxValueValidator(999)]
        earlier = Rekomendasi.objects.for_user(user).order_by("-tahun", "-jenis", "urutan")
        if self.instance.pk:
            earlier = earlier.exclude(pk=self.instance.pk)
        self.fields["lanjutan_dari"].queryset = earlier
        self.fields["lanjutan_dari"].label_from_instance = lambda r: f"{r.tahun} · {r.get_jenis_display()} · {r.judul}"
        self.fields["lanjutan_dari"].empty_label = "— rekomendasi baru —"
        if self.instance.pk:
            self.fields["opd"].initial = list(self.instance.opd.all())
            self.fields["indikator"].initial = list(self.instance.indikator.all())
            self.fields["kegiatan"].initial = list(self.instance.kegiatan.all())
            self.fields["bukti"].initial = list(self.instance.bukti.all())


class TindakLanjutForm(ModelForm):
    opd = forms.ModelChoiceField(Opd.objects.none(), label="Atas nama OPD", empty_label=None)
    berkas = _file_field("Bukti tindak lanjut")

    class Meta:
        model = TindakLanjut
        fields = ["opd", "uraian", "tanggal", "hasil", "tuntas"]
        widgets = {"tanggal": DATE, "uraian": forms.Textarea(attrs={"rows": 2}), "hasil": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, opds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = Opd.objects.filter(id__in=[o.id for o in opds])
        if len(opds) == 1:
            self.fields["opd"].initial = opds[0]
            self.fields["opd"].widget = forms.HiddenInput()


class InovasiForm(ModelForm):
    berkas = _file_field("Bukti / dokumen inovasi")

    class Meta:
        model = Inovasi
        fields = ["nama", "opd", "mulai", "sasaran", "sumber_anggaran", "uraian", "perubahan", "indikator"]
        widgets = {"mulai": DATE, "uraian": forms.Textarea(attrs={"rows": 3}), "perubahan": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = policy.innovation_opds(user, Opd.objects.all())
        self.fields["opd"].empty_label = None
        self.fields["indikator"].queryset = Indikator.objects.filter(aktif=True)
        self.fields["indikator"].empty_label = "— belum ditetapkan —"


class MitraForm(ModelForm):
    class Meta:
        model = MitraInovasi
        fields = ["nama", "unsur", "peran"]


JENIS_PILIHAN = [("", "Semua")] + list(Jenis.choices)
