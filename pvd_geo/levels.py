"""The atlas's levels — région, département, EPCI, commune — each spelt once: its key (the CLI's
``--by``, the code's), its key in addresses (``?dep=30``, ``dep:30`` on the command line), the
commune column holding its code, its build file, its French label and article. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidInput


@dataclass(frozen=True)
class Level:
    key: str  # "departement"
    url: str  # "dep": in addresses and ``dep:30``
    column: str  # the commune column holding its code ("dep"; a commune: its own "code")
    file: str  # the build's layer (``departements.parquet``)
    label: str  # "département"
    article: str  # "le département"

    @property
    def title(self) -> str:
        """« Département », « EPCI »: a table's header."""
        return self.label[:1].upper() + self.label[1:]

    @classmethod
    def of(cls, name: str) -> Level:
        """The level named by its key or its address key; an unknown one is refused in French."""
        for level in LEVELS:
            if name in (level.key, level.url):
                return level
        known = ", ".join(level.key for level in LEVELS)
        raise InvalidInput(f"niveau inconnu : {name!r} (attendu : {known})")


REGION = Level("region", "reg", "reg", "regions", "région", "la région")
DEPARTEMENT = Level("departement", "dep", "dep", "departements", "département", "le département")
EPCI = Level("epci", "epci", "epci", "epci", "EPCI", "l'EPCI")
COMMUNE = Level("commune", "com", "code", "communes", "commune", "la commune")
LEVELS = (REGION, DEPARTEMENT, EPCI, COMMUNE)  # from the largest: a breadcrumb's order
AGGREGATED = (REGION, DEPARTEMENT, EPCI)  # the levels counted by ``stats``
URL_KEYS = tuple(level.url for level in LEVELS)
