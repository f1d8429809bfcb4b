"""Forms of GENTING: Rupiah amounts (tpps.forms.RupiahField), choices limited to the user's scope."""

import re

from django import forms
from django.utils import timezone

from balita.models import Anak
from genting.models import (
    Akun,
    AnggotaKeluarga,
    BentukDonasi,
    JenisBantuan,
    Kanal,
    KebutuhanKeluarga,
    KeluargaRisikoStunting,
    OrangTuaAsuh,
    Pendampingan,
    StatusKeluarga,
)
from tpps import uploads
from tpps.forms import RupiahField
from tpps.models import Kelurahan

class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _today():
    return timezone.localdate()


def _not_future(value):
    if value and value > _today():
        raise forms.ValidationError("Tanggal tidak boleh melewati hari ini.")


def _keluarga_label(keluarga):
    return f"{keluarga.kode} {keluarga.kepala_keluarga} — {keluarga.kelurahan}"


class DonasiForm(forms.Form):
    orang_tua_asuh = forms.ModelChoiceField(OrangTuaAsuh.objects.none(), label="Orang tua asuh")
    bentuk = forms.ChoiceField(choices=BentukDonasi.choices, initial=BentukDonasi.UANG)
    kanal = forms.ModelChoiceField(Kanal.objects.filter(aktif=True), label="Kanal", empty_label=None)
    jumlah = RupiahField(label="Jumlah / nilai taksiran (Rp)")
    tanggal = forms.DateField(widget=DateInput, initial=_today, validators=[_not_future])
    referensi = forms.CharField(label="Referensi transfer", max_length=60, required=False,
                                help_text="Nomor bukti transfer atau kuitansi; tidak boleh dobel dalam satu kanal.")
    uraian = forms.CharField(max_length=255, required=False,
                             help_text="Wajib untuk barang atau kegiatan, misalnya “200 butir telur”.")
    untuk_keluarga = forms.ModelChoiceField(KeluargaRisikoStunting.objects.none(), required=False,
                                            label="Peruntukan keluarga", empty_label="— tanpa peruntukan (dana umum) —")
    untuk_pendampingan = forms.ModelChoiceField(Pendampingan.objects.none(), required=False,
                                                label="Peruntukan pendampingan", empty_label="— tanpa peruntukan —")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orang_tua_asuh"].queryset = OrangTuaAsuh.objects.for_user(user).filter(aktif=True)
        families = KeluargaRisikoStunting.objects.for_user(user).filter(status=StatusKeluarga.AKTIF).select_related("kelurahan")
        self.fields["untuk_keluarga"].queryset = families
        self.fields["untuk_keluarga"].label_from_instance = _keluarga_label
        self.fields["untuk_pendampingan"].queryset = Pendampingan.objects.for_user(user).select_related(
            "orang_tua_asuh", "keluarga"
        )
        self.fields["untuk_pendampingan"].label_from_instance = lambda p: f"{p.orang_tua_asuh} → {p.keluarga.kode}"

    def clean(self):
        data = super().clean()
        kanal, bentuk = data.get("kanal"), data.get("bentuk")
        if kanal and bentuk:
            if bentuk == BentukDonasi.UANG and not kanal.is_uang:
                self.add_error("kanal", "Donasi uang harus melalui kanal uang (Rumah Zakat, BAZNAS, atau kas kota).")
            if bentuk != BentukDonasi.UANG and kanal.is_uang:
                self.add_error("kanal", "Donasi barang atau kegiatan dicatat pada kanal natura.")
        if bentuk and bentuk != BentukDonasi.UANG and not data.get("uraian", "").strip():
            self.add_error("uraian", "Uraikan barang atau kegiatan yang diberikan.")
        if data.get("untuk_keluarga") and data.get("untuk_pendampingan"):
            self.add_error("untuk_pendampingan", "Pilih satu peruntukan saja: keluarga atau pendampingan.")
        return data


