"""The show's time zone: one rule for every place that turns epoch seconds into a time of day.

The engine (planned times, the clock on screen), the choice of which day's show to resume and a
new rehearsal's anchor must agree on the zone, or a show near midnight would be filed under one
date and shown under another.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

__all__ = ["local_date", "show_zone"]


def show_zone(name: str | None) -> dt.tzinfo:
    """The agenda's IANA zone (``Asia/Seoul``), else the machine's own zone as it is now."""
    if name:
        return zoneinfo.ZoneInfo(name)
    local = dt.datetime.now().astimezone().tzinfo
    assert local is not None  # astimezone() always attaches a zone
    return local


def local_date(zone_name: str | None, wall: float) -> dt.date:
    """The date of epoch ``wall`` in the show's zone."""
    return dt.datetime.fromtimestamp(wall, show_zone(zone_name)).date()
