"""Cases open and close from measurements alone: children scripted through every derived outcome
with balita's real services (form entry and import), checked against the dates and values the
test itself chose."""

import datetime
import io

import pandas as pd
import pytest
from django.core.management import call_command
from django.db import connection, transaction

from balita import services as balita_services
from balita.importers import reading
from balita.models import Pengukuran
from kasus import derive, rules, selectors, services
from kasus.models import Hasil, Kasus
from tests.balita.conftest import make_anak, measure, row
from tests.kasus.helpers import measure_z, stunted_child
from tpps.roles import SYSTEM

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_stunted_measurement_opens_one_case_showing_its_measurement(users):
    anak, kasus = stunted_child(months=[D(2025, 3, 5)])
    opening = Pengukuran.objects.get(anak=anak, tanggal=D(2025, 3, 5))
    assert kasus.pengukuran_buka == opening and kasus.tanggal_buka == D(2025, 3, 5)
    assert kasus.z_buka == opening.zs_tbu and kasus.kategori_buka == opening.kategori_tbu
    measure_z(anak, D(2025, 4, 5), tbu=-2.7)
    assert Kasus.objects.filter(anak=anak).count() == 1  # still one open case per child and problem
    kasus.refresh_from_db()
    assert kasus.tanggal_ukur_terakhir == D(2025, 4, 5) and kasus.hasil == ""


def test_a_normal_child_opens_nothing(users):
    anak = make_anak(nama="Normal")
    measure_z(anak, D(2025, 3, 5), tbu=0.5)
    measure_z(anak, D(2025, 4, 5), tbu=0.4)
    assert not Kasus.objects.filter(anak=anak).exists()


def test_two_consecutive_measurements_above_minus_two_close_it_as_recovered(users):
    anak, kasus = stunted_child(months=[D(2025, 1, 5)])
    measure_z(anak, D(2025, 2, 5), tbu=-1.8)
    measure_z(anak, D(2025, 3, 5), tbu=-2.3)  # not yet: the run is broken
    measure_z(anak, D(2025, 4, 5), tbu=-1.9)
    kasus.refresh_from_db()
    assert kasus.hasil == ""
    measure_z(anak, D(2025, 5, 5), tbu=-1.7)
    kasus.refresh_from_db()
    assert (kasus.hasil, kasus.tanggal_tutup) == (Hasil.SEMBUH, D(2025, 5, 5))
    assert kasus.perkembangan == "membaik"


def test_stunted_again_after_recovery_is_a_new_case_and_a_deleted_measurement_reopens(users):
    anak, first = stunted_child(months=[D(2025, 1, 5)])
    measure_z(anak, D(2025, 2, 5), tbu=-1.5)
    closing = measure_z(anak, D(2025, 3, 5), tbu=-1.5)
    first.refresh_from_db()
    assert first.hasil == Hasil.SEMBUH
    measure_z(anak, D(2025, 6, 5), tbu=-2.4)
    second = Kasus.objects.get(anak=anak, hasil="")
    assert second.tanggal_buka == D(2025, 6, 5) and second.pk != first.pk
    # The later case exists: deleting the first's closing measurement does not reopen it.
    balita_services.delete_measurement(closing, "salah input anak lain", SYSTEM)
    first.refresh_from_db()
    assert (first.hasil, first.tanggal_tutup) == (Hasil.SEMBUH, D(2025, 3, 5))


def test_deleting_the_closing_measurement_reopens_the_latest_case(users):
    anak, kasus = stunted_child(months=[D(2025, 1, 5)])
    measure_z(anak, D(2025, 2, 5), tbu=-1.5)
    closing = measure_z(anak, D(2025, 3, 5), tbu=-1.5)
    kasus.refresh_from_db()
    assert kasus.hasil == Hasil.SEMBUH
    balita_services.delete_measurement(closing, "pengukuran ganda", SYSTEM)
    kasus.refresh_from_db()
    assert (kasus.hasil, kasus.tanggal_tutup, kasus.tanggal_ukur_terakhir) == ("", None, D(2025, 2, 5))


