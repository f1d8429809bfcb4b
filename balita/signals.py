"""Signals other apps may listen to (balita imports nothing from them).

measurements_changed: sent after a transaction that added, changed or removed measurements
commits, with `years` (sorted list of the calendar years touched). laporan rebuilds its summary
from it.
"""

from django.dispatch import Signal

measurements_changed = Signal()
