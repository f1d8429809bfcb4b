from django.apps import apps
from django.urls import NoReverseMatch, reverse

from tpps.roles import access_for


def menu_for(access):
    """Menu entries (label, url) the user may open, collected from every app's `nav_items`, apps
    in the order of their `nav_position` (the toddler and the 1,000-day chain first, the guide last)."""
    items = []
    for config in sorted(apps.get_app_configs(), key=lambda config: getattr(config, "nav_position", 100)):
        for label, url_name, roles in getattr(config, "nav_items", []):
            if access.has(*roles):
                try:
                    items.append((label, reverse(url_name)))
                except NoReverseMatch:
                    continue
    return items


def access(request):
    user_access = access_for(getattr(request, "user", None))
    return {"access": user_access, "menu": menu_for(user_access)}
