"""The home page's tiles (Beranda): each app answers what its user has waiting and where things
stand, from its own selectors and read model, through an AppConfig hook `home_tiles(user)`
(like `nav_items` for the menu), so tpps imports no app and no figure is counted twice."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from tpps.context_processors import menu_for

# Sections of the page, in order: what waits for the user, then where the area stands.
TUGAS, ANGKA = "tugas", "angka"


@dataclass(frozen=True)
class Ubin:
    """One tile: a figure with a one-line description and the page that lists what it counts."""

    kunci: str           # stable name (data-ubin), e.g. "impor_menunggu"
    judul: str
    angka: str           # already formatted ("1.234", "4,90%")
    keterangan: str      # one line: what the figure counts
    url: str
    bagian: str = TUGAS
    urutan: int = 50
    perubahan: str = ""  # the change since the previous period, as safe HTML (may be empty)
    penting: bool = False  # the figure asks for action (shown in red)


def tiles_for(user) -> dict:
    """{section: [Ubin]} from every app's `home_tiles(user)`, each section in order."""
    found = []
    for config in apps.get_app_configs():
        hook = getattr(config, "home_tiles", None)
        if hook is not None:
            found.extend(hook(user))
    found.sort(key=lambda tile: (tile.urutan, tile.judul))
    return {section: [t for t in found if t.bagian == section] for section in (TUGAS, ANGKA)}


def links_for(access) -> list[tuple[str, str, str]]:
    """The menu's entries the user may open (tpps.context_processors.menu_for) with each app's
    one-line description (`nav_descriptions`): (label, url, description)."""
    descriptions = {}
    for config in apps.get_app_configs():
        for url_name, text in getattr(config, "nav_descriptions", {}).items():
            try:
                descriptions[reverse(url_name)] = text
            except NoReverseMatch:
                continue
    return [(label, url, descriptions.get(url, "")) for label, url in menu_for(access)]
