"""Join a selection list to the communes by INSEE code, with a report of every row."""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

from dataclasses import dataclass

import pandas as pd

from .codes import CodeError, cle_recherche, normalise_insee
from .errors import InvalidInput
from .programmes import principal

REPORT_COLUMNS = ["ligne", "code_fichier", "nom_fichier", "code", "nom", "statut", "message"]
KEPT, RESOLVED, REJECTED = "conservée", "résolue", "rejetée"
# A row whose commune is already counted through another row because communes merged (an old
# code and the new one, or several old codes of one new commune): counted once, reported.
MERGED = "regroupée"


@dataclass(frozen=True)
class SelectionResult:
    """Outcome of a join: the selected commune codes and one report row per input row."""

    programme: str
    rows: pd.DataFrame  # the input rows, with ``code`` (reference commune) where matched
    report: pd.DataFrame  # REPORT_COLUMNS

    @property
    def codes(self) -> list[str]:
        """Reference codes of the communes kept or resolved, in file order."""
        ok = self.report["statut"].isin([KEPT, RESOLVED])
        return self.report.loc[ok, "code"].tolist()

    def kept_rows(self) -> pd.DataFrame:
        """The input rows kept or resolved, with their reference ``code`` and ``nom`` (what is saved)."""
        ok = self.report["statut"].isin([KEPT, RESOLVED]).to_numpy()
        return self.rows[ok].assign(
            code=self.report.loc[ok, "code"].to_numpy(), nom=self.report.loc[ok, "nom"].to_numpy()
        )

    def notable_rows(self) -> tuple[dict, ...]:
        """Rows not kept as written (resolved, merged, rejected) and rows kept with a remark (a
        name that differs from the reference), as plain records for the list's description: what
        ``check`` shows later, the saved list itself no longer carrying them."""
        rows = self.report[(self.report["statut"] != KEPT) | (self.report["message"] != "")]
        return tuple(
            {k: (int(v) if k == "ligne" else str(v)) for k, v in r.items()} for r in rows.to_dict("records")
        )

    def count(self, statut: str) -> int:
        return int((self.report["statut"] == statut).sum())

    @property
    def warnings(self) -> pd.DataFrame:
        """Rows kept with a remark (a name that differs from the reference)."""
        return self.report[(self.report["statut"] == KEPT) & (self.report["message"] != "")]

    def summary(self) -> str:
        return (
            f"{self.programme} : {self.count(KEPT)} conservées, {self.count(RESOLVED)} résolues, "
            + (f"{self.count(MERGED)} regroupées, " if self.count(MERGED) else "")
            + f"{self.count(REJECTED)} rejetées, {len(self.warnings)} avertissements"
        )


def _normalise(value: str) -> tuple[str | None, str]:
    try:
        return normalise_insee(value), ""
    except CodeError as exc:
        return None, str(exc)


def _check_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidInput(f"{what} : colonnes manquantes {missing}")


