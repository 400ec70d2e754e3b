"""Page sections: the commune page, the comparison map, exports (maps, charts, data), the programme
in time. They work on the loaded atlas: this module imports pandas (through :mod:`pvd_geo.views`)
at the top, so the first screen of the overview does not import it; matplotlib only where a
figure is drawn."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from .. import programmes, views
from ..budget import OverBudget
from ..constants import (
    EMBEDDED_DIR,
    selection_dir,
)
from ..format import fr_date, fr_int
from ..levels import Level
from ..webmap import spec as webmap

if TYPE_CHECKING:
    from ..atlas import Atlas

from .loaders import shared, sources_of
from .mapview import _communes_map, show_map
from .state import (
    go,
    new_work,
    on_request_choice,
    open_click,
    own_column,
    own_lists_shown,
    set_url_list,
    tiles_choice,
    url_list,
)
from .text import md
from .widgets import MISSING, columns_html, figure, table_html


def commune_page(p: views.CommuneProfile) -> None:
    """Name, figures, EPCI, status and dates in each programme, and the local programme."""
    st.title(md(p.nom))
    st.markdown(
        f"**Code INSEE** : {md(p.code)} · **Population** : {fr_int(p.population)} habitants "
        f"(population municipale, millésime {md(p.population_millesime)})  \n"
        f"**Département** : {md(p.departement[1])} ({md(p.departement[0])}) · "
        f"**Région** : {md(p.region[1])}"
    )
    st.markdown("\n".join(f"- {line}" for line in programme_lines(p)))
    if p.sans_contour:
        where = f"de {md(p.contour_de)}" if p.contour_de else "d'une commune voisine"
        st.info(
            "Cette commune n'a pas de contour dans les données de l'atlas (commune rétablie depuis le "
            "millésime des contours) : elle n'est pas dessinée sur les cartes, son territoire y est "
            f"compris dans le contour {where}. Ses chiffres sont comptés."
        )
    if p.contour_englobe:
        n = len(p.contour_englobe)
        st.info(
            f"Le contour de {md(p.nom)} sur les cartes de l'atlas englobe aussi {n} commune"
            f"{'s' if n > 1 else ''} rétablie{'s' if n > 1 else ''} depuis le millésime des contours, "
            f"sans contour propre : {', '.join(md(x) for x in p.contour_englobe)}. Sa surface dessinée "
            "est donc celle de l'ancienne commune nouvelle ; ses chiffres sont les siens."
        )
    if p.epci:
        st.markdown(f"**EPCI** : {md(p.epci[1])} ({md(p.epci[0])})")
        st.markdown(
            "\n".join(
                f"- autres communes {md(programmes.get(k).communes)} de l'EPCI : "
                + (", ".join(md(n) for n in names) if names else "aucune")
                for k, names in p.epci_programmes.items()
                if p.statuts.get(k) is not None
            )
        )
    local = p.projet_local
    if not local:
        st.info("Pas encore de projet local renseigné pour cette commune.")
        return
    st.subheader("Projet local")
    if local.get("ort"):
        st.markdown(md(local["ort"]))
    if local.get("orientations"):
        st.markdown(f"**{len(local['orientations'])} orientations stratégiques**")
        st.markdown("\n".join(f"{i}. {md(o)}" for i, o in enumerate(local["orientations"], 1)))
    if local.get("actions"):
        until = f" jusqu'en {md(local['actions_jusqu_en'])}" if local.get("actions_jusqu_en") else ""
        st.markdown(f"**{md(local['actions'])} actions** inscrites au plan d'actions{until}.")
    if local.get("projets"):
        st.markdown("**Principaux projets**")
        st.markdown("\n".join(f"- {md(x)}" for x in local["projets"]))
    st.caption(f"Source : {md(local.get('source', 'non précisée'))}")


def programme_lines(p: views.CommuneProfile) -> list[str]:
    """One line per programme: in it (with its date), not in it, or unknown (list not loaded here).
    The ORT line reconciles the list with the local programme's own date (``ort_signee_le``), a
    source of its own, named."""
    local = p.projet_local or {}
    signed = fr_date(local.get("ort_signee_le")) if local.get("ort_signee_le") else None
    cited = f"projet local (source : {md(local.get('source', 'non précisée'))})"
    lines = []
    for key, status in p.statuts.items():
        label = md(programmes.get(key).nom)
        from_local = key == "ort" and signed
        if status is None:  # not « non »: the list loaded does not speak for this département
            if from_local:
                text = (
                    f"**{label}** : oui, le {md(signed)} selon le {cited} ; "
                    "la liste chargée ne couvre pas ce département"
                )
            else:
                text = f"**{label}** : non couverte par la liste chargée (ce département n'y est pas)"
                if key == "ort" and local.get("ort"):  # the local text below is a source of its own
                    text += f" ; le {cited} ci-dessous en dit plus"
            lines.append(text)
        elif status:
            date = p.dates.get(key)
            if date:
                when = f"{programmes.get(key).mot_date} {md(date)}"
            elif from_local:
                when = f"le {md(signed)} selon le {cited}"
            else:
                when = "date non renseignée"
            lines.append(f"**{label}** : oui, {when}")
        elif from_local:  # the two sources disagree: both are said
            lines.append(
                f"**{label}** : absente de la liste chargée ; signée le {md(signed)} selon le {cited}"
            )
        else:
            lines.append(f"**{label}** : non")
    return lines


def _slug(pairs: tuple) -> str:
    return "_".join(f"{lvl[:3]}{code}" for lvl, code in pairs)


# Export files: st.cache_data (each download gets its own copy), keyed by the data's fingerprint and
# the choices; the atlas itself is passed unhashed (``_atlas``, Streamlit's convention).


@st.cache_data(max_entries=16, show_spinner="Préparation de la carte…")
def _static_map_bytes(_atlas: Atlas, fingerprint: str, pairs: tuple, fmt: str) -> bytes:
    from .. import figures

    with new_work():
        return figures.encode(figures.static_map(_atlas, list(pairs)), fmt)


def download_static_map(atlas: Atlas, pairs: tuple, fmt: str) -> None:
    """Prepare on demand (a few seconds), then offer the file."""
    from ..figures import CoverageError, check_coverage

    try:
        check_coverage(atlas, list(pairs))
    except CoverageError as exc:
        st.warning(f"Carte de presse refusée : {md(exc)}")
        return
    key = f"carte_{_slug(pairs)}_{fmt}"
    if st.button("Préparer la carte", key=f"prep_{key}") or st.session_state.get(key):
        st.session_state[key] = True
        try:
            data = _static_map_bytes(atlas, atlas.fingerprint, pairs, fmt)
        except OverBudget as exc:
            st.warning(exc.french("cette carte de presse"))
            return
        mime = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}[fmt]
        st.download_button(
            f"Télécharger la carte ({fmt.upper()}, {len(data) // 1000} Ko)",
            data,
            file_name=f"pvd_{_slug(pairs)}.{fmt}",
            mime=mime,
            key=f"dl_{key}",
            on_click="ignore",
        )
        if fmt == "png":
            st.image(data, width="stretch")


@st.cache_data(max_entries=32, show_spinner=False)
def _chart_bytes(_atlas: Atlas, fingerprint: str, pairs: tuple, level: str, fmt: str) -> bytes:
    from .. import exports, figures

    atlas = _atlas
    title = f"Communes Petites villes de demain par {Level.of(level).label}"
    table = exports.territory_stats(atlas, list(pairs), level)
    with new_work():
        return figures.encode(figures.bar_chart(table, title, sources_of(atlas)), fmt)


def download_chart(atlas: Atlas, pairs: tuple, level: str, fmt: str) -> None:
    """The bar chart, rendered once per choice (cached), offered as a file."""
    from ..figures import CoverageError

    try:
        data = _chart_bytes(atlas, atlas.fingerprint, pairs, level, fmt)
    except CoverageError as exc:
        st.warning(f"Graphique indisponible : {md(exc)}")
        return
    except OverBudget as exc:
        st.warning(exc.french("ce graphique"))
        return
    st.download_button(
        f"Télécharger le graphique ({fmt.upper()})",
        data,
        file_name=f"pvd_{level}_{_slug(pairs)}.{fmt}",
        mime="image/png" if fmt == "png" else "image/svg+xml",
        key=f"dl_chart_{level}_{fmt}",
        on_click="ignore",
    )


def download_data(atlas: Atlas, pairs: tuple, sep: str) -> None:
    from .. import exports

    communes = exports.territory_communes(atlas, list(pairs))
    figures_table = shared(views.compare, atlas, list(pairs)).reset_index(names="indicateur")
    files = [
        (
            "Communes (CSV)",
            exports.to_csv(communes, sep),
            f"communes_{_slug(pairs)}.csv",
            "text/csv",
            "dl_csv",
        ),
        (
            "Communes (GeoJSON)",
            exports.to_geojson(communes),
            f"communes_{_slug(pairs)}.geojson",
            "application/geo+json",
            "dl_geojson",
        ),
        (
            "Chiffres clés (CSV)",
            exports.to_csv(figures_table, sep),
            f"chiffres_{_slug(pairs)}.csv",
            "text/csv",
            "dl_figures",
        ),
    ]
    for col, (label, data, name, mime, key) in zip(st.columns(3), files, strict=True):
        col.download_button(label, data, file_name=name, mime=mime, key=key, on_click="ignore")


def with_own_counts(atlas: Atlas, table, level: str):
    """The counts table with one column per own list of this session (missing outside what the
    list covers, as for the official lists)."""
    own = own_lists_shown()
    if not own:
        return table
    return views.own_counts(atlas, table, level, own, own_column)


@st.cache_data(max_entries=32, show_spinner=False)
def _timeline_bytes(
    _atlas: Atlas, fingerprint: str, departements: tuple, freq: str, fmt: str, title: str
) -> bytes:
    from .. import exports, figures

    atlas = _atlas
    table = views.conventions(atlas, list(departements), freq)
    if fmt == "csv":
        return exports.to_csv(table, ";")
    with new_work():  # a chart drawn (≈ 0.6 s each): on demand, on the reader's budget
        return figures.encode(figures.timeline_chart(table, title, sources_of(atlas)), fmt)


def timeline_section(atlas: Atlas, departements: list[str], name: str) -> None:
    """« Le programme dans le temps »: PVD conventions per quarter or month (chart, PNG/SVG/CSV), and
    the communes that joined since the oldest version of the list kept here."""
    st.subheader("Le programme dans le temps")
    if not atlas.covers("pvd", departements):
        st.info("Chronologie indisponible : la liste PVD chargée ne couvre pas ce périmètre.")
        return
    freq = st.radio(
        "Par", ["Q", "M"], horizontal=True, key="chrono_pas", format_func={"Q": "trimestre", "M": "mois"}.get
    )
    table = shared(views.conventions, atlas, list(departements), freq)
    missing = table.attrs.get("sans_date", 0)
    title = f"Conventions Petites villes de demain signées — {name}"
    if table.empty:
        st.info(f"Aucune date de convention dans la liste chargée ({fr_int(missing)} communes sans date).")
    else:
        st.html(columns_html(table, f"Conventions signées par {'trimestre' if freq == 'Q' else 'mois'}"))
        st.caption(
            f"{fr_int(int(table['conventions'].sum()))} conventions datées"
            + (f", {fr_int(missing)} communes sans date dans la liste" if missing else "")
            + ". "
            + md(sources_of(atlas))
        )
        cols = st.columns(3)
        args = (atlas, atlas.fingerprint, tuple(departements), freq)
        cols[0].download_button(
            "Chronologie (CSV)",
            _timeline_bytes(*args, "csv", title),
            file_name=f"pvd_conventions_{freq}.csv",
            mime="text/csv",
            key="dl_chrono_csv",
            on_click="ignore",
        )
        # the charts are drawn only when asked for (each costs the server ≈ 0.6 s)
        asked = f"chrono_graphiques_{freq}_{_slug(tuple(('departement', d) for d in departements))}"
        if cols[1].button("Préparer la chronologie en image", key="prep_chrono") or st.session_state.get(
            asked
        ):
            st.session_state[asked] = True
            try:
                for col, fmt, mime in ((cols[1], "png", "image/png"), (cols[2], "svg", "image/svg+xml")):
                    col.download_button(
                        f"Chronologie ({fmt.upper()})",
                        _timeline_bytes(*args, fmt, title),
                        file_name=f"pvd_conventions_{freq}.{fmt}",
                        mime=mime,
                        key=f"dl_chrono_{fmt}",
                        on_click="ignore",
                    )
            except OverBudget as exc:
                st.warning(exc.french("la chronologie"))
    list_changes_section(atlas, departements, key="chrono")


def _file_key(path) -> tuple[str, int, int]:
    stat = Path(path).stat()
    return (str(path), stat.st_size, stat.st_mtime_ns)


@st.cache_data(max_entries=32, show_spinner=False)
def _list_changes(_atlas: Atlas, fingerprint: str, old: tuple, new: tuple, departements: tuple | None):
    """Two list versions compared (files keyed by path, size and date), once per pair and scope."""
    return views.list_changes(
        _atlas, old[0], new[0], list(departements) if departements is not None else None
    )


def list_changes_section(
    atlas: Atlas, departements: list[str] | None, key: str, programme: str = "pvd"
) -> None:
    """Two versions of a programme's list compared (the oldest kept and the one in use by default):
    communes added and removed."""
    versions = views.list_versions(programme, selection_dir(), EMBEDDED_DIR)
    if len(versions) < 2:
        st.caption(
            "Une seule version de la liste est disponible ici : les entrées et sorties apparaîtront "
            "après une mise à jour (les versions remplacées sont gardées dans l'historique)."
        )
        return
    labels = [v.label for v in versions]
    covers = [v.couverture for v in versions]
    # by default, the oldest version covering what the list in use covers: comparing an extract
    # of two départements with a national list would count every other commune as « entrée »
    same = [i for i in range(1, len(versions)) if covers[i] == covers[0]]
    cols = st.columns(2)
    old = cols[0].selectbox(
        "Version de départ", labels, index=same[-1] if same else len(labels) - 1, key=f"{key}_avant"
    )
    new = cols[1].selectbox("Comparée à", labels, index=0, key=f"{key}_apres")
    paths = {v.label: v.path for v in versions}
    scope = set(departements) if departements else None
    cover_old, cover_new = covers[labels.index(old)], covers[labels.index(new)]
    if cover_old != cover_new:
        everywhere = set(atlas.departements["code"])
        common = (set(cover_old) if cover_old else everywhere) & (set(cover_new) if cover_new else everywhere)
        scope = common if scope is None else scope & common
        names = atlas.names("departement")
        st.caption(
            "Les deux versions ne couvrent pas les mêmes départements : la comparaison se limite à "
            + (md(", ".join(names.get(d, d) for d in sorted(scope))) if scope else "aucun département")
            + " (couverts par les deux)."
        )
    changes = _list_changes(
        atlas,
        atlas.fingerprint,
        _file_key(paths[old]),
        _file_key(paths[new]),
        tuple(sorted(scope)) if scope is not None else None,
    )
    added = int((changes["changement"] == "ajoutée").sum())
    st.markdown(
        f"**{fr_int(added)} communes entrées**, **{fr_int(len(changes) - added)} sorties** "
        f"entre « {md(old)} » et « {md(new)} »."
    )
    st.dataframe(changes.rename(columns=views.CHANGE_HEADERS), hide_index=True, width="stretch")


def comparison_map(
    atlas: Atlas, level: str, code: str, others: list[tuple[str, str]], title: str, key: str
) -> None:
    """A territory's communes at the zoom shared by all compared territories (same scale)."""
    scopes = {pair: views.comparison_scope(atlas, *pair) for pair in others}
    width = {2: 420, 3: 270, 4: 200}.get(len(others), 200)
    zoom = webmap.common_zoom([shared(views.scope_bounds, atlas, *s) for s in scopes.values()], width, 440)
    deps, epci = scopes[(level, code)]
    try:
        fmap = _communes_map(
            tuple(deps),
            epci,
            tiles_choice(),
            title,
            atlas.fingerprint,
            zoom=zoom,
            on_request=on_request_choice(),
            own=own_lists_shown(),
        )
    except OverBudget as exc:
        st.warning(exc.french("cette carte"))
        return
    open_click(show_map(fmap, key, height=480))


