"""Forms of konvergensi: Indonesian labels and messages, choices limited to what the user may pick."""

from django import forms
from django.core.exceptions import ValidationError

from konvergensi import policy
from konvergensi.models import (
    AksiTahunan,
    Capaian,
    Indikator,
    Penandatangan,
    RembukStunting,
    RencanaKegiatan,
    StatusVerifikasi,
    TahunPenilaian,
)
from tpps import uploads
from tpps.forms import Form, ModelForm, RupiahField
from tpps.pilih import OPD, PilihField
from tpps.models import Kelurahan, LokusKelurahan, Opd

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AngkaField(forms.DecimalField):
    """A decimal typed the Indonesian way ("77,5", "1.234,5") or with a point ("77.5")."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str) and "," in value:
            value = value.replace(".", "").replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}


class AksiForm(ModelForm):
    opd = forms.ModelMultipleChoiceField(
        Opd.objects.all(), label="OPD penanggung jawab", widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = AksiTahunan
        fields = ["status", "rencana_mulai", "rencana_selesai", "realisasi_mulai", "realisasi_selesai", "narasi"]
        widgets = {
            "rencana_mulai": DATE, "rencana_selesai": DATE, "realisasi_mulai": DATE, "realisasi_selesai": DATE,
            "narasi": forms.Textarea(attrs={"rows": 4, "placeholder": "Apa yang sudah dilakukan, kapan, dan hasilnya."}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if policy.can_set_action_opds(user):
            self.fields["opd"].initial = list(self.instance.opd.all()) if self.instance.pk else []
        else:
            del self.fields["opd"]


class BuktiForm(Form):
    berkas = forms.FileField(
        label="Berkas",
        error_messages={"required": "Pilih berkas yang akan diunggah.", "empty": "Berkas yang dipilih kosong."},
        widget=forms.ClearableFileInput(attrs={"accept": uploads.DOKUMEN.accept}),
    )
    keluaran = forms.ModelChoiceField(None, label="Dokumen untuk", required=False, empty_label="Dokumen pendukung lain")
    judul = forms.CharField(label="Judul dokumen", max_length=200, required=False, help_text="Kosongkan untuk memakai nama berkas.")
    opd = forms.ModelChoiceField(None, label="Atas nama OPD", empty_label=None, required=False)

    def __init__(self, *args, aksi_tahunan=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keluaran"].queryset = aksi_tahunan.keluaran.all()
        opds = policy.uploadable_opds(user, aksi_tahunan)
        self.fields["opd"].queryset = Opd.objects.filter(id__in=[o.id for o in opds])
        self.only_opd = opds[0] if len(opds) == 1 else None
        # The secretariat usually uploads for DP3AP2KB when it is among the action's OPDs.
        self.fields["opd"].initial = next((o for o in opds if o.kode == "dp3ap2kb"), opds[0] if opds else None)
        if self.only_opd:
            # Nothing to choose: the user's one OPD among the action's.
            self.fields["opd"].widget = forms.HiddenInput()

    def clean_opd(self):
        opd = self.cleaned_data.get("opd") or self.fields["opd"].initial
        if opd is None:
            raise ValidationError("Pilih OPD yang mengunggah bukti ini.")
        return opd

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        self.info = uploads.periksa_berkas(berkas)
        return berkas


class VerifikasiForm(Form):
    status = forms.ChoiceField(
        label="Keputusan",
        choices=[(StatusVerifikasi.DITERIMA, "Diterima"), (StatusVerifikasi.PERLU_REVISI, "Perlu revisi")],
        widget=forms.RadioSelect,
        error_messages={"required": "Pilih diterima atau perlu revisi."},
    )
    komentar = forms.CharField(
        label="Catatan untuk OPD", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Wajib bila perlu revisi: tulis apa yang harus diperbaiki.",
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == StatusVerifikasi.PERLU_REVISI and not (data.get("komentar") or "").strip():
            self.add_error("komentar", "Tulis apa yang harus diperbaiki OPD.")
        return data


class CapaianForm(ModelForm):
    pembilang = AngkaField(label="Pembilang", required=False, min_value=0, max_digits=14, decimal_places=2)
    penyebut = AngkaField(label="Penyebut", required=False, min_value=0, max_digits=14, decimal_places=2)
    nilai = AngkaField(label="Capaian langsung", required=False, min_value=0, max_digits=12, decimal_places=2)

    class Meta:
        model = Capaian
        fields = ["pembilang", "penyebut", "nilai", "kendala", "upaya"]
        widgets = {
            "kendala": forms.Textarea(attrs={"rows": 2}),
            "upaya": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, indikator=None, dihitung=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.indikator = indikator
        self.instance.indikator = indikator
        if dihitung or indikator.satuan.strip() != "%":
            # Computed figures come from our data; non-percent indicators are typed directly.
            del self.fields["pembilang"], self.fields["penyebut"]
        if dihitung:
            del self.fields["nilai"]

    def clean(self):
        data = super().clean()
        ratio = data.get("pembilang") is not None or data.get("penyebut") is not None
        if ratio and data.get("nilai") is not None:
            self.add_error("nilai", "Isi pembilang dan penyebut, atau capaian langsung — jangan keduanya.")
        return data


class RencanaKegiatanForm(ModelForm):
    # "150.000.000" typed without JavaScript is read as 150000000; 0 = not yet budgeted or spent.
    pagu = RupiahField(label="Pagu (Rp)", min_value=0, help_text="")
    realisasi = RupiahField(label="Realisasi (Rp)", min_value=0, required=False, help_text="")
    lokus = forms.ModelMultipleChoiceField(
        Kelurahan.objects.none(), label="Kelurahan lokus", required=False, widget=forms.CheckboxSelectMultiple
    )
    indikator = forms.ModelMultipleChoiceField(
        Indikator.objects.filter(aktif=True), label="Indikator yang didukung", required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = RencanaKegiatan
        fields = ["opd", "nama", "kode_program", "kode_kegiatan", "pagu", "realisasi", "sasaran", "keterangan"]
        widgets = {
            "keterangan": forms.Textarea(attrs={"rows": 2}),
            "kode_program": forms.TextInput(attrs={"placeholder": "1.02.02"}),
            "kode_kegiatan": forms.TextInput(attrs={"placeholder": "1.02.02.2.02"}),
        }

    def __init__(self, *args, user=None, tahun=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = policy.kegiatan_opd_choices(user, Opd.objects.all())
        self.fields["opd"].empty_label = None
        lokus_ids = LokusKelurahan.objects.filter(tahun=tahun).values("kelurahan")
        self.fields["lokus"].queryset = Kelurahan.objects.filter(id__in=lokus_ids).order_by("nama")
        if self.instance.pk:
            self.fields["lokus"].initial = list(self.instance.lokus.all())
            self.fields["indikator"].initial = list(self.instance.indikator.all())
        self.fields["pagu"].error_messages["required"] = "Isi pagu kegiatan (boleh 0 bila belum dianggarkan)."

    def clean_realisasi(self):
        return self.cleaned_data.get("realisasi") or 0


class RembukForm(ModelForm):
    class Meta:
        model = RembukStunting
        fields = ["tanggal", "tempat", "jumlah_peserta", "peserta", "kegiatan_disepakati", "catatan"]
        widgets = {
            "tanggal": DATE,
            "peserta": forms.Textarea(attrs={"rows": 2}),
            "kegiatan_disepakati": forms.Textarea(attrs={"rows": 5}),
            "catatan": forms.Textarea(attrs={"rows": 2}),
        }


class PenandatanganForm(ModelForm):
    class Meta:
        model = Penandatangan
        fields = ["nama", "jabatan", "unsur"]


class TanggalPenilaianForm(ModelForm):
    class Meta:
        model = TahunPenilaian
        fields = ["tanggal_penilaian"]
        widgets = {"tanggal_penilaian": DATE}


class BukaTahunForm(Form):
    tahun = forms.IntegerField(label="Tahun", min_value=2020, max_value=2100)


class IndikatorKatalogForm(ModelForm):
    """An indicator of the catalogue, as the Admin defines it (/kelola/indikator/)."""

    opd = PilihField(OPD, label="OPD penanggung jawab")

    class Meta:
        model = Indikator
        fields = ["kode", "nama", "opd", "jenis", "satuan", "arah", "sumber_data", "definisi_pembilang",
                  "definisi_penyebut", "hitung_otomatis", "urutan", "aktif"]
        labels = {"kode": "Kode", "nama": "Nama indikator", "opd": "OPD penanggung jawab", "jenis": "Jenis",
                  "satuan": "Satuan", "arah": "Arah", "sumber_data": "Sumber data", "definisi_pembilang": "Pembilang",
                  "definisi_penyebut": "Penyebut", "hitung_otomatis": "Cara memperoleh capaian", "urutan": "Urutan",
                  "aktif": "Aktif"}
        help_texts = {
            "kode": "Huruf kecil, angka, dan tanda hubung, misalnya asi-eksklusif; tidak dapat diubah setelah disimpan.",
            "satuan": "% untuk persentase (capaian dari pembilang ÷ penyebut), atau satuan lain, misalnya kasus.",
            "urutan": "Urutan tampil di tabel indikator (kecil dahulu).",
            "aktif": "Indikator nonaktif tidak tampil di tabel capaian; riwayatnya tetap tersimpan.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].pakai(user)
        if self.instance.pk:
            self.fields["kode"].disabled = True

    def validate_unique(self):
        return None  # the service names the code already used


class TargetForm(Form):
    tahun = forms.IntegerField(label="Tahun", min_value=2018, max_value=2045)
    nilai = AngkaField(label="Target", max_digits=12, decimal_places=2,
                       error_messages={"invalid": "Tulis target sebagai angka, misalnya 80 atau 14,2."})
