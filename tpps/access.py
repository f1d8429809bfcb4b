"""View guards: a view names the roles that may use it; everything else gets 403."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from tpps.roles import Role, access_for


def role_required(*roles):
    """Allow the view only to users holding one of `roles` (login is enforced by middleware)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not access_for(request.user).has(*roles):
                raise PermissionDenied("Peran Anda tidak berhak membuka halaman ini.")
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


class AdminRoleBackend:
    """Grants every model permission to users with the Admin role, so the admin site
    (user, assignment and posyandu management) follows our roles, not Django's groups."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return access_for(user_obj).has(Role.ADMIN)

    def has_module_perms(self, user_obj, app_label):
        return self.has_perm(user_obj, None)
