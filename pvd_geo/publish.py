"""The static atlas (``python -m pvd_geo publish --out DIR``): a site any web server or CDN can host.

One small page per région, département, EPCI with a PVD and PVD commune, the default scope
(Gard and Gers) and an index with a search; each page carries its interactive map (the dashboard's
``folium.Map`` with the atlas's plugins, its rendered script in a file beside the page), its
figures and its communes as HTML tables (readable without JavaScript:
the accessible alternative to the map), its data (CSV, GeoJSON), the sources and the list's date.
Links are relative; Leaflet, topojson-client, leaflet-gesture-handling and the plugins' files are
copied beside the pages. No inline script or
style: the pages declare a strict Content Security Policy and load nothing from another origin.

The site is written in a temporary folder beside ``DIR`` and put in place at the end: a reader of
the old site never sees a half-written one.
"""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from . import views
from .atlas import Atlas
from .constants import DEFAULT_SCOPE
from .embed import PAGES_FILE, page_path, scope_path
from .files import swap_in
from .format import fr_int, fr_pct
from .levels import DEPARTEMENT, EPCI, REGION, Level
from .programmes import principal, registry
from .sitebase import MAP_ID, PublishError, Report, SiteFrame, _count, render  # noqa: F401


class Site(SiteFrame):
    """Each kind of page of the site: index, région, département, EPCI, commune, default scope."""

    # -- blocks --------------------------------------------------------------------------------
    def figures(self, level: str, code: str) -> Markup:
        row = self.stats[level].loc[code]
        main = principal()
        known = not pd.isna(row[main.key])
        items = [(f"Communes {p.communes}", _count(row[p.key])) for p in registry()]
        items += [
            ("Communes", fr_int(row["communes"])),
            (
                f"Part de la population en commune {main.court}",
                fr_pct(row[f"part_population_{main.key}"]) if known else "inconnue",
            ),
        ]
        note = None
        if not known:
            note = (
                f"La liste {main.court} chargée ({self.list_line}) ne couvre pas tout ce territoire : "
                "les nombres y sont inconnus, pas nuls."
            )
        return render("chiffres.html", items=items, note=note)

    def communes_table(self, rows: pd.DataFrame, caption: str, up: str) -> Markup:
        """Communes in a programme (PVD, ACV, ORT…), with links to the PVD communes' pages."""
        entries = registry()
        shown = rows[(rows[[p.colonne for p in entries]] == "oui").any(axis=1)]

        def flag(value) -> str:
            return "inconnu" if value is None or pd.isna(value) else str(value)  # « oui » / « non »

        lines = [
            {
                "nom": r["nom"],
                "href": self.href(up, page_path("commune", r["code_insee"])),
                "code": r["code_insee"],
                "epci": r["nom_epci"] if isinstance(r["nom_epci"], str) else "sans EPCI",
                "population": _count(r["population"]),
                "flags": [flag(r[p.colonne]) for p in entries],
            }
            for r in shown.to_dict("records")
        ]
        heads = [p.legende if p.croise else p.court for p in entries]
        return render("communes.html", caption=caption, heads=heads, rows=lines)

    def children_table(self, level: str, codes: list[str], caption: str, up: str) -> Markup:
        stats = self.stats[level].loc[codes]
        main = principal().key
        counted = [p for p in registry() if not p.croise]
        stats = stats.sort_values([main, "nom"], ascending=[False, True], na_position="last")
        lines = [
            {
                "nom": r["nom"],
                "href": self.href(up, page_path(level, code)),
                "code": code,
                "counts": [_count(r[p.key]) for p in counted],
                "communes": fr_int(r["communes"]),
            }
            for code, r in stats.iterrows()
        ]
        heads = [f"Communes {p.communes}" for p in counted]
        return render(
            "territoires.html", caption=caption, level=Level.of(level).title, heads=heads, rows=lines
        )

    # -- pages ---------------------------------------------------------------------------------
    def index(self) -> None:
        deps = self.atlas.departements
        regions = [
            {
                "nom": name,
                "href": self.href("", page_path("region", reg)),
                "deps": [
                    {
                        "label": f"{self.dep_names[c]} ({c})",
                        "href": self.href("", page_path("departement", c)),
                    }
                    for c in sorted(deps.loc[deps[REGION.column] == reg, "code"])
                ],
            }
            for reg, name in sorted(self.reg_names.items(), key=lambda kv: kv[1])
        ]
        default = self.href("", scope_path(list(DEFAULT_SCOPE)))
        before = render("accueil.html", part="recherche")
        after = render("accueil.html", part="index", regions=regions, default_href=default)
        spec = self.territories_spec(
            "departement", None, "France — communes PVD par département", "", "departement"
        )
        france = self.stats["departement"].reset_index()
        data = self._stats_files("france", france, "departement")  # figures per département
        self.page(
            "index.html",
            "Petites villes de demain — atlas",
            before,
            after,
            spec=spec,
            data=data,
            scripts=("search.js",),
        )
        entries = [[f"{n} (région)", page_path("region", c)] for c, n in self.reg_names.items()]
        entries += [
            [f"{n} ({c}, département)", page_path("departement", c)] for c, n in self.dep_names.items()
        ]
        entries += [
            [f"{self.epci_names.get(c, c)} ({c}, EPCI)", page_path("epci", c)]
            for c in sorted(self.epci_with_pvd)
        ]
        com = self.atlas.communes
        pvd = com[com[principal().key]]
        entries += [
            [f"{n} ({c}, {self.dep_names.get(d, d)})", page_path("commune", c)]
            for c, n, d in zip(pvd["code"], pvd["nom"], pvd[DEPARTEMENT.column], strict=True)
        ]
        entries = [e for e in entries if e[1] in self.planned]
        self.write("recherche.json", json.dumps(entries, ensure_ascii=False, separators=(",", ":")))

    def region(self, reg: str) -> None:
        rel, up = page_path("region", reg), "../"
        name = self.reg_names[reg]
        codes = sorted(self.atlas.departements.loc[self.atlas.departements[REGION.column] == reg, "code"])
        spec = self.territories_spec(
            "departement", reg, f"{name} — communes PVD par département", up, "departement"
        )
        frame = self.stats["departement"].loc[codes].reset_index()
        data = self._stats_files(f"region/{reg}", frame, "departement")
        after = self.children_table("departement", codes, f"Départements de la région {name}", up)
        self.page(rel, f"Région {name}", self.figures("region", reg), after, spec=spec, data=data)

    def departement(self, dep: str) -> None:
        rel, up = page_path("departement", dep), "../"
        name, reg = (
            self.dep_names[dep],
            str(self.atlas.departements.set_index("code").loc[dep, REGION.column]),
        )
        title = f"{name} ({dep})"
        spec = self.communes_spec([dep], None, title, up)
        rows = self.table[self.table["departement"] == dep]
        data = self.data_files(f"departement/{dep}", rows)
        epcis = sorted(set(rows["siren_epci"].dropna()) & set(self.stats[EPCI.column].index))
        after = self.communes_table(rows, f"{name} : communes dans un programme", up) + self.children_table(
            "epci", epcis, f"{name} : EPCI", up
        )
        crumbs = [(self.reg_names.get(reg, reg), page_path("region", reg))]
        before = self.figures("departement", dep)
        size = self.page(rel, f"Département : {title}", before, after, crumbs=crumbs, spec=spec, data=data)
        self.report.departements[dep] = (size, self.map_bytes[rel])

    def epci(self, code: str) -> dict:
        rel, up = page_path("epci", code), "../"
        name = self.epci_names.get(code, code)
        spec = self.communes_spec([], code, name, up)
        rows = self.table[self.table["siren_epci"] == code]
        data = self.data_files(f"epci/{code}", rows)
        deps = sorted(set(rows["departement"]))
        crumbs = [(self.dep_names.get(d, d), page_path("departement", d)) for d in deps]
        after = self.communes_table(rows, f"{name} : communes dans un programme", up)
        self.page(
            rel, f"EPCI : {name}", self.figures("epci", code), after, crumbs=crumbs, spec=spec, data=data
        )
        return spec

    def commune(self, code: str, epci_spec: dict | None) -> None:
        rel = page_path("commune", code)
        profile = views.commune_profile(self.atlas, code, {})
        row = self.table[self.table["code_insee"] == code]
        data = self.data_files(f"commune/{code}", row)
        dep_code, dep_name = profile.departement
        crumbs = [(dep_name, page_path("departement", dep_code))]
        if profile.epci:
            crumbs.append((profile.epci[1], page_path("epci", profile.epci[0])))
        facts = [
            ("Code INSEE", code),
            ("Département", f"{dep_name} ({dep_code})"),
            ("EPCI", profile.epci[1] if profile.epci else "sans EPCI"),
            (f"Population ({profile.population_millesime})", _count(profile.population)),
        ]
        for entry in registry():
            programme, label = entry.key, entry.nom
            status = profile.statuts.get(programme)
            text = "inconnu (hors de la liste chargée)" if status is None else ("oui" if status else "non")
            if status and profile.dates.get(programme):
                text += f" ({profile.dates[programme]})"
            facts.append((label, text))
        others = profile.autres_pvd_epci
        facts.append(("Autres communes PVD de l’EPCI", ", ".join(others) if others else "aucune"))
        before = render("chiffres.html", items=facts, css="fiche", note=None)
        spec = None
        if epci_spec is not None:
            spec = {**epci_spec, "focus": code, "legend": {**epci_spec["legend"], "title": str(profile.nom)}}
        self.page(rel, f"{profile.nom} ({code})", before, crumbs=crumbs, spec=spec, data=data)

    def scope_page(self, departements: list[str]) -> None:
        rel, up = scope_path(departements), "../"
        name = views.scope_name(self.atlas, departements)
        spec = self.communes_spec(departements, None, name, up)
        rows = self.table[self.table["departement"].isin(departements)]
        data = self.data_files(rel.removesuffix(".html"), rows)
        totals = self.atlas.totals(departements)
        items = [(f"Communes {p.communes}", _count(totals.get(p.key))) for p in registry() if not p.croise]
        before = render(
            "chiffres.html", items=[*items, ("Communes", _count(totals.get("communes")))], note=None
        )
        after = self.children_table("departement", departements, "Départements", up) + self.communes_table(
            rows, f"{name} : communes dans un programme", up
        )
        self.page(rel, name, before, after, spec=spec, data=data)


