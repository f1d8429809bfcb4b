"""Correcting and deleting a measurement saved by mistake: who may, the reason the audit keeps,
the old values in the audit trail, and figures that follow at once."""

import datetime
from decimal import Decimal

import pghistory.models
import pytest
from django.urls import reverse

from balita import figures, services
from balita.models import Pengukuran
from tests.balita.conftest import make_anak, measure
from tpps.periods import Periode
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db
JANUARY = Periode("bulan", 2025, 1)


@pytest.fixture
def child(users):
    anak = make_anak("Pesantren", nik="3571034101240021", tanggal_lahir=datetime.date(2023, 1, 10))
    measure(anak, datetime.date(2024, 12, 5), berat=10.5, tinggi=80.0, cara_ukur="terlentang")
    measure(anak, datetime.date(2025, 1, 6), berat=10.8, tinggi=70.0, cara_ukur="terlentang")  # a typo: stunted
    return anak


def january(child):
    return child.pengukuran.get(tanggal=datetime.date(2025, 1, 6))


def test_correction_recomputes_z_scores_keeps_old_values_and_reason_and_moves_figures(client_for, users, child):
    assert figures.figures(SYSTEM, JANUARY, kelurahan=child.kelurahan).stunting == 1
    measurement = january(child)
    response = client_for(users["wilayah"]).post(reverse("balita:pengukuran_ubah", args=[measurement.pk]), {
        "tanggal": "2025-01-06", "berat": "10,8", "tinggi": "81,0", "cara_ukur": "terlentang",
        "alasan": "salah ketik tinggi 70 menjadi 81"})
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.tinggi == Decimal("81.0") and measurement.kategori_tbu == "normal"
    assert figures.figures(SYSTEM, JANUARY, kelurahan=child.kelurahan).stunting == 0
    events = pghistory.models.Events.objects.filter(pgh_obj_model="balita.Pengukuran", pgh_obj_id=measurement.pk,
                                                    pgh_label="update")
    event = next(e for e in events if (e.pgh_diff or {}).get("tinggi"))
    assert event.pgh_context["alasan"] == "salah ketik tinggi 70 menjadi 81"
    assert event.pgh_context["peristiwa"] == "koreksi_pengukuran"
    assert [float(v) for v in event.pgh_diff["tinggi"]] == [70.0, 81.0]  # the old value is kept
    audit = client_for(users["admin"]).get(reverse("audit_log"), {"model": "balita.Pengukuran"}).content.decode()
    assert "Alasan: salah ketik tinggi 70 menjadi 81" in audit


def test_reason_is_required_and_nothing_changes_without_it(client_for, users, child):
    measurement = january(child)
    response = client_for(users["operator"]).post(reverse("balita:pengukuran_ubah", args=[measurement.pk]), {
        "tanggal": "2025-01-06", "berat": "10,8", "tinggi": "81,0", "cara_ukur": "terlentang", "alasan": " "})
    assert response.status_code == 422 and "Tulis alasan koreksi" in response.content.decode()
    measurement.refresh_from_db()
    assert measurement.tinggi == Decimal("70.0")
    with pytest.raises(services.BalitaError) as error:
        services.correct_measurement(measurement, services.MeasurementInput(tanggal=measurement.tanggal, berat=Decimal("10.8"),
                                     tinggi=Decimal("81")), "ok", users["operator"])
    assert error.value.field == "alasan"


def test_correction_cannot_take_another_measurements_date(client_for, users, child):
    measurement = january(child)
    response = client_for(users["operator"]).post(reverse("balita:pengukuran_ubah", args=[measurement.pk]), {
        "tanggal": "2024-12-05", "berat": "10,8", "tinggi": "81,0", "cara_ukur": "terlentang", "alasan": "tanggal salah"})
    assert "sudah punya pengukuran pada tanggal tersebut" in response.content.decode()
    assert child.pengukuran.count() == 2


def test_delete_with_reason_moves_figures_and_keeps_the_row_in_the_audit(client_for, users, child):
    measurement = january(child)
    page = client_for(users["operator"]).get(reverse("balita:pengukuran_hapus", args=[measurement.pk]))
    assert page.status_code == 200 and "Alasan menghapus" in page.content.decode()
    refused = client_for(users["operator"]).post(reverse("balita:pengukuran_hapus", args=[measurement.pk]), {"alasan": ""})
    assert refused.status_code == 422 and Pengukuran.objects.filter(pk=measurement.pk).exists()
    response = client_for(users["operator"]).post(reverse("balita:pengukuran_hapus", args=[measurement.pk]),
                                                  {"alasan": "pengukuran anak lain"})
    assert response.status_code == 302 and not Pengukuran.objects.filter(pk=measurement.pk).exists()
    assert figures.figures(SYSTEM, JANUARY, kelurahan=child.kelurahan).diukur == 0
    event = pghistory.models.Events.objects.get(pgh_obj_model="balita.Pengukuran", pgh_obj_id=measurement.pk,
                                                pgh_label="delete")
    assert event.pgh_context["alasan"] == "pengukuran anak lain" and float(event.pgh_data["tinggi"]) == 70.0


@pytest.mark.parametrize("role", ["pimpinan", "opd", "outsider"])
def test_readers_cannot_correct_or_delete(client_for, users, child, role):
    measurement = january(child)
    for name in ("pengukuran_ubah", "pengukuran_hapus"):
        response = client_for(users[role]).post(reverse(f"balita:{name}", args=[measurement.pk]),
                                                {"alasan": "coba-coba saja", "tanggal": "2025-01-06", "berat": "9"})
        assert response.status_code == 403
    assert Pengukuran.objects.get(pk=measurement.pk).tinggi == Decimal("70.0")


def test_operator_wilayah_only_in_its_area(client_for, users):
    betet = make_anak("Betet", nik="3571034101240022", tanggal_lahir=datetime.date(2023, 1, 10))
    measure(betet, datetime.date(2025, 1, 6), berat=10.8, tinggi=80.0)
    measurement = betet.pengukuran.get()
    client = client_for(users["wilayah"])  # Puskesmas Pesantren I: Betet is outside
    assert client.get(reverse("balita:pengukuran_ubah", args=[measurement.pk])).status_code == 404
    assert client.post(reverse("balita:pengukuran_hapus", args=[measurement.pk]), {"alasan": "bukan wilayah"}).status_code == 404
    with pytest.raises(services.BalitaError):
        services.delete_measurement(measurement, "bukan wilayah saya", users["wilayah"])
    assert Pengukuran.objects.filter(pk=measurement.pk).exists()


def test_child_page_offers_correction_links_to_editors_only(client_for, users, child):
    url = reverse("balita:anak_detail", args=[child.pk])
    assert "Koreksi</a>" in client_for(users["operator"]).get(url).content.decode()
    form = client_for(users["operator"]).get(reverse("balita:pengukuran_ubah", args=[january(child).pk])).content.decode()
    assert 'value="70,0"' in form and 'value="10,80"' in form  # prefilled the Indonesian way
    assert "Koreksi</a>" not in client_for(users["pimpinan"]).get(url).content.decode()