def test_a_corrected_opening_measurement_removes_an_untouched_case(users):
    anak, kasus = stunted_child(months=[D(2025, 3, 5)])
    opening = Pengukuran.objects.get(anak=anak)
    berat, tinggi = opening.berat, opening.tinggi + 8
    balita_services.correct_measurement(opening, balita_services.MeasurementInput(
        tanggal=opening.tanggal, berat=berat, tinggi=tinggi, cara_ukur=opening.cara_ukur), "salah ketik tinggi", SYSTEM)
    assert not Kasus.objects.filter(pk=kasus.pk).exists()


def test_progress_words_follow_the_documented_threshold(users):
    anak, kasus = stunted_child(months=[D(2025, 1, 5)], tbu=-2.6)
    measure_z(anak, D(2025, 2, 5), tbu=-2.6 - rules.PERUBAHAN_BERARTI - 0.1)
    kasus.refresh_from_db()
    assert kasus.perkembangan == "memburuk"
    measure_z(anak, D(2025, 3, 5), tbu=-2.5)
    kasus.refresh_from_db()
    assert kasus.perkembangan == "tetap"
    measure_z(anak, D(2025, 4, 5), tbu=-2.6 + rules.PERUBAHAN_BERARTI + 0.1)
    kasus.refresh_from_db()
    assert kasus.perkembangan == "membaik" and kasus.hasil == ""


def test_wasting_and_severe_underweight_open_their_own_cases(users):
    anak = make_anak(nama="Kurus")
    measure_z(anak, D(2025, 3, 5), tbu=0, bbtb=-2.5)
    assert Kasus.objects.filter(anak=anak).values_list("masalah", flat=True).get() == "gizi_kurang"
    heavy_short = make_anak(nama="Sangat kurang")
    measure(heavy_short, D(2025, 3, 5), berat=6.0)  # 14 months, 6 kg: BB/U < -3
    assert Pengukuran.objects.get(anak=heavy_short).kategori_bbu == "sangat_kurang"
    assert set(Kasus.objects.filter(anak=heavy_short).values_list("masalah", flat=True)) == {"bb_sangat_kurang"}


def test_weight_not_rising_twice_opens_2t_and_rising_twice_closes_it(users):
    anak = make_anak(nama="Dua T")
    for month, berat in ((1, 9.0), (2, 9.0), (3, 9.05)):
        measure(anak, D(2025, month, 5), berat=berat)
    assert [p.naik_bb for p in Pengukuran.objects.filter(anak=anak).order_by("tanggal")] == ["", "T", "T"]
    kasus = Kasus.objects.get(anak=anak, masalah="2t")
    assert kasus.tanggal_buka == D(2025, 3, 5)
    measure(anak, D(2025, 4, 5), berat=9.5)
    measure(anak, D(2025, 5, 5), berat=10.0)
    kasus.refresh_from_db()
    assert (kasus.hasil, kasus.tanggal_tutup) == (Hasil.SEMBUH, D(2025, 5, 5))


def test_doctor_says_not_stunting_closes_without_recovery_and_no_new_stunting_case(users):
    anak, kasus = stunted_child(months=[D(2025, 1, 5)])
    services.record_step(kasus, tahap="diagnosis_dsa", tanggal=D(2025, 1, 20), hasil="bukan_stunting", user=users["admin"])
    kasus.refresh_from_db()
    assert (kasus.hasil, kasus.tanggal_tutup) == (Hasil.BUKAN_STUNTING, D(2025, 1, 20))
    measure_z(anak, D(2025, 2, 5), tbu=-2.5)
    assert Kasus.objects.filter(anak=anak).count() == 1


def test_moved_away_closes_and_a_later_measurement_here_opens_again_but_death_never(users):
    anak, kasus = stunted_child(months=[D(2025, 1, 5)])
    services.record_step(kasus, tahap="peristiwa", tanggal=D(2025, 2, 1), hasil="pindah", user=users["operator"])
    measure_z(anak, D(2025, 1, 25), tbu=-2.5)  # before the move: no new case
    assert Kasus.objects.filter(anak=anak).count() == 1
    measure_z(anak, D(2025, 8, 5), tbu=-2.5)
    reopened = Kasus.objects.get(anak=anak, hasil="")
    services.record_step(reopened, tahap="peristiwa", tanggal=D(2025, 8, 20), hasil="meninggal", user=users["operator"])
    measure(anak, D(2025, 9, 1), berat=5.0)  # a (mistaken) later measurement opens nothing
    assert not Kasus.objects.filter(anak=anak, hasil="").exists()


