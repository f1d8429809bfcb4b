"""Forms of sasaran hulu: a catin screening, a school's TTD month, an upload, the list filters."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from sasaran import policy
from sasaran.models import JenisImpor, JenisKelamin
from tpps import uploads
from tpps.formatting import BULAN
from tpps.forms import DateInput, Form
from tpps.pilih import PilihField, area_sources


def _number(label, low, high, unit, required=True):
    return forms.DecimalField(
        label=f"{label} ({unit})", required=required, min_value=Decimal(str(low)), max_value=Decimal(str(high)),
        max_digits=5, decimal_places=1, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": f"Isi {label.lower()}.", "invalid": f"{label} harus berupa angka, mis. 48,5.",
                        "min_value": f"{label} paling kecil {low} {unit}.", "max_value": f"{label} paling besar {high} {unit}.",
                        "max_decimal_places": f"{label} paling banyak 1 angka di belakang koma.",
                        "max_digits": f"{label} terlalu panjang."},
    )


KELURAHAN_SUMBER = {jenis: area_sources(f"sasaran_{jenis}", policy.MODELS[jenis])[0]
                    for jenis in (JenisImpor.CATIN, JenisImpor.REMAJA)}


def _kelurahan_field(user, jenis):
    return PilihField(KELURAHAN_SUMBER[jenis], label="Kelurahan",
                      error_messages={"required": "Pilih kelurahan.",
                                      "invalid_choice": "Kelurahan di luar wilayah kerja Anda."}).pakai(user)


YA_TIDAK = [("", "Tidak diketahui"), ("ya", "Ya"), ("tidak", "Tidak")]


class CatinForm(Form):
    nik = forms.RegexField(r"^[0-9]{16}$", label="NIK", max_length=16,
                           error_messages={"required": "Isi NIK.", "invalid": "NIK harus 16 angka."},
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    nama = forms.CharField(max_length=150, error_messages={"required": "Isi nama."})
    jenis_kelamin = forms.ChoiceField(label="Jenis kelamin", choices=JenisKelamin.choices)
    tanggal_lahir = forms.DateField(label="Tanggal lahir", widget=DateInput(),
                                    error_messages={"required": "Isi tanggal lahir.", "invalid": "Tanggal tidak valid."})
    alamat = forms.CharField(max_length=255, required=False)
    tanggal_periksa = forms.DateField(label="Tanggal pemeriksaan", widget=DateInput(), initial=timezone.localdate,
                                      error_messages={"required": "Isi tanggal pemeriksaan.", "invalid": "Tanggal tidak valid."})
    rencana_nikah = forms.DateField(label="Rencana tanggal menikah", widget=DateInput(), required=False,
                                    error_messages={"invalid": "Tanggal tidak valid."})
    berat = _number("Berat badan", 25, 200, "kg")
    tinggi = _number("Tinggi badan", 100, 220, "cm")
    lila = _number("LiLA", 10, 60, "cm", required=False)
    hb = _number("Hb", 3, 25, "g/dL", required=False)
    terpapar_rokok = forms.TypedChoiceField(label="Terpapar asap rokok", choices=YA_TIDAK, required=False, empty_value=None,
                                            coerce=lambda v: {"ya": True, "tidak": False}.get(v))
    didampingi = forms.BooleanField(label="Mendapat pendampingan TPK", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"] = _kelurahan_field(user, JenisImpor.CATIN)
        self.order_fields(["nik", "nama", "jenis_kelamin", "tanggal_lahir", "alamat", "kelurahan"])

    def clean(self):
        data = super().clean()
        born, screened = data.get("tanggal_lahir"), data.get("tanggal_periksa")
        if screened and screened > timezone.localdate():
            self.add_error("tanggal_periksa", "Tanggal pemeriksaan tidak boleh di masa depan.")
        if born and screened and not 10 <= (screened - born).days / 365.25 <= 80:
            self.add_error("tanggal_lahir", "Umur saat pemeriksaan tidak wajar untuk calon pengantin (10–80 tahun).")
        return data


class TtdForm(Form):
    sekolah = forms.CharField(max_length=150, error_messages={"required": "Isi nama sekolah."})
    tahun = forms.IntegerField(min_value=2015, max_value=2100, error_messages={"required": "Isi tahun."})
    bulan = forms.TypedChoiceField(choices=[(i, name) for i, name in enumerate(BULAN, 1)], coerce=int)
    jumlah_siswi = forms.IntegerField(label="Jumlah remaja putri", min_value=0,
                                      error_messages={"required": "Isi jumlah remaja putri."})
    diberi_ttd = forms.IntegerField(label="Remaja putri diberi TTD", min_value=0, error_messages={"required": "Isi jumlah."})
    minum_ttd = forms.IntegerField(label="Remaja putri minum TTD", min_value=0, error_messages={"required": "Isi jumlah."})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"] = _kelurahan_field(user, JenisImpor.REMAJA)
        self.order_fields(["sekolah", "kelurahan"])
        self.initial.setdefault("tahun", timezone.localdate().year)
        self.initial.setdefault("bulan", timezone.localdate().month)

    def clean(self):
        data = super().clean()
        total, given, taken = data.get("jumlah_siswi"), data.get("diberi_ttd"), data.get("minum_ttd")
        if None not in (total, given) and given > total:
            self.add_error("diberi_ttd", "Remaja putri diberi TTD lebih banyak dari jumlah remaja putri.")
        if None not in (given, taken) and taken > given:
            self.add_error("minum_ttd", "Remaja putri minum TTD lebih banyak dari yang diberi TTD.")
        today = timezone.localdate()
        if data.get("tahun") and data.get("bulan") and (data["tahun"], data["bulan"]) > (today.year, today.month):
            self.add_error("bulan", "Bulan laporan di masa depan.")
        return data


class UnggahForm(Form):
    berkas = forms.FileField(label="Berkas (.xlsx atau .csv sesuai templat)",
                             error_messages={"required": "Pilih berkas yang akan diunggah."},
                             widget=forms.ClearableFileInput(attrs={"accept": uploads.TABEL_SASARAN.accept}))

    def clean_berkas(self):
        upload = self.cleaned_data["berkas"]
        uploads.periksa_berkas(upload, uploads.TABEL_SASARAN)  # size, type by content, cells
        return upload


class FilterForm(Form):
    """The lists' filters; anything unreadable is ignored."""

    q = forms.CharField(required=False, max_length=100)
    kelurahan = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    tahun = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    risiko = forms.ChoiceField(required=False, choices=[("", "Semua"), ("berisiko", "Berisiko"), ("ideal", "Ideal")])
    faktor = forms.CharField(required=False, max_length=40)

    def values(self) -> dict:
        if self.is_valid():
            return dict(self.cleaned_data)
        return {name: self.cleaned_data.get(name) for name in self.fields
                if name not in self.errors and name in getattr(self, "cleaned_data", {})}
