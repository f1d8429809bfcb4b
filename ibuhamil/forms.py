"""Forms of ibu hamil: filters, the pregnancy, a visit, a PMT course, the birth, the decision on a
newborn held for review, the upload. Labels and messages in Bahasa Indonesia."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from balita.forms import DesimalField
from balita.models import JenisKelamin
from ibuhamil import rules, selectors
from ibuhamil.models import KeadaanLahir, Kehamilan
from tpps import uploads
from tpps.forms import DateInput, Form
from tpps.pilih import PilihField, area_sources

BIG = 2**31 - 1


def _decimal(label, unit, low, high, required=False):
    return DesimalField(label=f"{label} ({unit})", required=required, max_digits=4, decimal_places=1,
                        min_value=Decimal(str(low)), max_value=Decimal(str(high)),
                        error_messages={"invalid": f"{label} harus berupa angka, mis. 23,5.",
                                        "min_value": f"{label} paling kecil {low} {unit}.",
                                        "max_value": f"{label} paling besar {high} {unit}.",
                                        "max_decimal_places": f"{label} paling banyak satu angka di belakang koma.",
                                        "max_digits": f"{label} terlalu panjang."},
                        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


class FilterForm(Form):
    """The list's filters; anything unreadable is ignored."""

    q = forms.CharField(required=False, max_length=100, label="Cari")
    kelurahan = forms.IntegerField(required=False, min_value=1, max_value=BIG)
    posyandu = forms.IntegerField(required=False, min_value=1, max_value=BIG)
    status = forms.ChoiceField(choices=[("", "Semua"), *selectors.STATUS.items()], required=False)
    risiko = forms.ChoiceField(choices=[("", "Semua"), *selectors.RISIKO_FILTER.items()], required=False)
    tahun = forms.IntegerField(required=False, min_value=2000, max_value=2100)

    def values(self) -> dict:
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors and v not in (None, "")}


# Where a user may record pregnancies (KehamilanQuerySet: the health office city-wide).
KELURAHAN_IBU, POSYANDU_IBU = area_sources("ibuhamil", Kehamilan)


class KehamilanForm(Form):
    nama = forms.CharField(label="Nama ibu", max_length=150)
    nik = forms.RegexField(label="NIK ibu", regex=r"^\d{16}$", required=False,
                           error_messages={"invalid": "NIK harus 16 angka."},
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    tanggal_lahir = forms.DateField(label="Tanggal lahir ibu", widget=DateInput())
    alamat = forms.CharField(label="Alamat", max_length=255, required=False)
    kelurahan = PilihField(KELURAHAN_IBU, label="Kelurahan", error_messages={"required": "Pilih kelurahan."})
    posyandu = PilihField(POSYANDU_IBU, label="Posyandu", required=False)
    hpht = forms.DateField(label="HPHT (hari pertama haid terakhir)", widget=DateInput(),
                           help_text="HPL dihitung otomatis (rumus Naegele).")
    jumlah_persalinan = forms.IntegerField(label="Jumlah persalinan sebelumnya", min_value=0, max_value=20, initial=0)
    persalinan_terakhir = forms.DateField(label="Tanggal persalinan terakhir", widget=DateInput(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].pakai(user)
        self.fields["posyandu"].pakai(user)

    def clean(self):
        data = super().clean()
        posyandu, kelurahan = data.get("posyandu"), data.get("kelurahan")
        if posyandu and kelurahan and posyandu.kelurahan_id != kelurahan.pk:
            self.add_error("posyandu", f"Posyandu {posyandu.nama} bukan di Kelurahan {kelurahan.nama}.")
        return data


class KunjunganForm(Form):
    tanggal = forms.DateField(label="Tanggal kunjungan", widget=DateInput())
    ke = forms.IntegerField(label="Kunjungan ke- (K)", min_value=1, max_value=12, required=False,
                            help_text="Kosongkan untuk nomor berikutnya.")
    lila = _decimal("LiLA", "cm", 10, 60)
    hb = _decimal("Hb", "g/dL", 3, 20)
    ttd_kumulatif = forms.IntegerField(label="TTD diminum sejak awal kehamilan (tablet)", min_value=0, max_value=400,
                                       required=False, help_text=f"Jumlah kumulatif; target minimal {rules.TTD_MINIMAL}.")
    catatan = forms.CharField(max_length=300, required=False)


class PmtForm(Form):
    mulai = forms.DateField(label="Tanggal mulai", widget=DateInput())
    lama_hari = forms.IntegerField(label="Lama (hari)", min_value=1, max_value=365, required=False,
                                   help_text=f"Kosongkan untuk {rules.LAMA_PMT_KEK_HARI} hari (juknis PMT lokal).")
    hari_dimakan = forms.IntegerField(label="Hari PMT dimakan", min_value=0, max_value=365, required=False)
    catatan = forms.CharField(max_length=300, required=False)


class PersalinanForm(Form):
    tanggal_persalinan = forms.DateField(label="Tanggal persalinan", widget=DateInput())
    keadaan_lahir = forms.ChoiceField(label="Keadaan lahir", choices=KeadaanLahir.choices)
    jenis_kelamin_bayi = forms.ChoiceField(label="Jenis kelamin bayi", choices=[("", "—"), *JenisKelamin.choices],
                                           required=False)
    berat_lahir = forms.IntegerField(label="Berat lahir (gram)", min_value=300, max_value=6500, required=False,
                                     error_messages={"min_value": "Berat lahir paling kecil 300 gram.",
                                                     "max_value": "Berat lahir paling besar 6.500 gram."})
    panjang_lahir = _decimal("Panjang lahir", "cm", 20, 65)
    nama_bayi = forms.CharField(label="Nama bayi", max_length=150, required=False,
                                help_text="Kosongkan bila belum bernama (tercatat \u201cBy. Ny. …\u201d).")
    nik_bayi = forms.RegexField(label="NIK bayi", regex=r"^\d{16}$", required=False,
                                error_messages={"invalid": "NIK harus 16 angka."})


class KeputusanBayiForm(Form):
    keputusan = forms.ChoiceField(choices=[("sama", "Anak yang sama"), ("baru", "Daftarkan sebagai anak baru")])
    anak = forms.IntegerField(required=False, min_value=1, max_value=BIG)


class UnggahForm(Form):
    berkas = forms.FileField(label="Berkas (XLSX atau CSV)",
                             widget=forms.ClearableFileInput(attrs={"accept": uploads.TEMPLAT_IBU_HAMIL.accept}))

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        try:
            uploads.periksa_berkas(berkas, uploads.TEMPLAT_IBU_HAMIL)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return berkas


class KonfirmasiForm(Form):
    token = forms.CharField(max_length=500)