class PenyaluranForm(forms.Form):
    keluarga = forms.ModelChoiceField(KeluargaRisikoStunting.objects.none(), label="Keluarga")
    kanal = forms.ModelChoiceField(Kanal.objects.filter(aktif=True), label="Kanal", empty_label=None)
    akun_sumber = forms.ModelChoiceField(Akun.objects.none(), label="Sumber dana", empty_label=None)
    jenis = forms.ChoiceField(label="Jenis bantuan", choices=JenisBantuan.choices)
    lama_bulan = forms.IntegerField(label="Lama (bulan)", min_value=1, max_value=24, initial=1,
                                    help_text="Untuk paket nutrisi: berapa bulan yang dicakup penyaluran ini.")
    jumlah = RupiahField(label="Nilai (Rp)")
    tanggal = forms.DateField(widget=DateInput, initial=_today, validators=[_not_future])
    uraian = forms.CharField(max_length=255, required=False)
    bukti = forms.FileField(label="Bukti (foto atau kuitansi)", required=False,
                            help_text="JPG, PNG, WebP, atau PDF.",
                            widget=forms.ClearableFileInput(attrs={"accept": uploads.FOTO_ATAU_PDF.accept}))

    def __init__(self, *args, user, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        families = KeluargaRisikoStunting.objects.for_user(user, "disburse").filter(status=StatusKeluarga.AKTIF).select_related("kelurahan")
        self.fields["keluarga"].queryset = families
        self.fields["keluarga"].label_from_instance = _keluarga_label
        if sources is not None:
            self.fields["akun_sumber"].queryset = Akun.objects.filter(pk__in=[a.pk for a in sources])
        self.sources = sources or []

    def clean_bukti(self):
        upload = self.cleaned_data.get("bukti")
        if upload:
            self.bukti_tipe = uploads.periksa_berkas(upload, uploads.FOTO_ATAU_PDF).mime
        return upload


class BuktiForm(forms.Form):
    bukti = forms.FileField(label="Bukti (foto atau kuitansi)",
                            widget=forms.ClearableFileInput(attrs={"accept": uploads.FOTO_ATAU_PDF.accept}))

    def clean_bukti(self):
        upload = self.cleaned_data["bukti"]
        self.bukti_tipe = uploads.periksa_berkas(upload, uploads.FOTO_ATAU_PDF).mime
        return upload


class PembalikanForm(forms.Form):
    alasan = forms.CharField(label="Alasan koreksi", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def clean_alasan(self):
        alasan = self.cleaned_data["alasan"].strip()
        if len(alasan) < 5:
            raise forms.ValidationError("Tuliskan alasan koreksi dengan jelas (minimal 5 huruf).")
        return alasan


class OrangTuaAsuhForm(forms.ModelForm):
    komitmen_nominal = RupiahField(label="Nominal komitmen (Rp)", min_value=0, required=False,
                                   help_text="Per bulan untuk komitmen bulanan; total untuk sekali; taksiran untuk barang/kegiatan.")

    class Meta:
        model = OrangTuaAsuh
        fields = ["nama", "jenis", "kontak_nama", "telepon", "email", "alamat", "komitmen_bentuk",
                  "komitmen_nominal", "komitmen_bulan", "komitmen_mulai", "komitmen_uraian", "aktif"]
        widgets = {"komitmen_mulai": DateInput}

    def clean_komitmen_nominal(self):
        return self.cleaned_data.get("komitmen_nominal") or 0


class KeluargaForm(forms.ModelForm):
    kebutuhan = forms.MultipleChoiceField(choices=KebutuhanKeluarga.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = KeluargaRisikoStunting
        fields = ["kepala_keluarga", "nik_kepala", "alamat", "rt", "rw", "kelurahan", "kebutuhan", "status",
                  "tanggal_masuk", "tanggal_selesai", "keterangan"]
        widgets = {"tanggal_masuk": DateInput, "tanggal_selesai": DateInput, "keterangan": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].queryset = Kelurahan.objects.for_user(user, "change").select_related("kecamatan")
        self.fields["tanggal_masuk"].initial = _today
        self.fields["tanggal_masuk"].validators.append(_not_future)

    def clean_nik_kepala(self):
        nik = self.cleaned_data["nik_kepala"].strip()
        if nik and not re.fullmatch(r"\d{16}", nik):
            raise forms.ValidationError("NIK terdiri dari 16 angka.")
        return nik


class AnggotaForm(forms.ModelForm):
    class Meta:
        model = AnggotaKeluarga
        fields = ["nama", "nik", "sasaran", "tanggal_lahir", "anak"]
        widgets = {"tanggal_lahir": DateInput}

    def __init__(self, *args, user, keluarga, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.keluarga = keluarga
        taken = AnggotaKeluarga.objects.filter(anak__isnull=False).values("anak")
        self.fields["anak"].queryset = Anak.objects.for_user(user).filter(kelurahan=keluarga.kelurahan).exclude(id__in=taken)
        self.fields["anak"].required = False
        self.fields["anak"].label = "Hubungkan dengan data balita"
        self.fields["anak"].label_from_instance = lambda a: f"{a.nama} (lahir {a.tanggal_lahir:%d-%m-%Y})"

    def clean_nik(self):
        nik = self.cleaned_data["nik"].strip()
        if nik and not re.fullmatch(r"\d{16}", nik):
            raise forms.ValidationError("NIK terdiri dari 16 angka.")
        return nik

    def clean(self):
        data = super().clean()
        anak = data.get("anak")
        if anak and data.get("sasaran") != "anak":
            self.add_error("anak", "Data balita hanya dihubungkan ke anggota dengan sasaran anak.")
        elif anak:
            # The balita record is the reference for a linked child's name and birth date.
            data["nama"] = anak.nama
            data["tanggal_lahir"] = anak.tanggal_lahir
            self.instance.nama, self.instance.tanggal_lahir = anak.nama, anak.tanggal_lahir
            for field in ("nama", "tanggal_lahir"):
                self.errors.pop(field, None)
        return data


class PendampinganForm(forms.ModelForm):
    class Meta:
        model = Pendampingan
        fields = ["keluarga", "mulai", "selesai", "keterangan"]
        widgets = {"mulai": DateInput, "selesai": DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keluarga"].queryset = KeluargaRisikoStunting.objects.for_user(user).filter(
            status=StatusKeluarga.AKTIF
        ).select_related("kelurahan")
        self.fields["keluarga"].label_from_instance = _keluarga_label
        self.fields["mulai"].initial = _today
