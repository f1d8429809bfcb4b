"""Real objects for the sasaran URL patterns in the permission walk (tests/test_url_walk.py): an
import of catin uploaded by the city's operator, in preview."""

from sasaran import services
from sasaran.importers import template
from sasaran.models import ImporSasaran
from tests.sasaran.helpers import xlsx_upload
from tests.url_samples import sample


def _batch(users):
    headers, rows = template("catin")
    existing = ImporSasaran.objects.filter(nama_berkas="contoh-walk.xlsx").first()
    return existing or services.upload("catin", xlsx_upload(headers, rows, name="contoh-walk.xlsx"), users["operator"])


@sample("sasaran:impor")
@sample("sasaran:templat")
def jenis(users):
    return {"jenis": "catin"}


@sample("sasaran:impor_detail")
@sample("sasaran:impor_simpan")
@sample("sasaran:impor_batal")
def batch(users):
    return {"pk": _batch(users).pk}
