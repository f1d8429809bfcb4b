"""Forms of the management area: Indonesian labels; the rules that span rows live in
tpps/kelola/services.py and come back as UserError on the field they name."""

from django import forms
from django.contrib.auth import password_validation

from tpps.models import Kecamatan, Kelurahan, Opd, PejabatTpps, Penugasan, Posyandu, Puskesmas, User
from tpps.roles import Role
from tpps.forms import Form, ModelForm
from tpps.pilih import KELURAHAN, OPD, PilihField


class PenggunaForm(Form):
    username = forms.CharField(
        label="Nama pengguna", max_length=150,
        validators=User._meta.get_field("username").validators,
        help_text="Untuk masuk; huruf, angka, dan @ . + - _ saja.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    first_name = forms.CharField(label="Nama depan", max_length=150)
    last_name = forms.CharField(label="Nama belakang", max_length=150, required=False)
    email = forms.EmailField(label="Surel", required=False)

    def clean_username(self):
        return self.cleaned_data["username"].strip()


class KataSandiForm(Form):
    """A new password typed twice and checked by Django's validators (AUTH_PASSWORD_VALIDATORS)."""

    kata_sandi1 = forms.CharField(
        label="Kata sandi", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Minimal 10 karakter, tidak mirip nama pengguna, bukan kata sandi umum.",
    )
    kata_sandi2 = forms.CharField(
        label="Ulangi kata sandi", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("kata_sandi1"), cleaned.get("kata_sandi2")
        if first and second and first != second:
            self.add_error("kata_sandi2", "Kedua kata sandi tidak sama.")
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("kata_sandi1", error)
        return cleaned


class PenggunaBaruForm(PenggunaForm, KataSandiForm):
    """A new user: who they are and a first password. The password validators compare it with the
    username and names typed on the same form."""

    field_order = ["username", "first_name", "last_name", "email", "kata_sandi1", "kata_sandi2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autofocus"] = True

    def clean(self):
        data = self.cleaned_data
        self.user = User(username=data.get("username", ""), first_name=data.get("first_name", ""),
                         last_name=data.get("last_name", ""), email=data.get("email", ""))
        return super().clean()


class PenugasanForm(ModelForm):
    """One role with its OPD or area; the model's clean() says which the role needs."""

    opd = PilihField(OPD, label="OPD", required=False, help_text="Hanya untuk peran OPD.")
    kelurahan = PilihField(KELURAHAN, label="Kelurahan", required=False)

    class Meta:
        model = Penugasan
        fields = ["peran", "opd", "puskesmas", "kelurahan"]
        labels = {"peran": "Peran", "opd": "OPD", "puskesmas": "Puskesmas", "kelurahan": "Kelurahan"}
        help_texts = {
            "opd": "Hanya untuk peran OPD.",
            "puskesmas": "Operator wilayah: pilih satu puskesmas atau satu kelurahan.",
        }

    def __init__(self, *args, user, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peran"].required = required
        self.fields["peran"].choices = [("", "— pilih peran —" if required else "— tanpa peran dahulu —"), *Role.choices]
        self.fields["opd"].pakai(user)
        self.fields["puskesmas"].queryset = Puskesmas.objects.order_by("nama")
        self.fields["kelurahan"].pakai(user)
        self.fields["puskesmas"].empty_label = "—"

    def _post_clean(self):
        # The role's rules (OPD or area) run in the service through the model's clean(), so the
        # messages come from one place; without a role nothing is created.
        return None

    def assignment_data(self):
        """The chosen role and detail, or None when no role was chosen (optional on a new user)."""
        data = self.cleaned_data
        return {key: data.get(key) for key in self.Meta.fields} if data.get("peran") else None


class PosyanduBaruForm(Form):
    kelurahan = PilihField(KELURAHAN, label="Kelurahan")
    nama = forms.CharField(label="Nama posyandu", max_length=Posyandu._meta.get_field("nama").max_length,
                           help_text="Tanpa kata “Posyandu”, misalnya Melati 3.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].pakai(user)


class PosyanduForm(Form):
    nama = forms.CharField(label="Nama posyandu", max_length=Posyandu._meta.get_field("nama").max_length,
                           help_text="Tanpa kata “Posyandu”, misalnya Melati 3.")
    aktif = forms.BooleanField(label="Aktif", required=False,
                               help_text="Posyandu nonaktif tetap tersimpan bersama riwayat pengukurannya.")


class LokusForm(Form):
    tahun = forms.IntegerField(label="Tahun", min_value=2000, max_value=2100)
    kelurahan = PilihField(KELURAHAN, label="Kelurahan")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].pakai(user)


class OpdForm(ModelForm):
    class Meta:
        model = Opd
        fields = ["singkatan", "nama", "kode"]
        labels = {"singkatan": "Singkatan", "nama": "Nama lengkap", "kode": "Kode"}
        help_texts = {
            "singkatan": "Yang tampil di daftar, misalnya Dinkes.",
            "kode": "Huruf kecil, angka, dan tanda hubung, misalnya dinkes; tidak dapat diubah setelah disimpan.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["kode"].disabled = True

    def validate_unique(self):
        # The service says "kode already used" in its own words (tpps/kelola/services.py).
        return None


class KecamatanForm(ModelForm):
    class Meta:
        model = Kecamatan
        fields = ["kode", "nama"]
        labels = {"kode": "Kode Kemendagri", "nama": "Nama kecamatan"}
        help_texts = {"kode": "Misalnya 35.71.03."}

    def validate_unique(self):
        return None  # the service says it in its own words


class KelurahanForm(ModelForm):
    class Meta:
        model = Kelurahan
        fields = ["kecamatan", "kode", "nama"]
        labels = {"kecamatan": "Kecamatan", "kode": "Kode Kemendagri", "nama": "Nama kelurahan"}
        help_texts = {"kode": "Diawali kode kecamatannya, misalnya 35.71.03.1007."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = Kecamatan.objects.order_by("kode")
        self.fields["kecamatan"].empty_label = "— pilih kecamatan —"

    def validate_unique(self):
        return None  # codes and names are checked by the service, one message each

    def _get_validation_exclusions(self):
        # Also the one-name-per-kecamatan constraint: the service's message names the kecamatan.
        return {*super()._get_validation_exclusions(), "nama"}


class PuskesmasForm(ModelForm):
    class Meta:
        model = Puskesmas
        fields = ["nama", "kecamatan", "kelurahan"]
        labels = {"nama": "Nama puskesmas", "kecamatan": "Kecamatan", "kelurahan": "Wilayah kerja"}
        help_texts = {
            "nama": "Tanpa kata “Puskesmas”, misalnya Pesantren I.",
            "kelurahan": "Kelurahan yang anak-anaknya dilayani puskesmas ini; satu kelurahan hanya di satu puskesmas.",
        }
        widgets = {"kelurahan": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = Kecamatan.objects.order_by("kode")
        self.fields["kecamatan"].empty_label = "— pilih kecamatan —"
        self.fields["kelurahan"].queryset = Kelurahan.objects.order_by("nama")
        self.fields["kelurahan"].required = False  # the service names what is missing

    def validate_unique(self):
        return None



class PejabatForm(ModelForm):
    """One official who signs the evaluation pack (the page shows one form per role, prefixed)."""

    # Typed as printed ("19680512 199003 1 007"): spaces are dropped, then the model checks 18 digits.
    nip = forms.CharField(label="NIP", max_length=30, required=False, help_text="18 angka; spasi boleh.")

    class Meta:
        model = PejabatTpps
        fields = ["nama", "nip", "jabatan"]
        labels = {"nama": "Nama lengkap dan gelar", "nip": "NIP", "jabatan": "Jabatan"}
        error_messages = {"nama": {"required": "Isi nama pejabat."}, "jabatan": {"required": "Isi jabatan."}}

    def clean_nip(self):
        return "".join(self.cleaned_data["nip"].split())