def show_breadcrumb(atlas: Atlas, loc: views.Location) -> None:
    """Clickable path France › région › département › EPCI › commune."""
    crumbs = shared(views.breadcrumb, atlas, loc)
    with st.container(key="fil-ariane"):  # one line on a phone (PHONE_CSS)
        cols = st.columns(len(crumbs) + 1 if len(crumbs) < 5 else len(crumbs))
    for i, (label, target) in enumerate(crumbs):
        last = i == len(crumbs) - 1
        if cols[i].button(("› " if i else "") + md(label), key=f"crumb_{i}", disabled=last, type="tertiary"):
            go(target)


def stats_html(table) -> str:
    """The figures per territory as an HTML table (:func:`widgets.table_html`): French number
    formats, « – » where a list stops; sorted by PVD count as the views give them."""
    shown = views.display_table(table)
    text = {"Code", *[c for c in shown.columns if c.startswith("Liste ")]}
    columns = [c for c in shown.columns if c != "Nom"]
    rows = [
        (
            str(row["Nom"]),
            [str(row[c]) if c in text else figure(row[c], decimals=c.endswith("(%)")) for c in columns],
        )
        for _, row in shown.iterrows()
    ]
    return table_html(
        ["Nom", *columns], rows, "Chiffres par territoire", f"{MISSING} Le tableau en CSV : page Exporter."
    )


