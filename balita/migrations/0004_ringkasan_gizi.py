# The nutrition figures' summary moves from laporan (RingkasanStatus) to balita, with posyandu
# detail and children counted where they are registered; filled from existing data here.

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    # Filled by 0008_children_quality_sums with the one SQL definition as the code has it now.
    pass


class Migration(migrations.Migration):

    dependencies = [
        ('balita', '0003_job_fields'),
        ('tpps', '0002_wilayah_kota_kediri'),
    ]

    operations = [
        migrations.CreateModel(
            name='RingkasanGizi',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('jenis', models.CharField(max_length=10)),
                ('tahun', models.PositiveSmallIntegerField()),
                ('nomor', models.PositiveSmallIntegerField(help_text='bulan 1–12, triwulan 1–4, semester 1–2, tahun 1')),
                ('sasaran', models.PositiveIntegerField(default=0)),
                ('diukur', models.PositiveIntegerField(default=0)),
                ('tbu_valid', models.PositiveIntegerField(default=0)),
                ('stunting', models.PositiveIntegerField(default=0)),
                ('sangat_pendek', models.PositiveIntegerField(default=0)),
                ('bbu_valid', models.PositiveIntegerField(default=0)),
                ('underweight', models.PositiveIntegerField(default=0)),
                ('bbtb_valid', models.PositiveIntegerField(default=0)),
                ('wasting', models.PositiveIntegerField(default=0)),
                ('kelurahan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tpps.kelurahan')),
                ('posyandu', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tpps.posyandu')),
            ],
            options={
                'verbose_name': 'ringkasan status gizi',
                'verbose_name_plural': 'ringkasan status gizi',
                'constraints': [models.UniqueConstraint(fields=('tahun', 'jenis', 'nomor', 'kelurahan', 'posyandu'), name='ringkasan_gizi_unik', nulls_distinct=False)],
            },
        ),
        migrations.AddIndex(
            model_name='pengukuran',
            index=models.Index(condition=models.Q(('flag_tbu', False), ('kategori_tbu__in', ('sangat_pendek', 'pendek')), ('zs_tbu__isnull', False)), fields=['tanggal', 'anak'], name='pengukuran_stunting_idx'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
