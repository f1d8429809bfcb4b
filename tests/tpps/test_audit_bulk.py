"""A first load audited in bulk (tpps.audit.first_load_recorded_in_bulk): every row gets exactly the
insert event its trigger would have written, with its final values, and the triggers are back on
afterwards (also after an error)."""

import datetime

import pytest
from django.db import connection, transaction

from balita import bulk
from balita.models import Anak, Pengukuran
from tests.factories import kelurahan
from tpps import audit
from tpps.models import JejakAudit


def events(model):
    return next(m for m in audit.event_models() if m.pgh_tracked_model is model).objects


def insert_events(model):
    return events(model).filter(pgh_label="insert")


def enabled_triggers(model) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal AND tgenabled <> 'D'",
                       [model._meta.db_table])
        return {name for (name,) in cursor.fetchall()}


def test_one_insert_event_per_row_with_final_values_and_triggers_back_on(db):
    betet = kelurahan("Betet")
    before = enabled_triggers(Pengukuran)
    with transaction.atomic(), audit.first_load_recorded_in_bulk(Anak, Pengukuran):
        children = Anak.objects.bulk_create(
            Anak(nama=f"Anak {i}", jenis_kelamin="L", tanggal_lahir=datetime.date(2024, 1, 1), kelurahan=betet)
            for i in range(3))
        for month in (1, 2):
            Pengukuran.objects.bulk_create(
                Pengukuran(anak=c, tanggal=datetime.date(2025, month, 5), berat=7 + month * 0.5, kelurahan=betet,
                           umur_hari=339 + 31 * month, umur_bulan=11 + month)
                for c in children)
        assert not insert_events(Pengukuran).exists()  # the row triggers are off inside
        bulk.refresh_weight_trend()  # an UPDATE inside the block: no update event of its own
    inserted = insert_events(Pengukuran)
    assert inserted.count() == 6 and not events(Pengukuran).exclude(pgh_label="insert").exists()
    assert sorted(inserted.values_list("pgh_obj_id", flat=True)) == sorted(Pengukuran.objects.values_list("id", flat=True))
    february = inserted.get(pgh_obj_id=Pengukuran.objects.get(anak=children[0], tanggal__month=2).id)
    assert february.naik_bb == "N" and float(february.berat) == 8.0
    assert insert_events(Anak).count() == 3
    # The JejakAudit trigger indexed them as ever.
    assert JejakAudit.objects.filter(model="balita.Pengukuran", aksi="tambah").count() == 6
    # Back to normal: a later change writes its own event.
    assert enabled_triggers(Pengukuran) == before
    Pengukuran.objects.filter(anak=children[0]).update(tinggi=70)
    assert events(Pengukuran).filter(pgh_label="update").count() == 2


def test_refuses_a_table_with_rows_and_an_error_rolls_everything_back(db):
    betet = kelurahan("Betet")
    before = enabled_triggers(Anak)
    with pytest.raises(ZeroDivisionError), transaction.atomic(), audit.first_load_recorded_in_bulk(Anak):
        Anak.objects.create(nama="Anak", jenis_kelamin="P", tanggal_lahir=datetime.date(2024, 1, 1), kelurahan=betet)
        1 / 0
    assert not Anak.objects.exists() and enabled_triggers(Anak) == before
    Anak.objects.create(nama="Ada", jenis_kelamin="P", tanggal_lahir=datetime.date(2024, 1, 1), kelurahan=betet)
    assert insert_events(Anak).count() == 1  # the ordinary trigger wrote it
    with pytest.raises(RuntimeError, match="not empty"), transaction.atomic(), audit.first_load_recorded_in_bulk(Anak):
        pass
