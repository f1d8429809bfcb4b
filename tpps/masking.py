"""Names and NIK as a viewer may see them: the one place personal data is masked, for pages,
XLSX/CSV exports and PDFs alike.

Roles that do not see personal data (`Access.can_see_personal_data` is false: Pimpinan, OPD) get
masked forms that keep a list countable and rows distinguishable without naming anyone.
"""

from tpps.roles import Access, access_for


def mask_name(nama) -> str:
    """'Siti Aminah' -> 'S*** A***' (an empty name stays empty)."""
    return " ".join(f"{word[0].upper()}***" for word in str(nama or "").split())


def mask_nik(nik) -> str:
    """'3571012345678901' -> '3571 •••• •••• ••••': the region code only (an empty NIK stays empty)."""
    return f"{nik[:4]} •••• •••• ••••" if nik else ""


def sees_personal_data(viewer) -> bool:
    """`viewer` is a user or an already computed `Access` (templates carry `access`)."""
    access = viewer if isinstance(viewer, Access) else access_for(viewer)
    return access.can_see_personal_data


def name_for(viewer, nama) -> str:
    """The name as `viewer` may see it."""
    return (nama or "") if sees_personal_data(viewer) else mask_name(nama)


def nik_for(viewer, nik) -> str:
    """The NIK as `viewer` may see it."""
    return (nik or "") if sees_personal_data(viewer) else mask_nik(nik)


def private_for(viewer, value) -> str:
    """Addresses, telephone numbers, e-mail: not masked but hidden for report readers."""
    return (value or "") if sees_personal_data(viewer) else "(disembunyikan)"
