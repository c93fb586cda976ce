from __future__ import annotations

# 28.11.2026 and 28.11.2026, 09:05, as formatting.day / formatting.moment show them.
DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
TIME_FORMAT = "H:i"
