"""What every plugin of the atlas shares: where its files are served and how its data reaches the
browser (one JSON value, prepared once: a template with nothing else to render)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template


def dumps(spec: dict) -> str:
    """JSON safe inside a ``<script>`` element and through branca's second Jinja render: ``<``,
    ``>``, ``&`` and ``'`` escaped as ``\\u00XX``; a ``{`` followed by ``{ % #`` (only possible
    inside a string) escaped too, so no name can open a template tag."""
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&'":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return re.sub(r"\{(?=[{%#])", r"\\u007b", text)


@dataclass(frozen=True)
class Assets:
    """URL prefixes of the files a map loads, all served by the atlas itself: ``vendor`` for the
    npm packages (``leaflet/leaflet.js``…), ``own`` for the plugins' files (``core.js``…),
    ``version`` added to the own files' addresses so that a browser never keeps an old copy.

    ``bundled``: every map loads one script and one stylesheet (``bundle/atlas.js``, ``.css``
    under ``vendor``: the same files concatenated in loading order, see :func:`bundle_texts`)
    instead of ten scripts one after the other and three stylesheets."""

    vendor: str
    own: str
    version: str = ""
    bundled: bool = False

    def vendor_url(self, path: str) -> str:
        return self.vendor + path

    def own_url(self, name: str) -> str:
        return self.own + name + self._query()

    def _query(self) -> str:
        return f"?v={self.version}" if self.version else ""

    def js(self, name: str, url: str) -> tuple[str, str]:
        """The (name, URL) of a script in a map's header: itself, or the bundle (one name: once)."""
        return ("pvd-bundle", self.vendor + BUNDLE_JS + self._query()) if self.bundled else (name, url)

    def css_link(self, name: str, url: str) -> tuple[str, str]:
        """The (name, URL) of a stylesheet: itself, or the bundle's."""
        return ("pvd-bundle", self.vendor + BUNDLE_CSS + self._query()) if self.bundled else (name, url)


LEAFLET_JS = "leaflet/leaflet.js"
LEAFLET_CSS = "leaflet/leaflet.css"
BUNDLE_JS = "bundle/atlas.js"
BUNDLE_CSS = "bundle/atlas.css"


class ScriptText(Element):
    """A script already rendered, added to the figure as it is (branca's ``Element(text)`` would
    compile the text as a template: milliseconds for a map's data, on every run)."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class AtlasPlugin(JSCSSMixin, MacroElement):
    """A folium plugin of the atlas: its script calls ``pvdAtlas.<function>(map, data, options)``
    from its own file (``pvd_geo/webmap/static/<script>``), after the shared ``core.js``.

    ``data`` is JSON text prepared once per map (:func:`pvd_geo.webmap.maps.prepare`): safe in a
    ``<script>`` element and through branca's second template pass (:func:`dumps`)."""

    function = ""
    script = ""
    vendor_js: tuple[str, ...] = ()
    vendor_css: tuple[str, ...] = ()
    css: tuple[str, ...] = ("atlas.css",)
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "pvdAtlas.{{ this.function }}({{ this._parent.get_name() }}, {{ this.data }}, {{ this.options }});"
        "{% endmacro %}"
    )

    def __init__(self, data: str, assets: Assets, options: str = "{}"):
        super().__init__()
        self._name = type(self).__name__
        self._id = self.function  # stable names: the same map renders the same script
        self.data = data
        self.options = options
        self.default_js = list(
            dict.fromkeys(
                assets.js(*link)
                for link in (
                    *((path, assets.vendor_url(path)) for path in self.vendor_js),
                    ("pvd-core", assets.own_url("core.js")),
                    (f"pvd-{self.script}", assets.own_url(self.script)),
                )
            )
        )
        self.default_css = list(
            dict.fromkeys(
                assets.css_link(*link)
                for link in (
                    *((path, assets.vendor_url(path)) for path in self.vendor_css),
                    *((f"pvd-{name}", assets.own_url(name)) for name in self.css),
                )
            )
        )

    @classmethod
    def files(cls) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The plugin's scripts and stylesheets in loading order: ("vendor" | "own", path)."""
        js = [*(("vendor", p) for p in cls.vendor_js), ("own", "core.js"), ("own", cls.script)]
        css = [*(("vendor", p) for p in cls.vendor_css), *(("own", p) for p in cls.css)]
        return js, css

    def render(self, **kwargs) -> None:
        """Links in the figure's header (as ``JSCSSMixin``) and the script, rendered once."""
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        figure.script.add_child(ScriptText(self._template.module.script(self, kwargs)), name=self.get_name())
