"""Fixtures for konvergensi tests: private media in a temporary folder, the years' actions,
and an OPD user for Bappeda next to the shared one-user-per-role fixture (Dinkes)."""

import pytest

from konvergensi.models import AksiTahunan
from tests.factories import make_user
from tpps.roles import Role


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def aksi(db):
    """aksi(nomor, tahun=2025) -> AksiTahunan (opened by the data migration)."""

    def get(nomor, tahun=2025):
        return AksiTahunan.objects.select_related("aksi").get(aksi__nomor=nomor, tahun=tahun)

    return get


@pytest.fixture
def bappeda(db):
    return make_user("u_bappeda", (Role.OPD, {"opd": "bappeda"}))


@pytest.fixture
def unggah(db):
    """unggah(tahunan, keluaran_index=0, user=None, status=None) -> Bukti, through the service
    (a real PDF), optionally verified to `status` by a verifier."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from konvergensi import services
    from tests.konvergensi.files import pdf_bytes
    from tpps.roles import SYSTEM

    counter = iter(range(1, 10_000))

    def make(tahunan, keluaran_index=0, user=None, status=None, komentar="", verifier=None):
        keluaran = list(tahunan.keluaran.all())[keluaran_index] if keluaran_index is not None else None
        n = next(counter)
        bukti = services.upload_evidence(
            tahunan, SimpleUploadedFile(f"dokumen-{n}.pdf", pdf_bytes(f"Dokumen {n}")),
            judul=f"Dokumen {n}", user=user or SYSTEM, keluaran=keluaran,
        )
        if status:
            bukti = services.verify_evidence(bukti, status, komentar or "catatan", verifier or SYSTEM)
        return bukti

    return make
