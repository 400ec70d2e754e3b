"""The static atlas (``python -m pvd_geo publish --out DIR``): a site any web server or CDN can host.

One small page per région, département, EPCI with a PVD and PVD commune, the default perimeter
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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd
import jinja2
import pandas as pd
from markupsafe import Markup

from . import credits, exports, views
from .assets import OWN_DIR, PACKAGES, VENDOR_DIR, assets_installed, bundle_texts, own_version
from .atlas import Atlas
from .constants import DEFAULT_SCOPE
from .embed import embed_snippet, page_path, perimeter_path
from .errors import PvdError
from .files import swap_in
from .format import fr_date, fr_int, fr_pct, fr_size
from .levels import AGGREGATED, Level
from .programmes import principal, registry

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)
SITE_DIR = Path(__file__).resolve().parent / "web"  # the site's own style and scripts
SITE_FILES = ("site.css", "page.js", "search.js")
MAP_ID = "carte"  # the folium.Map's name on every page: its element is ``map_carte``


class PublishError(PvdError, RuntimeError):
    """The site could not be written (message in French)."""


@dataclass
class Report:
    """What was written: pages per kind, bytes, seconds."""

    out: Path
    pages: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    seconds: float = 0.0
    departements: dict[str, tuple[int, int]] = field(default_factory=dict)  # page, its map: bytes

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{n} {k}" for k, n in self.pages.items())
        out = [
            f"Site statique écrit dans {self.out} : {sum(self.pages.values())} pages ({kinds}).",
            f"Taille totale : {self.bytes / 1e6:.1f} Mo ; durée : {self.seconds:.1f} s.",
        ]
        if self.departements:
            pages = sorted(self.departements.items(), key=lambda kv: kv[1][0])
            median, (top, (size, data)) = pages[len(pages) // 2][1][0], pages[-1]
            out.append(
                f"Pages département (HTML, carte comprise, sans les scripts communs) : médiane "
                f"{median / 1000:.0f} ko, la plus lourde {size / 1000:.0f} ko "
                f"({top}, dont carte {data / 1000:.0f} ko)."
            )
        return out


# The site's pages are Jinja2 templates (``web/templates``) with autoescape: every name is text.
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(SITE_DIR / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def render(template: str, **context) -> Markup:
    """A template rendered (its HTML, safe to put in another template as is)."""
    return Markup(TEMPLATES.get_template(template).render(**context))  # noqa: S704  (autoescaped)


def _count(value) -> str:
    return "inconnu" if value is None or pd.isna(value) else fr_int(value)


class Site:
    """Writes the pages of one atlas into ``root``."""

    def __init__(self, atlas: Atlas, root: Path, base_url: str | None = None):
        self.atlas, self.root, self.base_url = atlas, root, base_url
        self.lists = views.lists_json(atlas)
        self.sources = credits.sources_line(atlas.meta, self.lists)
        pvd = self.lists.get("pvd")
        self.list_line = (
            f"ANCT, {credits.list_label('pvd', pvd)}"
            + ("" if credits.is_national(pvd) else f" ({pvd['couverture_nom']} seulement)")
            if pvd
            else "aucune liste PVD chargée"
        )
        self.report = Report(root)
        self.map_bytes: dict[str, int] = {}  # page → bytes of its map layer data
        com = atlas.communes
        self.epci_names = atlas.names("epci").to_dict()
        self.dep_names = atlas.names("departement").to_dict()
        self.reg_names = atlas.names("region").to_dict()
        self.epci_with_pvd = set(com.loc[com["pvd"], "epci"].dropna())
        self.table = exports.territory_communes(atlas, [("region", r) for r in atlas.regions["code"]])
        self.stats = {level: atlas.stats(level).set_index("code") for level in (lv.key for lv in AGGREGATED)}
        self.published = date.today().isoformat()

    def plan(self, departements: list[str]) -> None:
        """The pages to write for these départements: their régions, EPCI with a PVD, PVD communes
        (by EPCI), and the default perimeter when all its départements are in; links go only there."""
        atlas, com = self.atlas, self.atlas.communes
        self.departements = sorted(departements)
        self.regions = sorted(set(atlas.departements.set_index("code").loc[self.departements, "reg"]))
        chosen = com[com["dep"].isin(self.departements) & com["pvd"]]
        self.epcis = {
            code: sorted(part["code"]) for code, part in chosen.groupby("epci")
        }  # EPCI → its PVD communes published
        self.lone = sorted(chosen.loc[chosen["epci"].isna(), "code"])  # PVD communes without EPCI
        self.perimeters = [list(DEFAULT_SCOPE)] if set(DEFAULT_SCOPE) <= set(self.departements) else []
        self.planned = {
            "index.html",
            *(page_path("region", r) for r in self.regions),
            *(page_path("departement", d) for d in self.departements),
            *(page_path("epci", e) for e in self.epcis),
            *(page_path("commune", c) for c in [*chosen["code"]]),
            *(perimeter_path(p) for p in self.perimeters),
        }

    def href(self, up: str, path: str) -> str | None:
        """The address of a page of the site when it is published, else None (no link)."""
        return f"{up}{path}" if path in self.planned else None

    def linkable(self, level: str, codes) -> list[str]:
        """The codes of ``level`` whose page is published (a click on the map opens them)."""
        return sorted(str(c) for c in codes if page_path(level, str(c)) in self.planned)

    # -- writing -------------------------------------------------------------------------------
    def write(self, relative: str, payload: bytes | str) -> int:
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.report.bytes += len(data)
        return len(data)

    def copy_assets(self) -> None:
        if not assets_installed():
            raise PublishError("Leaflet et topojson-client absents : lancez « make setup » (registre npm).")
        target = self.root / "assets"
        for package in PACKAGES:  # the packages' files as installed, licences included
            shutil.copytree(VENDOR_DIR / package, target / package)
        shutil.copytree(OWN_DIR, target / "atlas")
        for name, data in bundle_texts().items():  # what the pages load: one script, one stylesheet
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(data)
        for name in SITE_FILES:
            shutil.copyfile(SITE_DIR / name, target / name)
        self.report.bytes += sum(p.stat().st_size for p in target.rglob("*") if p.is_file())

    # -- page frame ----------------------------------------------------------------------------
    def page(
        self,
        relative: str,
        title: str,
        before: str,
        after: str = "",
        *,
        crumbs: list[tuple[str, str]] = (),
        spec: dict | None = None,
        data: list[tuple[str, str]] = (),
        scripts: tuple[str, ...] = (),
    ) -> int:
        """Write one page: ``before`` and ``after`` its map (rendered blocks), its data files."""
        up = "../" * relative.count("/")
        map_js, map_css = self.map_files(relative, up, spec) if spec is not None else ([], [])
        text = TEMPLATES.get_template("page.html").render(
            csp=CSP,
            title=title,
            up=up,
            styles=[*map_css, f"{up}assets/site.css"],
            crumbs=[(name, self.href(up, path)) for name, path in crumbs],
            list_line=self.list_line,
            before=before,
            after=after,
            has_map=spec is not None,
            map_id=MAP_ID,
            files=data,
            snippet=embed_snippet(self.base_url, relative, title) if self.base_url else None,
            sources=self.sources,
            published=fr_date(self.published),
            scripts=[f"{up}assets/page.js", *map_js, *(f"{up}assets/{n}" for n in scripts)],
        )
        size = self.write(relative, text)
        kind = relative.split("/")[0] if "/" in relative else "index"
        self.report.pages[kind] = self.report.pages.get(kind, 0) + 1
        return size

    def map_files(self, relative: str, up: str, spec: dict) -> tuple[list[str], list[str]]:
        """A page's map: the ``folium.Map`` of the dashboard with the site's copies of the files;
        folium's rendered script written beside the page (``x.html`` → ``x.js``). Returns the
        scripts (the map's own last) and the stylesheets the page links."""
        from .webmap.maps import atlas_map, links, prepare, site_script
        from .webmap.plugins import Assets

        parts = prepare(spec)
        self.map_bytes[relative] = len(parts["layer"].encode())
        fmap = atlas_map(
            parts,
            Assets(vendor=f"{up}assets/", own=f"{up}assets/atlas/", version=own_version(), bundled=True),
            name=MAP_ID,
        )
        script = relative.removesuffix(".html") + ".js"
        self.write(script, site_script(fmap))
        js, css = links(fmap)
        return [*js, script.rsplit("/", 1)[-1]], css

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

    def data_files(self, stem: str, frame: pd.DataFrame) -> list[tuple[str, str]]:
        csv = self.write(f"{stem}.csv", exports.to_csv(frame))
        geo = self.write(f"{stem}.geojson", exports.to_geojson(frame, decimals=4))
        return [
            (f"Tableau CSV ({fr_size(csv)})", f"{stem}.csv"),
            (f"Contours GeoJSON ({fr_size(geo)})", f"{stem}.geojson"),
        ]

    # -- maps ----------------------------------------------------------------------------------
    def communes_spec(self, departements: list[str], epci: str | None, title: str, up: str) -> dict:
        spec = views.communes_map_spec(
            self.atlas, departements, epci, title, self.sources, link=f"{up}commune/{{c}}.html"
        )
        return spec | {"linkable": self.linkable("commune", spec["rows"]["c"])}

    def territories_spec(self, level: str, region: str | None, title: str, up: str, target: str) -> dict:
        spec = views.territories_map_spec(
            self.atlas, level, region, title, self.sources, link=f"{up}{target}/{{c}}.html"
        )
        return spec | {"linkable": self.linkable(target, spec["rows"]["c"])}

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
                    for c in sorted(deps.loc[deps["reg"] == reg, "code"])
                ],
            }
            for reg, name in sorted(self.reg_names.items(), key=lambda kv: kv[1])
        ]
        default = self.href("", perimeter_path(list(DEFAULT_SCOPE)))
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
        pvd = com[com["pvd"]]
        entries += [
            [f"{n} ({c}, {self.dep_names.get(d, d)})", page_path("commune", c)]
            for c, n, d in zip(pvd["code"], pvd["nom"], pvd["dep"], strict=True)
        ]
        entries = [e for e in entries if e[1] in self.planned]
        self.write("recherche.json", json.dumps(entries, ensure_ascii=False, separators=(",", ":")))

    def region(self, reg: str) -> None:
        rel, up = page_path("region", reg), "../"
        name = self.reg_names[reg]
        codes = sorted(self.atlas.departements.loc[self.atlas.departements["reg"] == reg, "code"])
        spec = self.territories_spec(
            "departement", reg, f"{name} — communes PVD par département", up, "departement"
        )
        frame = self.stats["departement"].loc[codes].reset_index()
        data = self._stats_files(f"region/{reg}", frame, "departement")
        after = self.children_table("departement", codes, f"Départements de la région {name}", up)
        self.page(rel, f"Région {name}", self.figures("region", reg), after, spec=spec, data=data)

    def _stats_files(self, stem: str, frame: pd.DataFrame, level: str) -> list[tuple[str, str]]:
        layer = self.atlas.layer(level).set_index("code")["geometry_departement"]
        geo = gpd.GeoDataFrame(frame, geometry=layer.reindex(frame["code"]).to_numpy(), crs=4326)
        csv = self.write(f"{stem}.csv", exports.to_csv(frame))
        gj = self.write(f"{stem}.geojson", exports.to_geojson(geo, decimals=4))
        return [
            (f"Tableau CSV ({fr_size(csv)})", f"{stem}.csv"),
            (f"Contours GeoJSON ({fr_size(gj)})", f"{stem}.geojson"),
        ]

    def departement(self, dep: str) -> None:
        rel, up = page_path("departement", dep), "../"
        name, reg = self.dep_names[dep], str(self.atlas.departements.set_index("code").loc[dep, "reg"])
        title = f"{name} ({dep})"
        spec = self.communes_spec([dep], None, title, up)
        rows = self.table[self.table["departement"] == dep]
        data = self.data_files(f"departement/{dep}", rows)
        epcis = sorted(set(rows["siren_epci"].dropna()) & set(self.stats["epci"].index))
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

    def perimeter(self, departements: list[str]) -> None:
        rel, up = perimeter_path(departements), "../"
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
        for departements in site.perimeters:
            site.perimeter(departements)
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