def join_selection(
    rows: pd.DataFrame, communes: pd.DataFrame, rattachees: pd.DataFrame, programme: str | None = None
) -> SelectionResult:
    """Match each row's code to a commune; resolve communes déléguées/associées to their parent.

    ``rows``: ``ligne``, ``code_fichier``, ``nom_fichier`` (see :mod:`pvd_geo.sources.anct`).
    ``communes``: ``code``, ``nom``; ``rattachees``: ``code``, ``nom``, ``type``, ``parent``.
    """
    _check_columns(rows, ["ligne", "code_fichier", "nom_fichier"], "liste")
    _check_columns(communes, ["code", "nom"], "communes")
    _check_columns(rattachees, ["code", "nom", "type", "parent"], "communes rattachées")
    parsed = [_normalise(v) for v in rows["code_fichier"]]
    frame = rows.reset_index(drop=True).assign(
        code_norm=[p[0] for p in parsed], message=[p[1] for p in parsed]
    )
    wanted = frame["code_norm"].dropna().unique()  # merge only the rows concerned (fast on 35,000)
    ref = communes.loc[communes["code"].isin(wanted), ["code", "nom"]]
    ref = ref.rename(columns={"code": "code_norm", "nom": "nom_ref"})
    frame = frame.merge(ref, on="code_norm", how="left", validate="m:1", indicator="m_commune")
    att = (
        rattachees.loc[rattachees["code"].isin(wanted), ["code", "nom", "type", "parent"]]
        .drop_duplicates("code")
        .rename(columns={"code": "code_norm", "nom": "nom_rattachee", "type": "type_rattachee"})
    )
    frame = frame.merge(att, on="code_norm", how="left", validate="m:1", indicator="m_rattachee")
    parents = communes[communes["code"].isin(frame["parent"].dropna())]
    parent_names = dict(zip(parents["code"].tolist(), parents["nom"].tolist()))

    statut, code, nom, message = [], [], [], []
    seen: dict[str, tuple[int, str]] = {}  # code → (first line, its statut)
    for row in frame.itertuples(index=False):
        s, c, n, m = _classify(row, parent_names)
        if c is not None and c in seen and RESOLVED in (s, seen[c][1]):
            s, m = (
                MERGED,
                (
                    f"{row.code_norm} : même commune actuelle que la ligne {seen[c][0]} ({n}, {c}) "
                    "depuis une fusion — comptée une fois"
                ),
            )
        elif c is not None and c in seen:
            s, m = REJECTED, f"doublon : la commune {c} figure déjà ligne {seen[c][0]}"
        elif c is not None:
            seen[c] = (row.ligne, s)
        statut.append(s), code.append(c if s != REJECTED else (c or "")), nom.append(n), message.append(m)
    report = pd.DataFrame(
        {
            "ligne": frame["ligne"],
            "code_fichier": frame["code_fichier"],
            "nom_fichier": frame["nom_fichier"],
            "code": code,
            "nom": nom,
            "statut": statut,
            "message": message,
        }
    )[REPORT_COLUMNS]
    matched = rows.reset_index(drop=True).assign(
        code=[c if s != REJECTED else None for c, s in zip(code, statut)]
    )
    return SelectionResult(programme=programme or principal().key, rows=matched, report=report)


_TYPE_LABEL = {"COMD": "commune déléguée", "COMA": "commune associée", "ARM": "arrondissement municipal"}
FORMER = "ANCIEN"  # a former code of a merged commune (Etalab's anciensCodes)


def _classify(row, parent_names: dict[str, str]) -> tuple[str, str | None, str, str]:
    """(statut, reference code, reference name, message) for one merged row."""
    if pd.isna(row.code_norm):
        return REJECTED, None, "", row.message
    if row.m_commune == "both":
        message = ""
        if row.nom_fichier and cle_recherche(row.nom_fichier) != cle_recherche(row.nom_ref):
            message = (
                f"nom différent : « {row.nom_fichier} » dans le fichier, « {row.nom_ref} » dans la référence"
            )
        return KEPT, row.code_norm, row.nom_ref, message
    if row.m_rattachee == "both" and row.parent in parent_names and row.type_rattachee == FORMER:
        name = f" ({row.nom_fichier})" if row.nom_fichier else ""
        return (
            RESOLVED,
            row.parent,
            parent_names[row.parent],
            (
                f"{row.code_norm}{name} est l'ancien code d'une commune fusionnée : aujourd'hui "
                f"{parent_names[row.parent]} ({row.parent}) (Etalab, anciensCodes)"
            ),
        )
    if row.m_rattachee == "both" and row.parent in parent_names:
        label = _TYPE_LABEL.get(row.type_rattachee, "commune rattachée")
        return (
            RESOLVED,
            row.parent,
            parent_names[row.parent],
            (
                f"{row.code_norm} est une {label} ({row.nom_rattachee}) : rattachée à "
                f"{parent_names[row.parent]} ({row.parent})"
            ),
        )
    return REJECTED, None, "", f"code inconnu : {row.code_norm} ne correspond à aucune commune actuelle"
