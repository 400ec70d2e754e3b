"""The static site's frame: its policy, templates (Jinja2, autoescape), report, and the writer of
its pages — what every page shares; :mod:`pvd_geo.publish` writes each kind of page."""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import shutil
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
from .embed import embed_snippet, page_path, scope_path
from .errors import PvdError
from .format import fr_date, fr_int, fr_size
from .levels import AGGREGATED, DEPARTEMENT, EPCI, REGION
from .programmes import principal

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)


SITE_DIR = Path(__file__).resolve().parent / "web"  # the site's own style and scripts


SITE_FILES = ("site.css", "page.js", "search.js", "integration.js")


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


class SiteFrame:
    """Writes the pages of one atlas into ``root``: the plan (which pages exist, so links go only
    there), files, the page frame (``page.html``), its map and its data files."""

    def __init__(self, atlas: Atlas, root: Path, base_url: str | None = None):
        self.atlas, self.root, self.base_url = atlas, root, base_url
        self.lists = views.lists_json(atlas)
        self.sources = credits.sources_line(atlas.meta, self.lists)
        main = principal()
        info = self.lists.get(main.key)
        self.list_line = (
            f"{main.editeur}, {credits.list_label(main.key, info)}"
            + ("" if credits.is_national(info) else f" ({info['couverture_nom']} seulement)")
            if info
            else f"aucune liste {main.court} chargée"
        )
        self.report = Report(root)
        self.map_bytes: dict[str, int] = {}  # page → bytes of its map layer data
        com = atlas.communes
        self.epci_names = atlas.names("epci").to_dict()
        self.dep_names = atlas.names("departement").to_dict()
        self.reg_names = atlas.names("region").to_dict()
        main = principal().key
        self.epci_with_pvd = set(com.loc[com[main], EPCI.column].dropna())
        self.table = exports.territory_communes(atlas, [("region", r) for r in atlas.regions["code"]])
        self.stats = {level: atlas.stats(level).set_index("code") for level in (lv.key for lv in AGGREGATED)}
        self.published = date.today().isoformat()

    def plan(self, departements: list[str]) -> None:
        """The pages to write for these départements: their régions, EPCI with a PVD, PVD communes
        (by EPCI), and the default scope when all its départements are in; links go only there."""
        atlas, com = self.atlas, self.atlas.communes
        self.departements = sorted(departements)
        self.regions = sorted(set(atlas.departements.set_index("code").loc[self.departements, REGION.column]))
        chosen = com[com[DEPARTEMENT.column].isin(self.departements) & com[principal().key]]
        self.epcis = {
            code: sorted(part["code"]) for code, part in chosen.groupby(EPCI.column)
        }  # EPCI → its PVD communes published
        self.lone = sorted(chosen.loc[chosen[EPCI.column].isna(), "code"])  # PVD communes without EPCI
        self.scopes = [list(DEFAULT_SCOPE)] if set(DEFAULT_SCOPE) <= set(self.departements) else []
        self.planned = {
            "index.html",
            *(page_path("region", r) for r in self.regions),
            *(page_path("departement", d) for d in self.departements),
            *(page_path("epci", e) for e in self.epcis),
            *(page_path("commune", c) for c in [*chosen["code"]]),
            *(scope_path(p) for p in self.scopes),
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

    def data_files(self, stem: str, frame: pd.DataFrame) -> list[tuple[str, str]]:
        csv = self.write(f"{stem}.csv", exports.to_csv(frame))
        geo = self.write(f"{stem}.geojson", exports.to_geojson(frame, decimals=4))
        return [
            (f"Tableau CSV ({fr_size(csv)})", f"{stem}.csv"),
            (f"Contours GeoJSON ({fr_size(geo)})", f"{stem}.geojson"),
        ]

    def _stats_files(self, stem: str, frame: pd.DataFrame, level: str) -> list[tuple[str, str]]:
        layer = self.atlas.layer(level).set_index("code")["geometry_departement"]
        geo = gpd.GeoDataFrame(frame, geometry=layer.reindex(frame["code"]).to_numpy(), crs=4326)
        csv = self.write(f"{stem}.csv", exports.to_csv(frame))
        gj = self.write(f"{stem}.geojson", exports.to_geojson(geo, decimals=4))
        return [
            (f"Tableau CSV ({fr_size(csv)})", f"{stem}.csv"),
            (f"Contours GeoJSON ({fr_size(gj)})", f"{stem}.geojson"),
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
