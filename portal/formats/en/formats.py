from __future__ import annotations

# Nov 28, 2026 and Nov 28, 2026, 09:05, as formatting.day / formatting.moment show them
# (Django's own English formats are "Nov. 28, 2026" and "11/28/2026 9:05 a.m.").
DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, H:i"
SHORT_DATE_FORMAT = "M j, Y"
SHORT_DATETIME_FORMAT = "M j, Y, H:i"
TIME_FORMAT = "H:i"
