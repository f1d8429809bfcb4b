from django.contrib import admin
from django.contrib.admin import apps as admin_apps
from django.urls import reverse

from tpps.roles import Role, access_for


class TppsAdminSite(admin.AdminSite):
    """The management site (users, assignments, areas): only for the Admin role."""

    site_header = "Pantau Stunting — Pengelolaan"
    site_title = "Pengelolaan Pantau Stunting"
    index_title = "Pengguna, wilayah, dan data acuan"

    def login(self, request, extra_context=None):
        # One login page for the whole app (rate-limited, in Indonesian). Imported here: this module
        # holds the admin AppConfig, loaded before models, and auth views import models.
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.GET.get("next") or self.index_url())

    def index_url(self):
        return reverse("admin:index", current_app=self.name)

    def has_permission(self, request):
        return request.user.is_active and access_for(request.user).has(Role.ADMIN)


class TppsAdminConfig(admin_apps.AdminConfig):
    default_site = "tpps.admin_site.TppsAdminSite"
