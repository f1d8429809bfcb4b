"""Forms of the balita screens: measurement entry (with WHO-flag confirmation), child identity,
merge, e-PPGBM upload, register filters. Messages in Bahasa Indonesia."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone

from balita import selectors, services
from balita.growth import engine
from balita.importers.validation import LIMITS
from balita.models import Anak, CaraUkur
from tpps import uploads
from tpps.forms import DateInput, Form, ModelForm
from tpps.masking import name_for
from tpps.pilih import KELURAHAN, POSYANDU, PilihField, Sumber

FLAG_NAMES = {"flag_tbu": "TB/U", "flag_bbu": "BB/U", "flag_bbtb": "BB/TB", "flag_imtu": "IMT/U"}


def _koma(number: float) -> str:
    return f"{number:g}".replace(".", ",")


class DesimalField(forms.DecimalField):
    """Accepts '9,5' and '9.5' alike (a point is never read as a thousands separator here)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)


def _number(label: str, key: str, decimals: int, required: bool = False) -> forms.DecimalField:
    low, high, unit = LIMITS[key]
    return DesimalField(
        label=f"{label} ({unit})", required=required, max_digits=5, decimal_places=decimals,
        min_value=Decimal(str(low)), max_value=Decimal(str(high)),
        error_messages={
            "min_value": f"{label} paling kecil {_koma(low)} {unit}: nilai ini tidak mungkin untuk balita.",
            "max_value": f"{label} paling besar {_koma(high)} {unit}: nilai ini tidak mungkin untuk balita.",
            "invalid": f"{label} harus berupa angka, mis. 9,5.",
            "max_decimal_places": f"{label} paling banyak {decimals} angka di belakang koma.",
            "max_digits": f"{label} terlalu panjang.",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class PengukuranForm(Form):
    tanggal = forms.DateField(label="Tanggal pengukuran", widget=DateInput(),
                              error_messages={"required": "Isi tanggal pengukuran.", "invalid": "Tanggal tidak valid."})
    berat = _number("Berat", "berat", 2)
    tinggi = _number("Panjang/tinggi", "tinggi", 1)
    cara_ukur = forms.ChoiceField(label="Cara ukur", choices=[("", "—")] + list(CaraUkur.choices), required=False)
    lila = _number("LiLA", "lila", 1)
    lingkar_kepala = _number("Lingkar kepala", "lingkar_kepala", 1)
    asi_eksklusif = forms.TypedChoiceField(
        label="ASI eksklusif (bayi < 6 bulan)", required=False, empty_value=None,
        choices=[("", "Tidak ditanyakan"), ("ya", "Ya, hanya ASI"), ("tidak", "Tidak")],
        coerce=lambda value: {"ya": True, "tidak": False}.get(value),
        help_text="Dalam 24 jam terakhir bayi hanya diberi ASI (tanpa air, susu formula atau makanan lain).")
    posyandu = PilihField(POSYANDU, label="Posyandu", required=False,
                          help_text="Kosongkan untuk posyandu tempat anak terdaftar.")
    konfirmasi = forms.BooleanField(
        label="Saya sudah memeriksa ulang: nilai ini memang benar", required=False,
    )

    # The measurement being corrected (KoreksiPengukuranForm): its own date is not a duplicate.
    corrected_pk = None

    def __init__(self, *args, anak: Anak, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.anak = anak
        self.fields["posyandu"].pakai(user, kelurahan=anak.kelurahan_id)
        self.preview = None
        self.flags = []
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("tanggal", today)
            young = (today - anak.tanggal_lahir).days < engine.STANDING_FROM_DAYS
            self.initial.setdefault("cara_ukur", CaraUkur.TERLENTANG if young else CaraUkur.BERDIRI)
            self.initial.setdefault("posyandu", anak.posyandu_id)

    def measurement(self) -> services.MeasurementInput:
        data = self.cleaned_data
        return services.MeasurementInput(
            tanggal=data["tanggal"], berat=data.get("berat"), tinggi=data.get("tinggi"),
            cara_ukur=data.get("cara_ukur") or "", lila=data.get("lila"),
            lingkar_kepala=data.get("lingkar_kepala"), posyandu=data.get("posyandu"),
            asi_eksklusif=data.get("asi_eksklusif"),
        )

    def clean_tanggal(self):
        tanggal = self.cleaned_data["tanggal"]
        if tanggal > timezone.localdate():
            raise forms.ValidationError("Tanggal pengukuran tidak boleh di masa depan.")
        if tanggal < self.anak.tanggal_lahir:
            raise forms.ValidationError("Tanggal pengukuran sebelum tanggal lahir anak.")
        if (tanggal - self.anak.tanggal_lahir).days / (365.25 / 12) >= 60:
            raise forms.ValidationError("Pada tanggal ini anak sudah berumur 60 bulan atau lebih (bukan balita).")
        if self.anak.pengukuran.filter(tanggal=tanggal).exclude(pk=self.corrected_pk).exists():
            raise forms.ValidationError("Anak ini sudah punya pengukuran pada tanggal tersebut.")
        return tanggal

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("berat") is None and data.get("tinggi") is None:
            raise forms.ValidationError("Isi berat, panjang/tinggi, atau keduanya.")
        self.preview = services.preview_measurement(self.anak, self.measurement())
        self.flags = [name for key, name in FLAG_NAMES.items() if self.preview[key]]
        if self.flags and not data.get("konfirmasi"):
            raise forms.ValidationError(
                "Nilai " + ", ".join(self.flags) + " di luar batas wajar WHO (kemungkinan salah ukur atau salah ketik). "
                "Periksa kembali; bila memang benar, centang konfirmasi lalu simpan lagi.",
                code="flag",
            )
        return data

    @property
    def needs_confirmation(self) -> bool:
        return any(e.code == "flag" for e in self.non_field_errors().as_data())


class KoreksiPengukuranForm(PengukuranForm):
    """A stored measurement corrected: its values prefilled, and the reason the audit keeps."""

    alasan = forms.CharField(
        label="Alasan koreksi", max_length=300, widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="Mis. \"salah ketik tinggi 67 menjadi 76\". Disimpan di jejak audit bersama nilai lama.",
        error_messages={"required": "Tulis alasan koreksi."},
    )

    def __init__(self, *args, pengukuran, **kwargs):
        super().__init__(*args, anak=pengukuran.anak, **kwargs)
        self.corrected_pk = pengukuran.pk
        if not self.is_bound:
            for name in ("tanggal", "cara_ukur"):
                self.initial[name] = getattr(pengukuran, name)
            for name in ("berat", "tinggi", "lila", "lingkar_kepala"):
                value = getattr(pengukuran, name)
                # Shown the Indonesian way ("9,50"), as the clerk types it.
                self.initial[name] = "" if value is None else str(value).replace(".", ",")
            self.initial["posyandu"] = pengukuran.posyandu_id
            self.initial["asi_eksklusif"] = {True: "ya", False: "tidak"}.get(pengukuran.asi_eksklusif, "")


class HapusPengukuranForm(Form):
    alasan = forms.CharField(
        label="Alasan menghapus", max_length=300, widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="Mis. \"pengukuran anak lain tercatat di sini\". Disimpan di jejak audit bersama datanya.",
        error_messages={"required": "Tulis alasan menghapus."},
    )


class PreviewForm(PengukuranForm):
    """The same fields for the live preview: a partly filled form previews what it can."""

    def clean_tanggal(self):
        tanggal = self.cleaned_data["tanggal"]
        if tanggal < self.anak.tanggal_lahir:
            raise forms.ValidationError("Tanggal pengukuran sebelum tanggal lahir anak.")
        return tanggal

    def clean(self):
        data = forms.Form.clean(self)
        if "tanggal" in data and not self.errors:
            self.preview = services.preview_measurement(self.anak, self.measurement())
            self.flags = [name for key, name in FLAG_NAMES.items() if self.preview[key]]
        return data


class AnakForm(ModelForm):
    kelurahan = PilihField(KELURAHAN, label="Kelurahan", error_messages={"required": "Pilih kelurahan."})
    posyandu = PilihField(POSYANDU, label="Posyandu", required=False)
    berat_lahir = _number("Berat lahir", "berat_lahir", 2)
    panjang_lahir = _number("Panjang lahir", "panjang_lahir", 1)

    class Meta:
        model = Anak
        fields = ["nik", "nama", "jenis_kelamin", "tanggal_lahir", "berat_lahir", "panjang_lahir", "nama_ibu",
                  "nik_ibu", "nama_ayah", "alamat", "rt", "rw", "kelurahan", "posyandu"]
        widgets = {"tanggal_lahir": DateInput()}
        error_messages = {
            "nama": {"required": "Isi nama anak."},
            "tanggal_lahir": {"required": "Isi tanggal lahir.", "invalid": "Tanggal lahir tidak valid."},
            "jenis_kelamin": {"required": "Pilih jenis kelamin."},
            "kelurahan": {"required": "Pilih kelurahan."},
        }

    # The form's side of the identity review (balita.importers.identity): a child with the same
    # name, birth date and mother is refused unless the user states it is another child.
    anak_berbeda = forms.BooleanField(
        required=False, label="Anak lain (bukan data ganda)",
        help_text="Centang hanya bila sudah ada anak dengan nama, tanggal lahir, dan nama ibu yang sama, "
                  "dan Anda sudah memastikan ini anak yang berbeda (mis. kembar).")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].pakai(user)
        self.fields["posyandu"].pakai(user)
        self.fields["nik"].help_text = "16 angka; kosongkan bila belum punya."
        self.fields["nama_ibu"].help_text = "Dipakai untuk mengenali data ganda."
        self.fields["tanggal_lahir"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_nik(self):
        nik = (self.cleaned_data.get("nik") or "").replace(" ", "")
        if nik and (not nik.isdigit() or len(nik) != 16):
            raise forms.ValidationError("NIK harus 16 angka.")
        return nik or None

    def clean_nik_ibu(self):
        nik = (self.cleaned_data.get("nik_ibu") or "").replace(" ", "")
        if nik and (not nik.isdigit() or len(nik) != 16):
            raise forms.ValidationError("NIK ibu harus 16 angka.")
        return nik

    def clean_tanggal_lahir(self):
        born = self.cleaned_data["tanggal_lahir"]
        if born > timezone.localdate():
            raise forms.ValidationError("Tanggal lahir tidak boleh di masa depan.")
        if born < timezone.localdate() - datetime.timedelta(days=int(7 * 365.25)):
            raise forms.ValidationError("Anak lahir lebih dari 7 tahun lalu: bukan balita.")
        return born

    def clean(self):
        data = super().clean()
        posyandu, kelurahan = data.get("posyandu"), data.get("kelurahan")
        if posyandu and kelurahan and posyandu.kelurahan_id != kelurahan.id:
            self.add_error("posyandu", f"Posyandu {posyandu.nama} tidak berada di Kelurahan {kelurahan}.")
        return data

    def validate_unique(self):
        pass  # duplicates are checked by the service with a clearer message

    def _get_validation_exclusions(self):
        # The NIK's uniqueness too (a database constraint Django would report as "Batasan
        # anak_nik_unik dilanggar"): the service names the child that holds the NIK.
        return {*super()._get_validation_exclusions(), "nik"}


def _anak_label(anak, user):
    return (f"{name_for(user, anak.nama)} (nomor {anak.pk}, lahir {anak.tanggal_lahir:%d-%m-%Y}, "
            f"Kel. {anak.kelurahan.nama})")


def _anak_nomor(word):
    # A child's record number (shown on its page and in the duplicate list).
    return Q(pk=int(word)) if word.isdigit() and len(word) <= 9 else None


ANAK = Sumber("anak", Anak, lambda user: selectors.editable_children(user).select_related("kelurahan").order_by("nama"),
              label=_anak_label, cari=("kelurahan__nama",), pribadi=("nama", "nik", "nama_ibu"), kode=_anak_nomor,
              contoh="nama, NIK, ibu, atau nomor")


class GabungForm(Form):
    lain = PilihField(ANAK, label="Data anak lain",
                      error_messages={"required": "Pilih atau isi nomor data anak yang akan digabungkan.",
                                      "invalid_choice": "Data anak dengan nomor ini tidak ada di wilayah kerja Anda."})
    konfirmasi = forms.BooleanField(required=False)

    def __init__(self, *args, anak: Anak, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.anak, self.user = anak, user
        self.fields["lain"].pakai(user)

    def clean_lain(self):
        other = self.cleaned_data["lain"]
        if other.pk == self.anak.pk:
            raise forms.ValidationError("Pilih data anak yang lain, bukan data ini sendiri.")
        return other


class UnggahForm(Form):
    berkas = forms.FileField(label="Berkas ekspor e-PPGBM (.xlsx atau .csv)",
                             error_messages={"required": "Pilih berkas yang akan diunggah."},
                             widget=forms.ClearableFileInput(attrs={"accept": uploads.EKSPOR_EPPGBM.accept}))

    def clean_berkas(self):
        upload = self.cleaned_data["berkas"]
        uploads.periksa_berkas(upload, uploads.EKSPOR_EPPGBM)  # size, type by content, integrity
        return upload
