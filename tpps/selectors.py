"""Reads for the core pages: the user's assignments and the audit trail."""

from pghistory.models import Events

from tpps.models import Penugasan, User


def assignments_of(user):
    return Penugasan.objects.filter(user=user).select_related("opd", "puskesmas", "kelurahan")


def audit_events(*, model: str = "", user_id: int | None = None):
    """Newest audit events first, optionally for one model ('app.Model') or one user."""
    events = Events.objects.order_by("-pgh_created_at")
    if model:
        events = events.filter(pgh_model__iexact=f"{model}Event")
    if user_id:
        events = events.filter(pgh_context__user=user_id)
    return events


def audit_model_choices():
    """'app.Model' labels of every model that has audit events, for the filter."""
    labels = Events.objects.values_list("pgh_model", flat=True).distinct()
    return sorted(label.removesuffix("Event") for label in labels)


def users_by_id(ids):
    return {u.id: u for u in User.objects.filter(id__in=[i for i in ids if i])}

