"""Evidence uploads (photo or receipt of a delivery): the type is read from the file's content,
never from its name, and the size is limited by settings.MAX_UPLOAD_MB."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

EVIDENCE_TYPES = {
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "application/pdf": "PDF",
}


def check_evidence(upload) -> str:
    """Return the detected MIME type of an acceptable evidence file, else raise ValidationError."""
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            f"Berkas bukti terlalu besar ({upload.size / 1024 / 1024:.1f} MB); batasnya {settings.MAX_UPLOAD_MB} MB."
        )
    if upload.size == 0:
        raise ValidationError("Berkas bukti kosong.")
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        found = f" (terbaca sebagai {kind.extension.upper()})" if kind else ""
        raise ValidationError(f"Bukti harus foto JPG, PNG, WebP, atau PDF{found}; berkas “{upload.name}” ditolak.")
    return kind.mime
