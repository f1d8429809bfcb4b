"""Forms of GENTING: Rupiah amounts (tpps.forms.RupiahField), choices limited to the user's scope;
foster parents, families, pairings and children are searchable pickers (tpps.pilih) over the
sources below."""

import re

from django import forms
from django.db.models import Q
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
from tpps.forms import DateInput, Form, ModelForm, RupiahField
from tpps.masking import name_for
from tpps.pilih import KELURAHAN, PilihField, Sumber

def _today():
    return timezone.localdate()


def _not_future(value):
    if value and value > _today():
        raise forms.ValidationError("Tanggal tidak boleh melewati hari ini.")


def _keluarga_label(keluarga, user):
    return f"{keluarga.kode} {name_for(user, keluarga.kepala_keluarga)} — {keluarga.kelurahan}"


def _ota_label(ota, user):
    return name_for(user, ota.nama) if ota.is_personal else ota.nama


def _active_families(user, action="view"):
    return (KeluargaRisikoStunting.objects.for_user(user, action).filter(status=StatusKeluarga.AKTIF)
            .select_related("kelurahan"))


def _unlinked_children(user, kelurahan=None):
    # A balita child is linked to at most one family member.
    taken = AnggotaKeluarga.objects.filter(anak__isnull=False).values("anak")
    return Anak.objects.for_user(user).filter(kelurahan_id=kelurahan).exclude(id__in=taken).order_by("nama")


def _keluarga_kode(word):
    # A family's code is its number (KRS-00012): "KRS-00012", "krs12" and "12" find it.
    match = re.fullmatch(r"(?i)(?:krs-?)?0*(\d{1,9})", word)
    return Q(pk=int(match.group(1))) if match else None


_KELUARGA = {"label": _keluarga_label, "cari": ("kelurahan__nama",), "kode": _keluarga_kode, "pribadi": ("kepala_keluarga", "nik_kepala"),
             "contoh": "nama, NIK, atau kode"}
KELUARGA = Sumber("keluarga", KeluargaRisikoStunting, _active_families, **_KELUARGA)
KELUARGA_PENYALURAN = Sumber("keluarga-penyaluran", KeluargaRisikoStunting,
                             lambda user: _active_families(user, "disburse"), **_KELUARGA)
ORANG_TUA_ASUH = Sumber("orang-tua-asuh", OrangTuaAsuh, lambda user: OrangTuaAsuh.objects.for_user(user).filter(aktif=True),
                        label=_ota_label, pribadi=("nama",), contoh="nama orang tua asuh")
PENDAMPINGAN = Sumber(
    "pendampingan", Pendampingan,
    lambda user: Pendampingan.objects.for_user(user).select_related("orang_tua_asuh", "keluarga"),
    label=lambda p, user: f"{_ota_label(p.orang_tua_asuh, user)} → {p.keluarga.kode}",
    cari=(), pribadi=("orang_tua_asuh__nama", "keluarga__kepala_keluarga"),
    contoh="nama orang tua asuh atau keluarga")
ANAK_BELUM_TERHUBUNG = Sumber(
    "anak-keluarga", Anak, _unlinked_children, konteks=("kelurahan",),
    label=lambda a, user: f"{name_for(user, a.nama)} (lahir {a.tanggal_lahir:%d-%m-%Y})",
    pribadi=("nama", "nik", "nama_ibu"), contoh="nama anak, NIK, atau ibu")


