"""What the dashboard and the pack read from konvergensi and genting, through their selectors only.

Each function returns None when the other app offers nothing for it yet, so the page can say
"belum ada data" instead of failing.
"""

from django.urls import NoReverseMatch, reverse

from tpps.models import Kelurahan


def scope_ids(user):
    """None when the user sees every kelurahan (city figures), else the visible ids."""
    visible = set(Kelurahan.objects.for_user(user).values_list("id", flat=True))
    if user is None or len(visible) == Kelurahan.objects.count():
        return None
    return visible


def link(name, *args, **kwargs):
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return None


def genting(tahun: int, kelurahan_ids=None) -> dict | None:
    from genting import selectors

    totals = selectors.genting_totals(year=tahun, kelurahan_ids=kelurahan_ids)
    categories = selectors.families_helped_by_category(tahun, kelurahan_ids=kelurahan_ids)
    if not any(totals.values()) and not any(c["keluarga"] for c in categories):
        return {"totals": totals, "kategori": categories, "kosong": True, "url": link("genting:index")}
    return {"totals": totals, "kategori": categories, "kosong": False, "url": link("genting:index")}


def _konvergensi(name):
    try:
        from konvergensi import selectors
    except ModuleNotFoundError:
        return None
    return getattr(selectors, name, None)


def konvergensi_period(periode) -> str | None:
    """konvergensi reports indicators by quarter ("t1"…"t4") or year ("th"); for a month or a
    semester it takes each indicator's freshest period of the year (None)."""
    if periode is None:
        return None
    if periode.jenis == "triwulan":
        return f"t{periode.nomor}"
    return "th" if periode.jenis == "tahun" else None


def actions(tahun: int, user=None) -> list | None:
    """The eight convergence actions with progress and evidence (konvergensi's contract:
    nomor, nama, status, status_label, status_warna, kesiapan, bukti, …), or None."""
    read = _konvergensi("actions_progress")
    return read(tahun, user=user) if read else None


def indicators(tahun: int, periode=None, user=None) -> list | None:
    """Indicators with target, capaian, status, warna, kendala, upaya by OPD, or None."""
    read = _konvergensi("indicator_results")
    return read(tahun, konvergensi_period(periode), user=user) if read else None


def indicator_colours(rows) -> list[tuple[str, str, int]]:
    """[(warna, label, count)] in the order green, amber, red, grey, for the dashboard badges."""
    labels = {"green": "tercapai", "amber": "hampir tercapai", "red": "belum tercapai", "grey": "tanpa data/target"}
    counts = {key: 0 for key in labels}
    for row in rows or []:
        counts[row.get("warna", "grey") if row.get("warna") in counts else "grey"] += 1
    return [(key, labels[key], counts[key]) for key in labels if counts[key]]


def readiness(tahun: int) -> dict | None:
    read = _konvergensi("readiness_summary")
    return read(tahun) if read else None
