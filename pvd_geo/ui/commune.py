"""The commune page: its figures, its status and date in each programme (the ORT reconciled
with its local project), its EPCI, its local project."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from .. import programmes, views
from ..format import fr_date, fr_int

if TYPE_CHECKING:
    pass

from .text import md


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