class DonasiForm(Form):
    orang_tua_asuh = PilihField(ORANG_TUA_ASUH, label="Orang tua asuh")
    bentuk = forms.ChoiceField(choices=BentukDonasi.choices, initial=BentukDonasi.UANG)
    kanal = forms.ModelChoiceField(Kanal.objects.filter(aktif=True), label="Kanal", empty_label=None)
    jumlah = RupiahField(label="Jumlah / nilai taksiran (Rp)")
    tanggal = forms.DateField(widget=DateInput, initial=_today, validators=[_not_future])
    referensi = forms.CharField(label="Referensi transfer", max_length=60, required=False,
                                help_text="Nomor bukti transfer atau kuitansi; tidak boleh dobel dalam satu kanal.")
    uraian = forms.CharField(max_length=255, required=False,
                             help_text="Wajib untuk barang atau kegiatan, misalnya “200 butir telur”.")
    untuk_keluarga = PilihField(KELUARGA, required=False, label="Peruntukan keluarga",
                                help_text="Kosongkan untuk dana umum (tanpa peruntukan).")
    untuk_pendampingan = PilihField(PENDAMPINGAN, required=False, label="Peruntukan pendampingan",
                                    help_text="Kosongkan bila tanpa peruntukan pendampingan.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("orang_tua_asuh", "untuk_keluarga", "untuk_pendampingan"):
            self.fields[name].pakai(user)

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


class PenyaluranForm(Form):
    keluarga = PilihField(KELUARGA_PENYALURAN, label="Keluarga")
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
        self.fields["keluarga"].pakai(user)
        if sources is not None:
            self.fields["akun_sumber"].queryset = Akun.objects.filter(pk__in=[a.pk for a in sources])
        self.sources = sources or []

    def clean_bukti(self):
        upload = self.cleaned_data.get("bukti")
        if upload:
            self.bukti_tipe = uploads.periksa_berkas(upload, uploads.FOTO_ATAU_PDF).mime
        return upload


class BuktiForm(Form):
    bukti = forms.FileField(label="Bukti (foto atau kuitansi)",
                            widget=forms.ClearableFileInput(attrs={"accept": uploads.FOTO_ATAU_PDF.accept}))

    def clean_bukti(self):
        upload = self.cleaned_data["bukti"]
        self.bukti_tipe = uploads.periksa_berkas(upload, uploads.FOTO_ATAU_PDF).mime
        return upload


class PembalikanForm(Form):
    alasan = forms.CharField(label="Alasan koreksi", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def clean_alasan(self):
        alasan = self.cleaned_data["alasan"].strip()
        if len(alasan) < 5:
            raise forms.ValidationError("Tuliskan alasan koreksi dengan jelas (minimal 5 huruf).")
        return alasan


class OrangTuaAsuhForm(ModelForm):
    komitmen_nominal = RupiahField(label="Nominal komitmen (Rp)", min_value=0, required=False,
                                   help_text="Per bulan untuk komitmen bulanan; total untuk sekali; taksiran untuk barang/kegiatan.")

    class Meta:
        model = OrangTuaAsuh
        fields = ["nama", "jenis", "kontak_nama", "telepon", "email", "alamat", "komitmen_bentuk",
                  "komitmen_nominal", "komitmen_bulan", "komitmen_mulai", "komitmen_uraian", "aktif"]
        widgets = {"komitmen_mulai": DateInput}

    def clean_komitmen_nominal(self):
        return self.cleaned_data.get("komitmen_nominal") or 0


class KeluargaForm(ModelForm):
    kelurahan = PilihField(KELURAHAN, label="Kelurahan")
    kebutuhan = forms.MultipleChoiceField(choices=KebutuhanKeluarga.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = KeluargaRisikoStunting
        fields = ["kepala_keluarga", "nik_kepala", "alamat", "rt", "rw", "kelurahan", "kebutuhan", "status",
                  "tanggal_masuk", "tanggal_selesai", "keterangan"]
        widgets = {"tanggal_masuk": DateInput, "tanggal_selesai": DateInput, "keterangan": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].pakai(user)
        self.fields["tanggal_masuk"].initial = _today
        self.fields["tanggal_masuk"].validators.append(_not_future)

    def clean_nik_kepala(self):
        nik = self.cleaned_data["nik_kepala"].strip()
        if nik and not re.fullmatch(r"\d{16}", nik):
            raise forms.ValidationError("NIK terdiri dari 16 angka.")
        return nik


class AnggotaForm(ModelForm):
    anak = PilihField(ANAK_BELUM_TERHUBUNG, required=False, label="Hubungkan dengan data balita")

    class Meta:
        model = AnggotaKeluarga
        fields = ["nama", "nik", "sasaran", "tanggal_lahir", "anak"]
        widgets = {"tanggal_lahir": DateInput}

    def __init__(self, *args, user, keluarga, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.keluarga = keluarga
        self.fields["anak"].pakai(user, kelurahan=keluarga.kelurahan_id)

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


class PendampinganForm(ModelForm):
    keluarga = PilihField(KELUARGA, label="Keluarga")

    class Meta:
        model = Pendampingan
        fields = ["keluarga", "mulai", "selesai", "keterangan"]
        widgets = {"mulai": DateInput, "selesai": DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keluarga"].pakai(user)
        self.fields["mulai"].initial = _today