def stats_table(table) -> None:
    """Figures per territory (:func:`stats_html`), sorted by PVD count as the views give them."""
    st.html(stats_html(table))


def territory_selector(atlas: Atlas, label: str, key: str, max_selections: int | None = None):
    """Régions, départements or EPCI to pick (kept in the URL as ``?t=``): ([(level, code)], labels)."""
    labels = {f"{lvl}:{code}": text for lvl, code, text in shared(views.territory_options, atlas)}
    chosen = st.multiselect(
        label,
        list(labels),
        default=url_list("t", ["departement:30", "departement:32"], list(labels), max_selections),
        format_func=labels.get,
        key=key,
        max_selections=max_selections,
    )
    set_url_list("t", chosen)
    return [tuple(c.split(":", 1)) for c in chosen], labels


def sources_table(atlas: Atlas) -> None:
    meta = atlas.meta
    rows = [
        ("Contours des communes", meta.get("contours", "")),
        ("Populations", meta.get("population", "")),
        ("Composition des EPCI", meta.get("epci_composition", "")),
        *(("Liste en usage", line) for line in views.lists_summary(atlas)),
        ("Données construites le", meta.get("construit_le", "")),
    ]
    st.dataframe(
        {"donnée": [r[0] for r in rows], "source et millésime": [r[1] for r in rows]},
        hide_index=True,
        width="stretch",
    )
