"""Request parsing shared by the konvergensi views (year and period from the query string)."""

from konvergensi import selectors
from konvergensi.rules import Periode


def tahun_dari(request) -> int:
    """The year asked for when it is an opened year, else the default year."""
    opened = selectors.years()
    try:
        tahun = int(request.GET.get("tahun") or request.POST.get("tahun") or 0)
    except ValueError:
        tahun = 0
    return tahun if tahun in opened else selectors.default_year()


def periode_dari(request, default=None):
    """A period code ("t1"…"t4", "th") from the query string, or `default` (None = freshest)."""
    kode = request.GET.get("periode", "")
    return kode if kode in Periode.values else default