def test_lost_to_follow_up_and_over_five_are_read_at_a_date(users):
    anak, kasus = stunted_child(months=[D(2025, 3, 5)])
    state = lambda on: selectors.with_state(Kasus.objects.filter(pk=kasus.pk), on).get().keadaan  # noqa: E731
    assert state(D(2025, 3, 5) + datetime.timedelta(days=rules.lost_days())) == "terbuka"
    assert state(D(2025, 3, 6) + datetime.timedelta(days=rules.lost_days())) == "tidak_terukur"
    over_five = anak.tanggal_lahir + datetime.timedelta(days=rules.USIA_MAKS_HARI + 1)
    assert state(over_five) == "lewat_usia"


def test_an_import_opens_cases_and_refreshing_again_changes_nothing(users):
    rows = [row(**{"Tanggal Pengukuran": f"2025-0{m}-05", "Tinggi": 68.0, "Berat": 8.4}) for m in (1, 2)]
    with transaction.atomic():
        balita_services.write_sheet(reading.from_frame(pd.DataFrame(rows)), user=SYSTEM)
    kasus = Kasus.objects.get(anak__nama="Aisyah Putri", masalah="stunting")
    assert kasus.tanggal_buka == D(2025, 1, 5) and kasus.tanggal_ukur_terakhir == D(2025, 2, 5)
    with transaction.atomic():
        result = derive.refresh(None)
    assert (result["dibuka"], result["diubah"], result["dihapus"]) == (0, 0, 0)


def test_a_failing_case_refresh_never_blocks_a_measurement(users):
    anak = make_anak(nama="Tetap tersimpan")
    with connection.cursor() as cursor:
        cursor.execute("""CREATE FUNCTION kasus_uji_tolak() RETURNS trigger LANGUAGE plpgsql AS
                          $$ BEGIN RAISE EXCEPTION 'uji'; END $$;
                          CREATE TRIGGER kasus_uji_tolak BEFORE INSERT ON kasus_kasus
                          FOR EACH ROW EXECUTE FUNCTION kasus_uji_tolak()""")
    measure_z(anak, D(2025, 3, 5), tbu=-2.8)
    assert Pengukuran.objects.filter(anak=anak).count() == 1
    assert not Kasus.objects.filter(anak=anak).exists()


def test_merging_two_records_of_one_stunted_child_keeps_one_open_case_with_both_histories(users):
    keep, first = stunted_child(nama="Rafa Pratama", months=[D(2025, 2, 5)])
    twin_record, second = stunted_child(nama="Rafa Pratama", months=[D(2025, 3, 5)])
    services.record_step(second, tahap="periksa_puskesmas", tanggal=D(2025, 3, 9), hasil="terkonfirmasi", user=SYSTEM)
    services.record_intervention(second, jenis="konseling_gizi", opd=None, mulai=D(2025, 3, 9), user=SYSTEM)
    balita_services.merge_children(keep, twin_record, SYSTEM)
    case = Kasus.objects.get(anak=keep, masalah="stunting", hasil="")
    assert case.pk == first.pk and case.tanggal_buka == D(2025, 2, 5)
    assert case.langkah.count() == 1 and case.intervensi.count() == 1
    assert Kasus.objects.filter(anak=keep).count() == 1


def test_the_command_opens_cases_of_measurements_stored_behind_the_services_back(users):
    anak, kasus = stunted_child(months=[D(2025, 3, 5)])
    Kasus.objects.all().delete()  # as if the app had been installed after the measurements
    out = io.StringIO()
    call_command("perbarui_kasus", stdout=out)
    assert out.getvalue().startswith("opened=1 ")
    assert Kasus.objects.get(anak=anak).tanggal_buka == D(2025, 3, 5)
