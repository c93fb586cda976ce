"""Every module in this package registers its routes on `lexware.simulator.routing.router`
when imported; importing the package imports them all."""

from __future__ import annotations

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
