"""The catalogue's two pregnant-women indicators (Perpres 72/2021) are computed from ibuhamil's
data whenever the period has it (konvergensi.selectors.computed_figures); without data the OPD's
typed capaian stays, as for prevalence."""

from django.db import migrations

COMPUTED = {"bumil-kek-gizi": "bumil_kek_pmt", "bumil-ttd": "bumil_ttd90"}


def forward(apps, schema_editor):
    Indikator = apps.get_model("konvergensi", "Indikator")
    for kode, cara in COMPUTED.items():
        Indikator.objects.filter(kode=kode, hitung_otomatis="").update(hitung_otomatis=cara)


def backward(apps, schema_editor):
    Indikator = apps.get_model("konvergensi", "Indikator")
    for kode, cara in COMPUTED.items():
        Indikator.objects.filter(kode=kode, hitung_otomatis=cara).update(hitung_otomatis="")


class Migration(migrations.Migration):
    dependencies = [("konvergensi", "0003_hitung_ibu_hamil")]

    operations = [migrations.RunPython(forward, backward)]
