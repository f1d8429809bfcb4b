"""Writes of ibu hamil: derived values, refusals in Indonesian, the newborn linked to or created in
balita through balita's service, and identity conflicts held for a person's decision."""

import datetime
from decimal import Decimal

import pytest

from balita.models import Anak
from ibuhamil import services
from ibuhamil.models import Kehamilan, Tautan
from tests.balita.conftest import make_anak
from tests.ibuhamil.helpers import birth, make_kehamilan, visit
from tpps.errors import UserError
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db
HPHT = datetime.date(2025, 1, 10)


def test_derived_values_follow_the_visits():
    k = make_kehamilan(tanggal_lahir=datetime.date(2007, 3, 1), hpht=HPHT, jumlah_persalinan=4,
                       persalinan_terakhir=datetime.date(2024, 1, 5))
    assert k.hpl == datetime.date(2025, 10, 17) and k.akhir == datetime.date(2025, 10, 31)
    assert k.risiko == ["muda", "dekat", "banyak"] and k.kek is None and k.anemia is None
    first = visit(k, datetime.date(2025, 3, 1), lila=23.4, hb=11.5, ttd=30)
    assert first.ke == 1 and first.trimester == 1
    visit(k, datetime.date(2025, 5, 1), lila=24.0, hb=10.9, ttd=70)
    k.refresh_from_db()
    # KEK from the first LiLA, anaemia from any Hb, TTD the cumulative count, two visits.
    assert (k.kek, k.anemia, k.ttd, k.kunjungan) == (True, True, 70, 2)


def test_refusals_name_the_field_in_indonesian():
    k = make_kehamilan(hpht=HPHT)
    with pytest.raises(UserError) as error:
        visit(k, datetime.date(2025, 1, 1))
    assert error.value.field == "tanggal" and "sebelum HPHT" in error.value.message
    visit(k, datetime.date(2025, 3, 1), ttd=60)
    with pytest.raises(UserError) as error:
        visit(k, datetime.date(2025, 4, 1), ttd=40)
    assert error.value.field == "ttd_kumulatif" and "tidak boleh turun" in error.value.message
    with pytest.raises(UserError) as error:
        services.record_pmt(k, mulai=datetime.date(2025, 3, 5), user=SYSTEM)
    assert "KEK" in error.value.message
    with pytest.raises(UserError) as error:
        make_kehamilan(hpht=HPHT)  # the same mother and HPHT
    assert "sudah tercatat" in error.value.message
    assert Kehamilan.objects.count() == 1


def test_pmt_course_defaults_to_120_days_for_kek():
    k = make_kehamilan(hpht=HPHT)
    visit(k, datetime.date(2025, 3, 1), lila=22)
    course = services.record_pmt(k, mulai=datetime.date(2025, 3, 5), user=SYSTEM)
    assert course.lama_hari == 120 and course.selesai == datetime.date(2025, 7, 2)


def test_a_bblr_birth_creates_the_child_in_balita():
    k = make_kehamilan(nama="Dewi Lestari", nik="3571024105950002", hpht=HPHT)
    k = birth(k, datetime.date(2025, 10, 12), berat=2450, panjang=47.5, sex="L", nama="Bima Saputra")
    child = Anak.objects.get(pk=k.anak_id)
    assert k.tautan == Tautan.TERTAUT and k.bblr and k.pblr
    assert (child.nama, child.jenis_kelamin, child.tanggal_lahir) == ("Bima Saputra", "L", datetime.date(2025, 10, 12))
    assert child.berat_lahir == Decimal("2.45") and child.panjang_lahir == Decimal("47.5")
    assert child.nama_ibu == "Dewi Lestari" and child.nik_ibu == "3571024105950002"
    assert child.kelurahan_id == k.kelurahan_id


def test_a_birth_links_the_child_already_in_balita_and_fills_only_empty_fields():
    existing = make_anak("Pesantren", nama="Raka", jenis_kelamin="L", tanggal_lahir=datetime.date(2025, 10, 12),
                         nama_ibu="Dewi Lestari", nama_ayah="Budi")
    k = birth(make_kehamilan(nama="Dewi Lestari", hpht=HPHT), datetime.date(2025, 10, 12), berat=3000, sex="L")
    existing.refresh_from_db()
    assert k.anak_id == existing.pk and Anak.objects.count() == 1
    assert existing.berat_lahir == Decimal("3.00") and existing.nama == "Raka" and existing.nama_ayah == "Budi"


def test_a_conflicting_child_is_held_for_review_never_rewritten():
    existing = make_anak("Pesantren", nama="Raka", jenis_kelamin="L", tanggal_lahir=datetime.date(2025, 10, 12),
                         nama_ibu="Dewi Lestari", berat_lahir=Decimal("3.20"))
    k = birth(make_kehamilan(nama="Dewi Lestari", hpht=HPHT), datetime.date(2025, 10, 12), berat=2400, sex="L")
    existing.refresh_from_db()
    assert k.tautan == Tautan.TINJAU and k.anak_id is None and "berat lahir" in k.catatan_tautan
    assert existing.berat_lahir == Decimal("3.20") and Anak.objects.count() == 1
    # A person decides: the same child (nothing overwritten), or a new one.
    with pytest.raises(UserError):
        services.decide_newborn(k, "sama", SYSTEM, anak_id=None)
    k = services.decide_newborn(k, "baru", SYSTEM)
    assert k.tautan == Tautan.TERTAUT and Anak.objects.count() == 2 and k.anak_id != existing.pk


def test_a_nik_of_another_child_goes_to_review():
    other = make_anak("Betet", nama="Anak Lain", nik="3571010101200001", jenis_kelamin="P",
                      tanggal_lahir=datetime.date(2020, 1, 1))
    k = birth(make_kehamilan(hpht=HPHT), datetime.date(2025, 10, 12), sex="L", nik="3571010101200001")
    assert k.tautan == Tautan.TINJAU and Anak.objects.count() == 1
    other.refresh_from_db()
    assert other.tanggal_lahir == datetime.date(2020, 1, 1)


def test_a_still_birth_creates_no_child():
    k = birth(make_kehamilan(hpht=HPHT), datetime.date(2025, 10, 12), keadaan="mati", berat=2000, sex="P")
    assert k.tautan == Tautan.TIDAK and not Anak.objects.exists()
