"""The "?" link of every page: the guide part for the screen being shown (panduan/sections.py)."""

from panduan.sections import guide_url
from tpps.roles import access_for


def help_link(request):
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or user is None or not user.is_authenticated:
        return {}
    return {"bantuan_url": guide_url(match.view_name, access_for(user).roles)}
