"""Evaluation packs become background jobs with the shared state words and fields of tpps.jobs.Pekerjaan."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('laporan', '0002_kab_kota_jawa_timur'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='paketevaluasi',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='paketevaluasi',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='paketevaluasi',
            name='delete_delete',
        ),
        migrations.AddField(
            model_name='paketevaluasi',
            name='mulai',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='paketevaluasievent',
            name='mulai',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='paketevaluasi',
            name='langkah',
            field=models.CharField(blank=True, help_text='langkah yang sedang dikerjakan', max_length=120),
        ),
        migrations.AlterField(
            model_name='paketevaluasi',
            name='pesan_galat',
            field=models.TextField(blank=True, help_text='Alasan bila pekerjaan gagal.', verbose_name='pesan galat'),
        ),
        migrations.AlterField(
            model_name='paketevaluasi',
            name='progres',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='progres (%)'),
        ),
        migrations.AlterField(
            model_name='paketevaluasi',
            name='status',
            field=models.CharField(choices=[('antre', 'Menunggu giliran'), ('berjalan', 'Sedang dikerjakan'), ('menunggu', 'Menunggu keputusan'), ('selesai', 'Selesai'), ('dibatalkan', 'Dibatalkan'), ('gagal', 'Gagal')], default='antre', max_length=12),
        ),
        migrations.AlterField(
            model_name='paketevaluasievent',
            name='pesan_galat',
            field=models.TextField(blank=True, help_text='Alasan bila pekerjaan gagal.', verbose_name='pesan galat'),
        ),
        migrations.AlterField(
            model_name='paketevaluasievent',
            name='status',
            field=models.CharField(choices=[('antre', 'Menunggu giliran'), ('berjalan', 'Sedang dikerjakan'), ('menunggu', 'Menunggu keputusan'), ('selesai', 'Selesai'), ('dibatalkan', 'Dibatalkan'), ('gagal', 'Gagal')], default='antre', max_length=12),
        ),
        # "proses" becomes the shared word "berjalan" (tpps.jobs.StatusPekerjaan), audit rows too.
        migrations.RunSQL(
            [f"UPDATE {table} SET status = 'berjalan' WHERE status = 'proses'"
             for table in ("laporan_paketevaluasi", "laporan_paketevaluasievent")],
            [f"UPDATE {table} SET status = 'proses' WHERE status = 'berjalan'"
             for table in ("laporan_paketevaluasi", "laporan_paketevaluasievent")],
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='paketevaluasi',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "laporan_paketevaluasievent" ("berkas", "dibuat", "dibuat_oleh_id", "durasi_detik", "halaman", "id", "mulai", "pesan_galat", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "selesai", "status", "tahun", "task_id", "ukuran") VALUES (NEW."berkas", NEW."dibuat", NEW."dibuat_oleh_id", NEW."durasi_detik", NEW."halaman", NEW."id", NEW."mulai", NEW."pesan_galat", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."selesai", NEW."status", NEW."tahun", NEW."task_id", NEW."ukuran"); RETURN NULL;', hash='070c7152d8abe5ff1cbf67998b7bc3f28e1f6051', operation='INSERT', pgid='pgtrigger_insert_insert_bde60', table='laporan_paketevaluasi', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='paketevaluasi',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."berkas" IS DISTINCT FROM (NEW."berkas") OR OLD."dibuat" IS DISTINCT FROM (NEW."dibuat") OR OLD."dibuat_oleh_id" IS DISTINCT FROM (NEW."dibuat_oleh_id") OR OLD."durasi_detik" IS DISTINCT FROM (NEW."durasi_detik") OR OLD."halaman" IS DISTINCT FROM (NEW."halaman") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."mulai" IS DISTINCT FROM (NEW."mulai") OR OLD."pesan_galat" IS DISTINCT FROM (NEW."pesan_galat") OR OLD."selesai" IS DISTINCT FROM (NEW."selesai") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."tahun" IS DISTINCT FROM (NEW."tahun") OR OLD."task_id" IS DISTINCT FROM (NEW."task_id") OR OLD."ukuran" IS DISTINCT FROM (NEW."ukuran"))', func='INSERT INTO "laporan_paketevaluasievent" ("berkas", "dibuat", "dibuat_oleh_id", "durasi_detik", "halaman", "id", "mulai", "pesan_galat", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "selesai", "status", "tahun", "task_id", "ukuran") VALUES (NEW."berkas", NEW."dibuat", NEW."dibuat_oleh_id", NEW."durasi_detik", NEW."halaman", NEW."id", NEW."mulai", NEW."pesan_galat", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."selesai", NEW."status", NEW."tahun", NEW."task_id", NEW."ukuran"); RETURN NULL;', hash='2dec2ca5acb226810acee8f08b8591f1572f3eda', operation='UPDATE', pgid='pgtrigger_update_update_14aac', table='laporan_paketevaluasi', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='paketevaluasi',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "laporan_paketevaluasievent" ("berkas", "dibuat", "dibuat_oleh_id", "durasi_detik", "halaman", "id", "mulai", "pesan_galat", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "selesai", "status", "tahun", "task_id", "ukuran") VALUES (OLD."berkas", OLD."dibuat", OLD."dibuat_oleh_id", OLD."durasi_detik", OLD."halaman", OLD."id", OLD."mulai", OLD."pesan_galat", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."selesai", OLD."status", OLD."tahun", OLD."task_id", OLD."ukuran"); RETURN NULL;', hash='dc6fb2ef78f4d16f5e913fc667b898e4e0871a25', operation='DELETE', pgid='pgtrigger_delete_delete_bee99', table='laporan_paketevaluasi', when='AFTER')),
        ),
    ]
