"""Real objects for the laporan URLs in the permission walk."""

from laporan.models import PaketEvaluasi, SurveiPrevalensi
from tests.factories import kelurahan
from tests.url_samples import sample


@sample("laporan:kelurahan")
def kelurahan_page(users):
    return {"pk": kelurahan("Pesantren").pk}  # inside the wilayah user's area


@sample("laporan:ekspor_anak")
def children_export(users):
    return {"pk": kelurahan("Pesantren").pk, "fmt": "csv"}


@sample("laporan:ekspor")
def area_export(users):
    return {"tabel": "kelurahan", "fmt": "xlsx"}


@sample("laporan:peringkat_ekspor")
def ranking_export(users):
    return {"tabel": "riwayat", "fmt": "csv"}


def _pack(users):
    pack, _ = PaketEvaluasi.objects.get_or_create(tahun=2025, defaults={"dibuat_oleh": users["operator"]})
    return {"pk": pack.pk}


sample("laporan:paket_status")(_pack)
sample("laporan:paket_unduh")(_pack)


@sample("laporan:survei_hapus")
def _survei(users):
    return {"pk": SurveiPrevalensi.objects.order_by("pk").first().pk}


def _paragraph(users):
    return {"tahun": 2025, "kunci": "stunting"}


sample("laporan:narasi_simpan")(_paragraph)
sample("laporan:narasi_kembalikan")(_paragraph)
