"""The searchable picker: one widget and one field for every choice among many rows (families,
foster parents, children, posyandu, kelurahan, OPD). A form and the search endpoint take their rows
from the same registered source, scoped through the one verb (`for_user`), so the endpoint offers
exactly what the form accepts, and a posted id outside it is refused as a plain ModelChoiceField
refuses it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.urls import reverse

from tpps.masking import sees_personal_data
from tpps.models import Kelurahan, Opd, Posyandu
from tpps.roles import CHANGE

BATAS = 20  # at most this many options per answer; more choices than this call for a picker
NOSCRIPT_SELECT_MAX = 500
BELUM_DIPILIH = "belum-dipilih"
TIDAK_TERSEDIA = "Pilihan ini tidak tersedia bagi Anda; ketik lalu pilih lagi dari daftar."

SUMBER: dict[str, "Sumber"] = {}


@dataclass(frozen=True)
class Sumber:
    """Where a picker's rows come from.

    rows:    (user, **konteks) -> the queryset the form validates against, scoped by `for_user`.
    label:   (row, user) -> the text shown; masks names for users who may not see personal data.
    cari:    fields matched (icontains, every typed word) by every user: codes, place names.
    pribadi: fields matched only for users who may see personal data (names, NIK), so a masked
             user cannot probe a name by searching for it.
    konteks: integer parameters that narrow the rows (e.g. a family's kelurahan); they only narrow
             a scoped queryset, never widen it.
    """

    nama: str
    model: type
    rows: Callable
    label: Callable = lambda row, user: str(row)
    cari: tuple[str, ...] = ()
    pribadi: tuple[str, ...] = ()
    konteks: tuple[str, ...] = ()
    contoh: str = "nama"  # what to type, for the placeholder ("Ketik nama atau kode…")
    kode: Callable | None = None  # word -> Q for a code that is not a column (e.g. KRS-00012), or None

    def __post_init__(self):
        SUMBER[self.nama] = self

    def queryset(self, user, **konteks):
        return self.rows(user, **{key: konteks.get(key) for key in self.konteks})

    def search(self, user, text: str, *, limit: int = BATAS + 1, **konteks):
        """The first `limit` rows matching every word of `text`, in the source's order (one more
        than shown tells the endpoint there are more)."""
        fields = self.cari + (self.pribadi if sees_personal_data(user) else ())
        rows = self.queryset(user, **konteks)
        for word in text.split()[:5]:
            # No field this user may search (a masked user and a source of names only): no match.
            match = Q.create([(f"{name}__icontains", word) for name in fields], connector=Q.OR) if fields else Q(pk__in=[])
            by_code = self.kode(word) if self.kode else None
            rows = rows.filter(match | by_code if by_code is not None else match)
        return list(rows[:limit])


def read_konteks(sumber: Sumber, params) -> dict:
    """The source's narrowing parameters from a query string; anything not a positive integer is
    left out (so the rows are simply not narrowed by it)."""
    konteks = {}
    for key in sumber.konteks:
        value = params.get(key, "")
        if value.isdigit() and 0 < int(value) < 2**31:
            konteks[key] = int(value)
    return konteks


class PilihWidget(forms.Widget):
    """A text input that searches (HTMX, static/js/app.js drives the keyboard), the chosen id in a
    hidden input under the field's name, and a plain select inside <noscript> for browsers
    without JavaScript."""

    template_name = "tpps/widgets/pilih.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.url = ""
        self.placeholder = "Ketik untuk mencari…"
        self.empty_label = None
        self.choices = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = ""
        value = self.format_value(value)
        if value not in (None, "") and hasattr(self.choices, "queryset"):
            row = self.choices.queryset.filter(pk=value).first() if str(value).isdigit() else None
            chosen = self.choices.field.label_from_instance(row) if row else ""
            if row is None:
                value = ""
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"].update({
            "value": value or "", "chosen": chosen, "url": self.url, "placeholder": self.placeholder,
            "listbox_id": f"{widget_id}_pilihan", "input_id": widget_id, "hidden_id": f"{widget_id}_nilai",
        })
        # Without JavaScript: every row in a plain select, unless there are too many to send with
        # each page (the city's children); then the row's number is typed, as it is shown on its page.
        many = hasattr(self.choices, "queryset") and self.choices.queryset.count() > NOSCRIPT_SELECT_MAX
        context["widget"]["options"] = [] if many else list(self.choices)
        context["widget"]["by_number"] = many
        return context

    def format_value(self, value):
        if hasattr(value, "pk"):
            value = value.pk
        return "" if value is None else str(value)

    def value_from_datadict(self, data, files, name):
        # Without JavaScript the <noscript> select posts after the hidden input: the last wins.
        values = (data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]) or [None]
        if len(values) > 1 or values[-1] not in (None, ""):
            return values[-1]
        # Typed but nothing picked: refused, rather than stored as "no choice".
        return BELUM_DIPILIH if str(data.get(f"{name}_cari") or "").strip() else ""

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_cari" not in data

    def id_for_label(self, id_):
        return id_


class PilihField(forms.ModelChoiceField):
    """A ModelChoiceField over a `Sumber`: call `pakai(user, **konteks)` in the form's __init__;
    the field then validates against `sumber.queryset(user, **konteks)` and the widget searches it."""

    widget = PilihWidget
    default_error_messages = {"invalid_choice": TIDAK_TERSEDIA}

    def __init__(self, sumber: Sumber, **kwargs):
        self.sumber = sumber
        kwargs.setdefault("empty_label", "")
        super().__init__(sumber.model.objects.none(), **kwargs)

    def to_python(self, value):
        if value == BELUM_DIPILIH:
            raise forms.ValidationError("Ketikan belum dipilih: pilih salah satu dari daftar yang muncul.", code="belum_dipilih")
        return super().to_python(value)

    def pakai(self, user, **konteks):
        sumber = self.sumber
        self.queryset = sumber.queryset(user, **konteks)
        self.label_from_instance = lambda row: sumber.label(row, user)
        narrowing = {key: getattr(value, "pk", value) for key, value in konteks.items() if value is not None}
        query = f"?{urlencode(narrowing)}" if narrowing else ""
        self.widget.url = reverse("pilih", args=[sumber.nama]) + query
        words = sumber.contoh if sees_personal_data(user) or not sumber.pribadi else "kode"
        self.widget.placeholder = f"Ketik {words}…"
        self.widget.empty_label = self.empty_label
        return self

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.url, result.widget.placeholder = self.widget.url, self.widget.placeholder
        return result


# The shared core's sources: kelurahan and posyandu a user may record data in, and OPDs.
def _kelurahan_rows(user):
    return Kelurahan.objects.for_user(user, CHANGE).select_related("kecamatan").order_by("nama")


def _posyandu_rows(user, kelurahan=None):
    rows = Posyandu.objects.for_user(user, CHANGE).select_related("kelurahan").order_by("kelurahan__nama", "nama")
    return rows if kelurahan is None else rows.filter(kelurahan_id=kelurahan)


KELURAHAN = Sumber("kelurahan", Kelurahan, _kelurahan_rows, label=lambda k, user: f"{k.nama} (Kec. {k.kecamatan})",
                   cari=("nama", "kode", "kecamatan__nama"), contoh="nama kelurahan")
POSYANDU = Sumber("posyandu", Posyandu, _posyandu_rows, label=lambda p, user: f"{p.nama} ({p.kelurahan})",
                  cari=("nama", "kelurahan__nama"), konteks=("kelurahan",), contoh="nama posyandu")
# The whole list of OPDs, for the management pages (an OPD's own lists stay with its policy).
OPD = Sumber("opd", Opd, lambda user: Opd.objects.order_by("singkatan"), label=lambda o, user: f"{o.singkatan} — {o.nama}",
             cari=("singkatan", "nama", "kode"), contoh="nama OPD")


def area_sources(nama: str, model, action=CHANGE) -> tuple[Sumber, Sumber]:
    """(kelurahan, posyandu) sources for a form that writes rows of `model` (an area-scoped
    queryset): the kelurahan its queryset lets the user act on for `action`
    (`kelurahan_ids_for`, e.g. the health office city-wide), and their posyandu."""
    def allowed(user):
        return model.objects.all().kelurahan_ids_for(user, action)

    def kelurahan_rows(user):
        ids, rows = allowed(user), Kelurahan.objects.select_related("kecamatan").order_by("nama")
        return rows if ids is None else rows.filter(id__in=ids)

    def posyandu_rows(user, kelurahan=None):
        ids = allowed(user)
        rows = Posyandu.objects.select_related("kelurahan").order_by("kelurahan__nama", "nama")
        rows = rows if ids is None else rows.filter(kelurahan_id__in=ids)
        return rows if kelurahan is None else rows.filter(kelurahan_id=kelurahan)

    return (Sumber(f"kelurahan_{nama}", Kelurahan, kelurahan_rows, label=KELURAHAN.label, cari=KELURAHAN.cari,
                   contoh=KELURAHAN.contoh),
            Sumber(f"posyandu_{nama}", Posyandu, posyandu_rows, label=POSYANDU.label, cari=POSYANDU.cari,
                   konteks=POSYANDU.konteks, contoh=POSYANDU.contoh))