def publish(atlas: Atlas, out: Path, base_url: str | None = None, only: list[str] | None = None) -> Report:
    """Write the whole site into ``out`` (replaced at the end, never half-written); ``only``: the
    départements to publish (their région, EPCI and communes pages too), all when None."""
    start = time.perf_counter()
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        site = Site(atlas, work, base_url)
        site.plan(sorted(atlas.departements["code"]) if only is None else sorted(only))
        site.copy_assets()
        site.index()
        for reg in site.regions:
            site.region(reg)
        for dep in site.departements:
            site.departement(dep)
        for code, communes in site.epcis.items():
            spec = site.epci(code)
            for commune in communes:
                site.commune(commune, spec)
        for commune in site.lone:
            site.commune(commune, None)
        for departements in site.scopes:
            site.scope_page(departements)
        pages = sorted(p.relative_to(work).as_posix() for p in work.rglob("*.html"))
        site.write(PAGES_FILE, "\n".join(pages) + "\n")  # what the site holds (the dashboard reads it)
        for path in [work, *work.rglob("*")]:  # a static site: readable by the web server
            os.chmod(path, 0o755 if path.is_dir() else 0o644)  # noqa: S103
        swap_in(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report = site.report
    report.out = out
    report.seconds = time.perf_counter() - start
    return report
