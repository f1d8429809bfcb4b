"""Small pieces shared by balita's views: reading an id from the query string, the period picker."""

from balita import figures
from tpps.forms import PeriodeForm


def int_param(params, name):
    try:
        value = int(params.get(name) or 0)
    except (TypeError, ValueError):
        return None
    return value or None


def period_form(request) -> PeriodeForm:
    """The year-and-period picker of balita's figure pages: the years with data in the user's
    area, and balita's default period (the latest month whose data suffice)."""
    return PeriodeForm(request.GET, years=figures.years_with_data(request.user),
                       default_for=lambda tahun: figures.default_period(request.user, tahun))
