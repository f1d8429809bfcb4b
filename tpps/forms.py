"""Form pieces shared by the apps: the one form style (base classes and renderer), whole-rupiah
amounts typed the Indonesian way, the year-and-period picker of every figures page, and the login
form."""

import datetime
import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UsernameField
from django.forms.renderers import TemplatesSetting

from tpps import periods
from tpps.formatting import angka

DJANGO_BLANK = "---------"


class Renderer(TemplatesSetting):
    """settings.FORM_RENDERER: every field drawn by `as_field_group` (and `as_div`) the same way,
    label, error, input, help text (templates/tpps/forms/field.html); widgets may live in the
    project's templates (the picker's does)."""

    field_template_name = "tpps/forms/field.html"


def blank_label(field) -> str:
    """The Indonesian empty choice: '— pilih kelurahan —'."""
    return f"— pilih {str(field.label or '').lower()} —".replace("  ", " ")


class Gaya:
    """The one form style of the app, mixed into every form (`tpps.forms.Form`, `ModelForm`):
    labels without Django's ':' and an Indonesian empty choice instead of '---------'.
    tests/tpps/test_form_style.py walks every form class and checks it is one of these."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "empty_label", None) == DJANGO_BLANK:
                field.empty_label = blank_label(field)
            elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                if any(label == DJANGO_BLANK for _, label in field.choices):
                    field.choices = [(value, blank_label(field) if label == DJANGO_BLANK else label)
                                     for value, label in field.choices]


class Form(Gaya, forms.Form):
    pass


class ModelForm(Gaya, forms.ModelForm):
    pass


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as yyyy-mm-dd whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


RUPIAH_HINT = "Tulis jumlah dalam rupiah, misalnya 150.000."


def parse_rupiah(text) -> int:
    """'1.234.567', 'Rp 1.234.567', 'Rp1234567', '1.234.567,00' -> 1234567. Raises ValueError
    with an Indonesian message for anything else (sen, letters, negative amounts)."""
    if isinstance(text, int):
        return text
    value = re.sub(r"(?i)^\s*rp\.?", "", str(text)).replace(" ", "").replace("\u00a0", "")
    if value.startswith("-"):
        raise ValueError("Jumlah tidak boleh negatif.")
    if "," in value:
        value, _, cents = value.partition(",")
        if cents.strip("0"):
            raise ValueError("Jumlah dalam rupiah bulat, tanpa sen.")
    if not re.fullmatch(r"\d{1,3}(\.\d{3})*|\d+", value):
        raise ValueError(RUPIAH_HINT)
    return int(value.replace(".", ""))


class RupiahInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"data-rupiah": "", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        # Redisplay digits the way they were typed on screen: 2700000 -> 2.700.000.
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            return angka(int(value))
        return super().format_value(value)


class RupiahField(forms.Field):
    widget = RupiahInput

    def __init__(self, *, min_value=1, **kwargs):
        self.min_value = min_value
        kwargs.setdefault("help_text", "Rupiah bulat; titik ribuan boleh ditulis.")
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            amount = parse_rupiah(value)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from error
        if self.min_value is not None and amount < self.min_value:
            raise forms.ValidationError(f"Jumlah minimal Rp {angka(self.min_value)}.", code="min_value")
        return amount


class PeriodeForm(Form):
    """Year and reporting period of a figures page (dashboard, stunting register, kelurahan
    page). Invalid or missing values fall back to the defaults, never to an error page:
    the year to the newest with data, the period to `default_for(tahun)` (balita's rule: the
    latest month whose data suffice), else the whole year."""

    tahun = forms.TypedChoiceField(coerce=int, required=False, label="Tahun")
    periode = forms.ChoiceField(required=False, label="Periode")

    def __init__(self, data, *, years, default_for):
        super().__init__(data)
        self.years = list(years) or [datetime.date.today().year]
        self._default_for = default_for
        self._defaults = {}  # tahun (None: any year) → default period; each is one query
        self.fields["tahun"].choices = [(y, str(y)) for y in self.years]
        # The period list names the chosen year ("Setahun (2025)"), not the newest one.
        self.fields["periode"].choices = periods.choices(self.chosen_year())

    def chosen_year(self) -> int:
        try:
            tahun = int(self.data.get("tahun"))
        except (TypeError, ValueError):
            tahun = None
        if tahun in self.years:
            return tahun
        latest = self.default_for(None)
        return latest.tahun if latest else self.years[0]

    def default_for(self, tahun):
        """`default_for(tahun)`, asked once per form (a page asks for it up to three times)."""
        if tahun not in self._defaults:
            self._defaults[tahun] = self._default_for(tahun)
            latest = self._defaults[tahun]
            if tahun is None and latest is not None:
                # The newest month whose data suffice is also the newest such month of its own year
                # (and with none sufficing anywhere, the newest month with data is that of its year).
                self._defaults.setdefault(latest.tahun, latest)
        return self._defaults[tahun]

    def resolve_periode(self) -> "periods.Periode":
        tahun = self.chosen_year()
        chosen = periods.parse(self.data.get("periode", ""), tahun)
        return chosen or self.default_for(tahun) or periods.Periode("tahun", tahun, 1)


USERNAME_MAX_LENGTH = 150  # User.username's length


class LoginForm(Gaya, AuthenticationForm):
    """Django's login form with the username's length checked as a field rule: a longer name is
    refused before authentication, so django-axes never tries to store it (its column is shorter
    than what a client can send)."""

    username = UsernameField(max_length=USERNAME_MAX_LENGTH, widget=forms.TextInput(attrs={"autofocus": True}),
                             error_messages={"max_length": f"Nama pengguna paling banyak {USERNAME_MAX_LENGTH} karakter."})


class AuditFilterForm(Form):
    """The audit page's filters (GET): who, from and to which day, which data, which object,
    which action. A value that does not parse is left out of the filter and shown as an error."""

    pengguna = forms.ModelChoiceField(queryset=None, required=False, label="Pengguna", empty_label="Semua")
    dari = forms.DateField(required=False, label="Dari tanggal", widget=forms.DateInput(attrs={"type": "date"}))
    sampai = forms.DateField(required=False, label="Sampai tanggal", widget=forms.DateInput(attrs={"type": "date"}))
    model = forms.ChoiceField(required=False, label="Data")
    objek = forms.CharField(required=False, max_length=64, label="ID data",
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "mis. 1234"}))
    aksi = forms.ChoiceField(required=False, label="Kejadian")

    def __init__(self, data, *, users, models, actions):
        super().__init__(data)
        self.fields["pengguna"].queryset = users
        self.fields["model"].choices = [("", "Semua"), *models]
        self.fields["aksi"].choices = [("", "Semua"), *actions]

    def values(self) -> dict:
        """The valid filters: {name: value}; invalid or empty ones are left out."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value not in (None, "") and name not in self.errors}


class KataSandiBaruForm(Gaya, PasswordChangeForm):
    """Django's own password change, in the app's form style."""
