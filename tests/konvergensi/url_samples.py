"""Real objects for the permission walk (tests/test_url_walk.py) over konvergensi's URLs."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from konvergensi import services
from konvergensi.models import AksiTahunan, Indikator, RembukStunting, RencanaKegiatan
from tests.konvergensi.files import pdf_bytes
from tests.url_samples import sample
from tpps.models import Opd
from tpps.roles import SYSTEM


def _action(nomor=3):
    return AksiTahunan.objects.get(tahun=2025, aksi__nomor=nomor)


@sample("konvergensi:aksi_detail")
@sample("konvergensi:aksi_ubah")
@sample("konvergensi:bukti_unggah")
def action_kwargs(users):
    return {"tahun": 2025, "nomor": 3}


@sample("konvergensi:tanggal_penilaian")
@sample("konvergensi:rembuk_simpan")
@sample("konvergensi:penandatangan_tambah")
def year_kwargs(users):
    return {"tahun": 2025}


@sample("konvergensi:penandatangan_hapus")
def signatory_kwargs(users):
    rembuk = RembukStunting.objects.get_or_create(tahun=2025, defaults={"tanggal": datetime.date(2025, 5, 14)})[0]
    return {"pk": services.add_signatory(rembuk, "Sri Rahayu", "Wali Kota Kediri", "wali_kota", user=SYSTEM).pk}


@sample("konvergensi:bukti_unduh")
@sample("konvergensi:bukti_hapus")
@sample("konvergensi:bukti_verifikasi")
def evidence_kwargs(users):
    bukti = services.upload_evidence(
        _action(7), SimpleUploadedFile("rekap.pdf", pdf_bytes()), judul="Rekap pengukuran", user=users["opd"],
        keluaran=_action(7).keluaran.first(),
    )
    return {"pk": bukti.pk}


@sample("konvergensi:capaian_baris")
@sample("konvergensi:capaian_isi")
def indicator_kwargs(users):
    return {"pk": Indikator.objects.get(kode="asi-eksklusif").pk, "tahun": 2025, "periode": "t1"}


@sample("konvergensi:paparan")
def paparan_kwargs(users):
    return {"kode": "dinkes"}


@sample("konvergensi:rencana_ubah")
@sample("konvergensi:rencana_hapus")
def kegiatan_kwargs(users):
    kegiatan = services.save_kegiatan(
        RencanaKegiatan(tahun=2025, opd=Opd.objects.get(kode="dinkes"), nama="PMT lokal", pagu=1_000_000, sasaran="ibu_hamil"), user=SYSTEM
    )
    return {"pk": kegiatan.pk}
