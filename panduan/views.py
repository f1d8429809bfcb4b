"""The user guide: an index and one page per role. Every logged-in user may read every page (the
guide holds no personal data); the structure comes from panduan/sections.py."""

from django.http import Http404

from panduan.sections import ROLE_PAGES, SECTIONS
from tpps.htmx import render_page
from tpps.roles import Role, access_for


def index(request):
    roles = access_for(request.user).roles
    pages = [(role, Role(role).label, halaman, role in roles) for role, halaman in ROLE_PAGES.items()]
    return render_page(request, "panduan/index.html", {"pages": pages})


def peran(request, peran):
    if peran not in ROLE_PAGES:
        raise Http404("Panduan untuk peran ini tidak ada.")
    halaman = ROLE_PAGES[peran]
    sections = [
        {"anchor": anchor, "judul": SECTIONS[anchor].judul, "template": f"panduan/bagian/{anchor}.html",
         "gambar": SECTIONS[anchor].image_path(anchor) if SECTIONS[anchor].gambar else ""}
        for anchor in halaman.bagian
    ]
    others = [(role, ROLE_PAGES[role].judul) for role in ROLE_PAGES if role != peran]
    return render_page(request, "panduan/peran.html", {
        "peran": peran, "halaman": halaman, "sections": sections, "others": others,
        "intro_template": f"panduan/peran/{peran}.html",
    })
