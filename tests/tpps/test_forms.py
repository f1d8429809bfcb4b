"""Whole-rupiah amounts typed the Indonesian way (tpps.forms, used by GENTING and the activity plan)."""

import pytest

from tpps.forms import RupiahField, parse_rupiah


@pytest.mark.parametrize(
    "text, value",
    [("1.234.567", 1234567), ("Rp 1.234.567", 1234567), ("Rp1.234.567", 1234567), ("rp. 50.000", 50000),
     ("250000", 250000), ("1.250.000,00", 1250000), (" 7 500 ", 7500)],
)
def test_rupiah_is_read_the_indonesian_way(text, value):
    assert parse_rupiah(text) == value


@pytest.mark.parametrize(
    "text, message",
    [("12,5", "tanpa sen"), ("1.2345", "misalnya 150.000"), ("seratus ribu", "misalnya 150.000"), ("-5000", "negatif"),
     ("1,234,567", "tanpa sen")],
)
def test_rupiah_rejects_what_is_not_whole_rupiah(text, message):
    with pytest.raises(ValueError, match=message):
        parse_rupiah(text)


def test_field_minimum_and_empty():
    from django import forms

    with pytest.raises(forms.ValidationError, match="minimal Rp 1"):
        RupiahField().clean("0")
    assert RupiahField(min_value=0).clean("0") == 0
    assert RupiahField(required=False).clean("") is None
