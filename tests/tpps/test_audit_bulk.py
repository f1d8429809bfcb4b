"""A first load audited in bulk (tpps.audit.first_load_recorded_in_bulk): every row gets exactly the
insert event its trigger would have written, with its final values, and the triggers are back on
afterwards (also after an error)."""

import datetime

import pytest
from django.db import connection, transaction

from balita import bulk, services
from balita.models import Anak, Pengukuran
from tests.balita.conftest import eppgbm_file, make_anak, measure, row  # noqa: F401 (eppgbm_file: fixture)
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


# --- An import into tables that already hold rows: tpps.audit.inserts_recorded_in_bulk -----------

def _event_values(event, skip=("pgh_id", "pgh_obj", "pgh_obj_id", "pgh_created_at", "pgh_context", "pgh_context_id", "id", "nik", "nama")):
    return {f.attname: getattr(event, f.attname) for f in event._meta.concrete_fields if f.attname not in skip}


def test_an_import_writes_one_insert_event_per_new_row_like_the_trigger_and_none_for_old_rows(db, eppgbm_file, users):
    old = make_anak("Pesantren", nama="Lama Sekali", nik="3571034101230009")
    measure(old, datetime.date(2025, 1, 5), berat=9, tinggi=75)
    old_events = {m: events(m).count() for m in (Anak, Pengukuran)}
    path = eppgbm_file([
        row(NIK="3571034101240001", Nama="Aisyah Putri", **{"Tanggal Pengukuran": "2025-01-05", "Berat": 8.9}),
        row(NIK="3571034101240001", Nama="Aisyah Putri", **{"Tanggal Pengukuran": "2025-02-05", "Berat": 9.3}),
        row(NIK="3571034101240002", Nama="Bayu Saputra", JK="L", **{"Tanggal Pengukuran": "2025-02-05", "Berat": 9.8}),
    ])
    batch, _ = services.import_file(path, user=users["operator"])
    assert batch.status == batch.Status.SELESAI, batch.summary_line()
    new_children = Anak.objects.exclude(pk=old.pk)
    new_measurements = Pengukuran.objects.exclude(anak=old)
    assert new_children.count() == 2 and new_measurements.count() == 3
    # Exactly one insert event per new row, none more for the old rows.
    for model, rows in ((Anak, new_children), (Pengukuran, new_measurements)):
        inserted = insert_events(model).filter(pgh_obj_id__in=rows.values("id"))
        assert sorted(inserted.values_list("pgh_obj_id", flat=True)) == sorted(rows.values_list("id", flat=True))
        assert events(model).count() - old_events[model] == rows.count() + events(model).filter(
            pgh_label="update", pgh_obj_id__in=rows.values("id")).count()
        # Attributed as the trigger would: the import's context with its batch and the uploader.
        for event in inserted:
            assert event.pgh_context.metadata["peristiwa"] == "impor_eppgbm"
            assert event.pgh_context.metadata["batch"] == batch.pk
        assert JejakAudit.objects.filter(model=model._meta.label, aksi="tambah",
                                         objek__in=[str(i) for i in rows.values_list("id", flat=True)]).count() == rows.count()
    # The values are the row's as written (a later update in the import has its own event).
    february = new_measurements.get(anak__nik="3571034101240001", tanggal=datetime.date(2025, 2, 5))
    event = insert_events(Pengukuran).get(pgh_obj_id=february.pk)
    assert float(event.berat) == 9.3 and float(event.zs_bbu) == float(february.zs_bbu) and event.batch_id == batch.pk
    # The same columns as an event the row trigger writes (the old child's measurement).
    by_trigger = insert_events(Pengukuran).get(pgh_obj_id=Pengukuran.objects.get(anak=old).pk)
    assert set(_event_values(event)) == set(_event_values(by_trigger))
    assert by_trigger.pgh_context.metadata.get("peristiwa") != "impor_eppgbm"


def test_the_row_trigger_is_silent_only_inside_the_block(db):
    betet = kelurahan("Betet")
    with transaction.atomic():
        with audit.inserts_recorded_in_bulk(Anak, []):
            inside = Anak.objects.create(nama="Di dalam", jenis_kelamin="P", tanggal_lahir=datetime.date(2024, 1, 1), kelurahan=betet)
        # Not named to the block: no event at all, which is why every bulk writer names its ids.
        assert not insert_events(Anak).filter(pgh_obj_id=inside.pk).exists()
        after = Anak.objects.create(nama="Sesudah", jenis_kelamin="P", tanggal_lahir=datetime.date(2024, 1, 1), kelurahan=betet)
        assert insert_events(Anak).filter(pgh_obj_id=after.pk).count() == 1
        # An error inside a savepoint puts the trigger back too.
        with pytest.raises(ZeroDivisionError), transaction.atomic(), audit.inserts_recorded_in_bulk(Anak, []):
            1 / 0
        again = Anak.objects.create(nama="Lagi", jenis_kelamin="P", tanggal_lahir=datetime.date(2024, 1, 1), kelurahan=betet)
        assert insert_events(Anak).filter(pgh_obj_id=again.pk).count() == 1
