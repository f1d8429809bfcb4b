"""Import batches become background jobs with the shared state words and fields of tpps.jobs.Pekerjaan."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('balita', '0002_import_batches'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='imporbatch',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='imporbatch',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='imporbatch',
            name='delete_delete',
        ),
        # Renames run with the audit triggers removed (they name the old columns).
        migrations.RenameField("imporbatch", "kemajuan", "progres"),
        migrations.RenameField("imporbatch", "tahap", "langkah"),
        migrations.RenameField("imporbatch", "pesan", "pesan_galat"),
        migrations.RenameField("imporbatchevent", "pesan", "pesan_galat"),
        migrations.AddField(
            model_name='imporbatch',
            name='diperiksa',
            field=models.DateTimeField(blank=True, null=True, verbose_name='selesai diperiksa'),
        ),
        migrations.AddField(
            model_name='imporbatch',
            name='mulai',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='imporbatchevent',
            name='diperiksa',
            field=models.DateTimeField(blank=True, null=True, verbose_name='selesai diperiksa'),
        ),
        migrations.AddField(
            model_name='imporbatchevent',
            name='mulai',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='imporbatch',
            name='langkah',
            field=models.CharField(blank=True, help_text='langkah yang sedang dikerjakan', max_length=120),
        ),
        migrations.AlterField(
            model_name='imporbatch',
            name='pesan_galat',
            field=models.TextField(blank=True, help_text='Alasan bila pekerjaan gagal.', verbose_name='pesan galat'),
        ),
        migrations.AlterField(
            model_name='imporbatch',
            name='progres',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='progres (%)'),
        ),
        migrations.AlterField(
            model_name='imporbatch',
            name='status',
            field=models.CharField(choices=[('antre', 'Menunggu giliran'), ('berjalan', 'Sedang dikerjakan'), ('menunggu', 'Menunggu keputusan'), ('selesai', 'Selesai'), ('dibatalkan', 'Dibatalkan'), ('gagal', 'Gagal')], default='antre', max_length=12),
        ),
        migrations.AlterField(
            model_name='imporbatchevent',
            name='pesan_galat',
            field=models.TextField(blank=True, help_text='Alasan bila pekerjaan gagal.', verbose_name='pesan galat'),
        ),
        migrations.AlterField(
            model_name='imporbatchevent',
            name='status',
            field=models.CharField(choices=[('antre', 'Menunggu giliran'), ('berjalan', 'Sedang dikerjakan'), ('menunggu', 'Menunggu keputusan'), ('selesai', 'Selesai'), ('dibatalkan', 'Dibatalkan'), ('gagal', 'Gagal')], default='antre', max_length=12),
        ),
        # The import's own state words become the shared job words (tpps.jobs.StatusPekerjaan);
        # a batch past its check keeps that fact in `diperiksa`. Audit rows are renamed too, so the
        # history speaks the same words.
        migrations.RunSQL(
            [f"""
            UPDATE {table} SET diperiksa = dibuat
             WHERE status IN ('pratinjau', 'antri', 'mengimpor', 'selesai', 'dibatalkan');
            UPDATE {table} SET status = CASE status
                WHEN 'diperiksa' THEN 'antre' WHEN 'antri' THEN 'antre'
                WHEN 'pratinjau' THEN 'menunggu' WHEN 'mengimpor' THEN 'berjalan' ELSE status END;
            """ for table in ("balita_imporbatch", "balita_imporbatchevent")],
            [f"""
            UPDATE {table} SET status = CASE
                WHEN status = 'menunggu' THEN 'pratinjau'
                WHEN status IN ('antre', 'berjalan') AND diperiksa IS NULL THEN 'diperiksa'
                WHEN status = 'antre' THEN 'antri'
                WHEN status = 'berjalan' THEN 'mengimpor' ELSE status END;
            """ for table in ("balita_imporbatch", "balita_imporbatchevent")],
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='imporbatch',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "balita_imporbatchevent" ("anak_baru", "anak_cocok", "baris", "baris_flag", "baris_galat", "berkas", "dibuat", "diperiksa", "diunggah_oleh_id", "durasi_detik", "id", "mulai", "nama_berkas", "pengukuran_baru", "pengukuran_diubah", "pesan_galat", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "posyandu_baru", "selesai", "status") VALUES (NEW."anak_baru", NEW."anak_cocok", NEW."baris", NEW."baris_flag", NEW."baris_galat", NEW."berkas", NEW."dibuat", NEW."diperiksa", NEW."diunggah_oleh_id", NEW."durasi_detik", NEW."id", NEW."mulai", NEW."nama_berkas", NEW."pengukuran_baru", NEW."pengukuran_diubah", NEW."pesan_galat", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."posyandu_baru", NEW."selesai", NEW."status"); RETURN NULL;', hash='6b7495b2dc6d9c751c9c6f432c958f994f99a7b9', operation='INSERT', pgid='pgtrigger_insert_insert_88b41', table='balita_imporbatch', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='imporbatch',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."anak_baru" IS DISTINCT FROM (NEW."anak_baru") OR OLD."anak_cocok" IS DISTINCT FROM (NEW."anak_cocok") OR OLD."baris" IS DISTINCT FROM (NEW."baris") OR OLD."baris_flag" IS DISTINCT FROM (NEW."baris_flag") OR OLD."baris_galat" IS DISTINCT FROM (NEW."baris_galat") OR OLD."berkas" IS DISTINCT FROM (NEW."berkas") OR OLD."dibuat" IS DISTINCT FROM (NEW."dibuat") OR OLD."diperiksa" IS DISTINCT FROM (NEW."diperiksa") OR OLD."diunggah_oleh_id" IS DISTINCT FROM (NEW."diunggah_oleh_id") OR OLD."durasi_detik" IS DISTINCT FROM (NEW."durasi_detik") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."mulai" IS DISTINCT FROM (NEW."mulai") OR OLD."nama_berkas" IS DISTINCT FROM (NEW."nama_berkas") OR OLD."pengukuran_baru" IS DISTINCT FROM (NEW."pengukuran_baru") OR OLD."pengukuran_diubah" IS DISTINCT FROM (NEW."pengukuran_diubah") OR OLD."pesan_galat" IS DISTINCT FROM (NEW."pesan_galat") OR OLD."posyandu_baru" IS DISTINCT FROM (NEW."posyandu_baru") OR OLD."selesai" IS DISTINCT FROM (NEW."selesai") OR OLD."status" IS DISTINCT FROM (NEW."status"))', func='INSERT INTO "balita_imporbatchevent" ("anak_baru", "anak_cocok", "baris", "baris_flag", "baris_galat", "berkas", "dibuat", "diperiksa", "diunggah_oleh_id", "durasi_detik", "id", "mulai", "nama_berkas", "pengukuran_baru", "pengukuran_diubah", "pesan_galat", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "posyandu_baru", "selesai", "status") VALUES (NEW."anak_baru", NEW."anak_cocok", NEW."baris", NEW."baris_flag", NEW."baris_galat", NEW."berkas", NEW."dibuat", NEW."diperiksa", NEW."diunggah_oleh_id", NEW."durasi_detik", NEW."id", NEW."mulai", NEW."nama_berkas", NEW."pengukuran_baru", NEW."pengukuran_diubah", NEW."pesan_galat", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."posyandu_baru", NEW."selesai", NEW."status"); RETURN NULL;', hash='dfe3cac32a694d9284f6569c8dcb023862c71e35', operation='UPDATE', pgid='pgtrigger_update_update_a252a', table='balita_imporbatch', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='imporbatch',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "balita_imporbatchevent" ("anak_baru", "anak_cocok", "baris", "baris_flag", "baris_galat", "berkas", "dibuat", "diperiksa", "diunggah_oleh_id", "durasi_detik", "id", "mulai", "nama_berkas", "pengukuran_baru", "pengukuran_diubah", "pesan_galat", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "posyandu_baru", "selesai", "status") VALUES (OLD."anak_baru", OLD."anak_cocok", OLD."baris", OLD."baris_flag", OLD."baris_galat", OLD."berkas", OLD."dibuat", OLD."diperiksa", OLD."diunggah_oleh_id", OLD."durasi_detik", OLD."id", OLD."mulai", OLD."nama_berkas", OLD."pengukuran_baru", OLD."pengukuran_diubah", OLD."pesan_galat", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."posyandu_baru", OLD."selesai", OLD."status"); RETURN NULL;', hash='3ed38b425850a1924391537984de8a05199bc4c6', operation='DELETE', pgid='pgtrigger_delete_delete_1f57c', table='balita_imporbatch', when='AFTER')),
        ),
    ]
