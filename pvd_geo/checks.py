"""``check``: what the build and the lists in use are made of, and every row a list lost — the
report kept when it was saved (rejected, resolved, merged, warned) and the rows rejected now."""

from __future__ import annotations

from pathlib import Path

from .selection import KEPT, MERGED, REJECTED, RESOLVED


def row_lines(title: str, rows) -> list[str]:
    """« ligne 12 : 30210 Quissac — message » under ``title`` (nothing for no row)."""
    if rows.empty:
        return []
    out = [f"  {title} :"]
    for row in rows.itertuples(index=False):
        out.append(f"    ligne {row.ligne} : {row.code_fichier} {row.nom_fichier} — {row.message}")
    return out


def check(atlas) -> tuple[list[str], int]:
    """The lines of the check, and the number of rows rejected (at saving and now)."""
    from .build import content_digest

    meta = atlas.meta
    lines = [
        f"Contours : {meta['contours']} — {len(atlas.communes)} communes, {len(atlas.epci)} EPCI, "
        f"{len(atlas.departements)} départements, {len(atlas.regions)} régions",
        f"Population : {meta['population']}",
        f"Empreinte du contenu de la construction : {content_digest(Path(atlas.directory))}",
    ]
    if meta.get("communes_sans_contour"):
        lines.append(f"Communes sans contour : {', '.join(meta['communes_sans_contour'])}")
    for key, label in (
        ("absentes_etalab", "Communes de la géographie absentes d'Etalab"),
        ("absentes_geographie", "Communes d'Etalab absentes de la géographie"),
    ):
        codes = meta.get(key, [])
        if codes:
            more = f" … (+{len(codes) - 20})" if len(codes) > 20 else ""
            lines.append(f"{label} ({len(codes)}) : {', '.join(codes[:20])}{more}")
    rejected = 0
    for programme, result in atlas.selections.items():
        info = atlas.descriptions.get(programme)
        if info is not None and info.rapport:
            saved = [r["statut"] for r in info.rapport]
            warned = sum(1 for r in info.rapport if r["statut"] == KEPT)
            lines.append(
                f"{programme} : à l'enregistrement de {info.source or 'la liste'} : "
                f"{saved.count(REJECTED)} rejetées, {saved.count(RESOLVED)} résolues, "
                f"{saved.count(MERGED)} regroupées, {warned} avertissements"
            )
            for r in info.rapport:
                row = f"{r['code_fichier']} {r['nom_fichier']}".strip()
                lines.append(f"    ligne {r['ligne']} : {row} — {r['statut']} : {r['message']}")
            rejected += saved.count(REJECTED)
        lines.append(result.summary() + (" (liste enregistrée)" if info is not None and info.rapport else ""))
        report = result.report
        lines += row_lines("résolues", report[report["statut"] == RESOLVED])
        lines += row_lines("rejetées", report[report["statut"] == REJECTED])
        lines += row_lines("avertissements", result.warnings)
        rejected += result.count(REJECTED)
    return lines, rejected
