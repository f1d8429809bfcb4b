"""Age in months: one definition for the whole app, the WHO one (completed days ÷ 30.4375).

The WHO growth standards count a month as 365.25 / 12 = 30.4375 days; z-scores, the "under 60
months" rule, genting's target groups (baduta 0–23, balita 24–59 months) and every page and export
that shows an age in months use this, so a child is never 23 months on one screen and 24 on another.
Calendar months remain only where something is not an age (e.g. the months of a commitment).
"""

import datetime
import math

DAYS_PER_MONTH = 365.25 / 12  # 30.4375


def age_in_days(birth: datetime.date, on: datetime.date) -> int:
    return (on - birth).days


def age_in_months(birth: datetime.date, on: datetime.date) -> int:
    """Completed WHO months on `on` of a child born on `birth` (negative before birth)."""
    return int(age_in_days(birth, on) // DAYS_PER_MONTH)


def latest_birth_for_age(on: datetime.date, months: int) -> datetime.date:
    """The last birth date of a child who is at least `months` WHO months old on `on`
    (for filters: born on or before it ⇔ age_in_months(birth, on) >= months)."""
    return on - datetime.timedelta(days=math.ceil(months * DAYS_PER_MONTH))
