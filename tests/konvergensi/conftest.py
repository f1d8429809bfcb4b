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

    counter = iter(range(1, 10_000))

    def make(tahunan, keluaran_index=0, user=None, status=None, komentar="", verifier=None):
        keluaran = list(tahunan.keluaran.all())[keluaran_index] if keluaran_index is not None else None
        n = next(counter)
        bukti = services.upload_evidence(
            tahunan, SimpleUploadedFile(f"dokumen-{n}.pdf", pdf_bytes(f"Dokumen {n}")),
            judul=f"Dokumen {n}", user=user, keluaran=keluaran,
        )
        if status:
            bukti = services.verify_evidence(bukti, status, komentar or "catatan", verifier)
        return bukti

    return make


@pytest.fixture
def reference_data(live_server, page):
    """Make sure the migrations' reference data is present in a browser test.

    Playwright's sync API leaves an asyncio loop running in the test thread, so asgiref's
    thread-critical Local gives the test body a second `default` connection object that lacks
    `_test_serialized_contents`: `serialized_rollback` then restores nothing after an earlier
    transactional test flushed the database. Hand that connection the serialized contents of
    the original one (and reload them if a flush emptied the tables)."""
    from django.core.management import call_command
    from django.db import connections

    from tpps.models import Opd

    current = connections["default"]
    if not hasattr(current, "_test_serialized_contents"):
        original = getattr(getattr(connections._connections, "_storage", None), "default", None)
        contents = getattr(original, "_test_serialized_contents", None)
        if contents:
            current._test_serialized_contents = contents
            if not Opd.objects.exists():
                # A flush without the contents re-ran post_migrate (content types, permissions):
                # empty the tables again the way serialized_rollback does, then load.
                call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True, reset_sequences=False)
                current.creation.deserialize_db_from_string(contents)
    assert Opd.objects.exists(), "reference data missing (see the fixture's docstring)"
