from functools import wraps

from django.contrib import admin
from django.contrib.admin import apps as admin_apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tpps.roles import Role, access_for

# Not on the advanced site at all: login attempts (lockouts end by themselves after
# AXES_COOLOFF_TIME), background job results, and Django's groups (rights come from Penugasan).
HIDDEN_APPS = frozenset({"axes", "django_tasks", "django_tasks_database", "auth"})
DENIED = "Halaman pengelolaan lanjutan hanya untuk Admin."


class TppsAdminSite(admin.AdminSite):
    """The advanced management site (the stock Django admin at /kelola/lanjutan/): a fallback for
    the Admin role; daily management is the app's own pages under /kelola/ (tpps/kelola/)."""

    site_header = "Pantau Stunting — Pengelolaan lanjutan"
    site_title = "Pengelolaan lanjutan Pantau Stunting"
    index_title = "Semua data acuan (cadangan halaman Pengelolaan)"
    site_url = "/kelola/"

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        kept = [model for model in models if model._meta.app_label not in HIDDEN_APPS]
        if kept:
            super().register(kept, admin_class, **options)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        # A logged-in user without the Admin role gets a 403 page. The stock site would send them
        # to its login page, which sends a logged-in user back here: a loop.
        @wraps(inner)
        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(DENIED)
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        # One login page for the whole app (rate-limited, in Indonesian). Imported here: this module
        # holds the admin AppConfig, loaded before models, and auth views import models.
        from django.contrib.auth.views import redirect_to_login

        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied(DENIED)
        return redirect_to_login(request.GET.get("next") or self.index_url())

    def index_url(self):
        return reverse("admin:index", current_app=self.name)

    def has_permission(self, request):
        # A superuser too: right after `createsuperuser` nobody holds the Admin role yet, and this
        # is where the first one gives it to themselves.
        user = request.user
        return user.is_active and (user.is_superuser or access_for(user).has(Role.ADMIN))


class TppsAdminConfig(admin_apps.AdminConfig):
    default_site = "tpps.admin_site.TppsAdminSite"
