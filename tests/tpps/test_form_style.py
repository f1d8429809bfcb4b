"""One form style across the app (tpps.forms): every form class of the apps is built on
`tpps.forms.Gaya`; rendered in a city with more than 20 families, foster parents, pairings,
children, posyandu and kelurahan (the demo has 300, 60, …, ~6,000, ~340 and 46), no plain select
offers more than 20 choices (those are searchable pickers, tpps/pilih.py), no label ends with ':'
and no choice reads Django's '---------'."""

import datetime
import importlib
import inspect
import re
from pathlib import Path

import pytest
from django import forms

from balita import services as balita_services
from balita.models import Anak
from genting.forms import AnggotaForm, DonasiForm
from genting.models import OrangTuaAsuh, Pendampingan
from konvergensi.models import AksiTahunan, Indikator
from tests.factories import make_posyandu
from tests.genting.conftest import make_keluarga, make_ota
from tpps.forms import Gaya
from tpps.models import Kelurahan, Opd, User
from tpps.pilih import BATAS, PilihWidget

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FORM_MODULES = ["tpps.forms", "tpps.kelola.forms", "balita.forms", "genting.forms", "kasus.forms", "konvergensi.forms",
                "laporan.forms", "rekomendasi.forms", "ibuhamil.forms", "sasaran.forms"]
MANY = BATAS + 5
# Arguments a subclass fills in itself before passing the rest on to its parent form.
PASSED_ON = {"KoreksiPengukuranForm": {"anak"}, "FilterForm": {"years", "default_for"}}


def form_classes():
    # Every forms module of the apps (a new one must be listed above).
    found = sorted(p.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".") for p in ROOT.glob("*/forms.py"))
    found += ["tpps.kelola.forms"]
    assert sorted(found) == sorted(FORM_MODULES)
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name and cls.__name__ not in ("Form", "ModelForm"):
                yield cls


@pytest.fixture
def city(users):
    """More than BATAS of each row a picker offers, all in Betet (so a kelurahan-narrowed list is big too)."""
    otas = [make_ota(nama=f"Donatur {i:02d}") for i in range(MANY)]
    families = [make_keluarga("Betet", kepala=f"Kepala {i:02d}") for i in range(MANY)]
    for ota, keluarga in zip(otas, families):
        Pendampingan.objects.create(orang_tua_asuh=ota, keluarga=keluarga, mulai=datetime.date(2025, 1, 1))
    betet = Kelurahan.objects.get(nama="Betet")
    children = Anak.objects.bulk_create(Anak(nama=f"Anak {i:02d}", jenis_kelamin="L", tanggal_lahir=datetime.date(2024, 1, 1),
                                             kelurahan=betet) for i in range(MANY))
    for i in range(MANY):
        make_posyandu("Betet", f"Posyandu {i:02d}")
    anak = children[0]
    pengukuran = balita_services.record_measurement(
        anak, balita_services.MeasurementInput(tanggal=datetime.date(2025, 1, 5), berat=8, tinggi=70, cara_ukur="",
                                               lila=None, lingkar_kepala=None, posyandu=None), users["admin"])
    assert OrangTuaAsuh.objects.count() == MANY and Kelurahan.objects.count() > BATAS
    admin = users["admin"]
    return {
        "user": admin, "anak": anak, "keluarga": families[0], "pengukuran": pengukuran,
        "aksi_tahunan": AksiTahunan.objects.order_by("tahun").first(), "indikator": Indikator.objects.first(),
        "tahun": 2025, "opds": list(Opd.objects.all()), "years": [2025], "default_for": lambda tahun: None,
        "users": User.objects.all(), "models": [("x", "X")], "actions": [("x", "X")], "data": None,
        "with_kecamatan": True,
    }


def build(cls, city):
    """An unbound instance, with the keyword arguments its __init__ asks for taken from `city`."""
    names = {name for klass in cls.__mro__ if "__init__" in vars(klass) and klass is not object
             for name in inspect.signature(klass.__init__).parameters}
    names -= PASSED_ON.get(cls.__name__, set())
    return cls(**{name: city[name] for name in names if name in city})


def test_every_form_uses_the_one_style():
    classes = list(form_classes())
    assert len(classes) > 40
    assert [cls.__name__ for cls in classes if not issubclass(cls, Gaya)] == []


def test_no_long_select_no_colon_no_dashes(city):
    problems = []
    for cls in form_classes():
        form = build(cls, city)
        html = form.as_div()
        for field in form:
            if field.label and str(field.label_tag()).rstrip().endswith(":</label>"):
                problems.append(f"{cls.__name__}.{field.name}: label with ':'")
            widget = field.field.widget
            if isinstance(widget, forms.Select) and not isinstance(widget, PilihWidget):
                count = len(list(field.field.choices))
                if count > BATAS + 1:  # + the empty choice
                    problems.append(f"{cls.__name__}.{field.name}: select of {count} choices")
        if re.search(r"<label[^>]*>[^<]*:\s*</label>", html):
            problems.append(f"{cls.__name__}: rendered label ends with ':'")
        if "---------" in html:
            problems.append(f"{cls.__name__}: Django's '---------'")
    assert problems == []


def test_the_pickers_offer_the_big_lists(city):
    """The long lists are there, behind the pickers (so the test above is not vacuous)."""
    donasi = build(DonasiForm, city)
    assert donasi.fields["untuk_keluarga"].queryset.count() == MANY
    assert donasi.fields["orang_tua_asuh"].queryset.count() == MANY
    assert build(AnggotaForm, city).fields["anak"].queryset.count() == MANY
