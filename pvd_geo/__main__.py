"""Command line: ``python -m pvd_geo build | check | stats``. Messages in French; exit 0 on success."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import programmes
from .atlas import load_atlas
from .auth import operator
from .checks import row_lines
from .constants import build_dir, cache_dir, lists_dir, site_url
from .errors import PvdError
from .format import format_table
from .levels import AGGREGATED, Level
from .selection import REJECTED, RESOLVED
from .stats import STATS_COLUMNS, columns, headers, stats_csv, with_population_vintage


def _lists(args: argparse.Namespace) -> Path:
    return Path(args.listes) if args.listes else lists_dir()


def _progress_bar(step: str, fraction: float) -> None:
    width = 30
    done = int(round(fraction * width))
    end = "\n" if fraction >= 1 else ""
    sys.stderr.write(f"\r[{'#' * done}{' ' * (width - done)}] {fraction * 100:3.0f} % {step:<28}{end}")
    sys.stderr.flush()


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build  # heavy imports only for this command

    out = Path(args.sortie) if args.sortie else build_dir()
    cache = None if args.hors_ligne else cache_dir()
    report = build(
        out, admin_express=args.admin_express, cache=cache, progress=None if args.quiet else _progress_bar
    )
    for message in report.messages:
        print(f"Remarque : {message}")
    for name, rows in report.files.items():
        print(f"Écrit {out / name} ({rows} lignes)")
    print(f"Construction terminée en {report.seconds:.1f} s.")
    return 0


def cmd_warm(args: argparse.Namespace) -> int:
    import logging

    from .ui.warm import warm

    # the pages run headless: Streamlit's "missing ScriptRunContext" warnings are expected here
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "ScriptRunContext" not in record.getMessage()
    )
    try:
        for label, seconds in warm():
            print(f"Carte prête : {label} ({seconds:.1f} s)")
    except RuntimeError as exc:
        print(f"Erreur : cartes non préparées ({exc}).", file=sys.stderr)
        return 1
    return 0


def cmd_assets(args: argparse.Namespace) -> int:
    from .assets import VENDOR_DIR, install_assets
    from .sources.npm import NpmUnavailable

    try:
        installed = install_assets()
    except NpmUnavailable as exc:
        print(f"Erreur : ressources des cartes non installées ({exc}).", file=sys.stderr)
        return 2
    print(f"Ressources des cartes installées dans {VENDOR_DIR} : {', '.join(installed)}")
    return 0


def _print_rows(title: str, rows) -> None:
    for line in row_lines(title, rows):
        print(line)


def cmd_check(args: argparse.Namespace) -> int:
    from .checks import check

    lines, rejected = check(load_atlas(args.build, _lists(args)))
    print("\n".join(lines))
    if rejected:
        print(f"Vérification : {rejected} lignes rejetées.")
        return 1
    print("Vérification : tout est conforme.")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    atlas = load_atlas(args.build, _lists(args))
    departement = None
    if args.departement:
        from .codes import normalise_departement

        departement = normalise_departement(args.departement)
    table = with_population_vintage(atlas.communes, atlas.stats(args.by, departement), args.by)
    if args.format == "csv":
        sys.stdout.write(stats_csv(table))
    elif args.format == "json":
        records = json.loads(table[columns(vintage=True)].to_json(orient="records", force_ascii=False))
        print(json.dumps(records, ensure_ascii=False, indent=1))
    else:
        print(f"Par {Level.of(args.by).label} — population : {atlas.meta['population']}")
        for line in _coverage_lines(atlas):
            print(line)
        added = [p.key for p in programmes.registry() if p.key not in STATS_COLUMNS]
        print(format_table(table[STATS_COLUMNS + added], headers(short=True)))
        if (table[f"couverture_{programmes.principal().key}"] == "non").any():
            print("– : chiffre inconnu, la liste chargée ne couvre pas ce territoire.")
    return 0


def _coverage_lines(atlas) -> list[str]:
    """One line per list: what it covers and its date, and how to load the national list."""
    from . import views
    from .credits import NATIONAL_COMMAND

    lines = [f"Liste chargée : {text}" for text in views.lists_summary(atlas)]
    if any(atlas.coverage(p) is not None for p in programmes.programme_keys()):
        lines.append(f"Pour charger les listes nationales : {NATIONAL_COMMAND}")
    return lines


def cmd_map(args: argparse.Namespace) -> int:
    from . import figures

    territories = [figures.parse_territoire(t) for t in args.territoire]
    out = Path(args.out)
    fmt = (args.format or out.suffix.lstrip(".")).lower()
    atlas = load_atlas(args.build, _lists(args))
    payload = figures.encode(figures.static_map(atlas, territories), fmt, out)
    print(f"Carte écrite : {out} ({len(payload) / 1e3:.0f} Ko, {fmt.upper()})")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from .publish import publish

    atlas = load_atlas(args.build, _lists(args))
    only = [d.strip() for d in args.departements.split(",") if d.strip()] if args.departements else None
    unknown = sorted(set(only or []) - set(atlas.departements["code"]))
    if unknown:
        print(f"Erreur : département(s) inconnu(s) : {', '.join(unknown)}", file=sys.stderr)
        return 2
    report = publish(atlas, Path(args.out), base_url=args.base_url or site_url(), only=only)
    print("\n".join(report.lines()))
    return 0


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        print("Pas de terminal pour confirmer : relancez avec --yes pour enregistrer.", file=sys.stderr)
        return False
    return input(f"{question} [o/N] ").strip().lower() in ("o", "oui", "y", "yes")


def cmd_import(args: argparse.Namespace) -> int:
    from . import imports
    from .atlas import read_build
    from .sources.anct import read_selection_csv
    from .sources.selections import NATIONAL, programme_file

    target = programme_file(_lists(args), args.programme)
    cover = imports.INFERRED
    if args.couverture == NATIONAL:
        cover = None
    elif args.couverture:
        cover = imports.declared_coverage(args.couverture)  # refused before the file is read
    date = imports.list_date(args.date)
    rows = read_selection_csv(Path(args.fichier))
    built = read_build(args.build)
    print(f"{Path(args.fichier).name} : {len(rows)} lignes lues")
    try:
        prepared = imports.prepare(
            rows, args.programme, _lists(args), built["communes"], built["rattachees"], cover
        )
    except imports.ImportRefused:
        print("Aucune ligne valide : rien n'est enregistré.", file=sys.stderr)
        return 1
    result = prepared.result
    print(result.summary())
    _print_rows("résolues", result.report[result.report["statut"] == RESOLVED])
    _print_rows("rejetées", result.report[result.report["statut"] == REJECTED])
    _print_rows("avertissements", result.warnings)
    if prepared.shrinks and not args.force:
        print(
            f"La liste importée n'a que {prepared.shrink_text()} : rien n'est enregistré (relancez avec "
            "--force si c'est voulu).",
            file=sys.stderr,
        )
        return 1
    info = prepared.describe(source=Path(args.fichier).name, origine="importée", date=date)
    kept = len(prepared.kept)
    print(f"Couverture : {'France entière' if info.couverture is None else ', '.join(info.couverture)}")
    question = f"Remplacer la liste « {args.programme} » ({target}) par ces {kept} communes ?"
    if not args.yes and not _confirm(question):
        print("Rien n'est enregistré.")
        return 1
    written, history = imports.save(prepared, info, _lists(args), writer=operator(), force=args.force)
    print(f"Liste enregistrée : {written} ({kept} communes)")
    if history:
        print(f"Liste précédente conservée : {history}")
    return 0


def _download_progress(received: int, total: int | None) -> None:
    done = f"{received / 1e3:.0f} Ko" + (f" / {total / 1e3:.0f} Ko" if total else "")
    sys.stderr.write(f"\rTéléchargement : {done}   ")
    sys.stderr.flush()


def cmd_setup_lists(args: argparse.Namespace, built) -> int:
    """``update --setup`` (``make run``): every official list fetched with a short time limit; any
    failure is one line and the lists in use (downloaded earlier, else embedded) stay. Exit 0."""
    from .update import setup_lists

    done, failed = setup_lists(_lists(args), built, writer=operator())
    if done:
        print("Listes officielles téléchargées : " + ", ".join(done) + " (détail : python -m pvd_geo check).")
    if failed:
        reasons = " ; ".join(f"{', '.join(names)} : {reason}" for reason, names in failed.items())
        print(
            f"Listes officielles non téléchargées ({reasons}) — l'atlas garde les listes déjà en usage "
            "(par défaut : Gard et Gers)."
        )
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    from .atlas import read_build
    from .update import UpdateRefused, update_selection

    built = read_build(args.build)
    if args.setup:
        return cmd_setup_lists(args, built)
    chosen = [p.key for p in programmes.online()] if args.programme == "all" else [args.programme]
    status = 0
    for programme in chosen:
        url = args.url or programmes.get(programme).official_url()
        print(f"Mise à jour de la liste « {programme} » depuis {url}")
        try:
            done = update_selection(
                programme,
                url,
                _lists(args),
                built["communes"],
                built["rattachees"],
                progress=_download_progress,
                writer=operator(),
            )
        except UpdateRefused as exc:
            sys.stderr.write("\n")
            print(f"Échec : {exc}. La liste en usage n'a pas changé.", file=sys.stderr)
            status = 1
            continue
        sys.stderr.write("\n")
        print(done.result.summary())
        _print_rows("rejetées", done.result.report[done.result.report["statut"] == REJECTED])
        print(
            f"Liste enregistrée : {done.written}"
            + (f" (précédente : {done.history})" if done.history else "")
        )
    return status


def cmd_restore(args: argparse.Namespace) -> int:
    """List a programme's saved versions, or put one back in use."""
    from .sources.selections import history_versions, restore_version

    versions = history_versions(_lists(args), args.programme)
    if not args.version:
        for path in versions:
            print(path.name)
        if not versions:
            print(f"Aucune version précédente de « {args.programme} ».")
        return 0
    chosen = next((p for p in versions if p.name == Path(args.version).name), None)
    if chosen is None:
        print(f"Erreur : version inconnue : {args.version} (voir la liste sans argument)", file=sys.stderr)
        return 2
    written = restore_version(_lists(args), args.programme, chosen, writer=operator())
    print(f"Version remise en usage : {chosen.name} → {written}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pvd_geo", description="Atlas PVD : données et statistiques")
    p.add_argument("--build", type=Path, default=None, help="dossier des données construites")
    p.add_argument(
        "--allow-local",
        action="store_true",
        help="autoriser les téléchargements depuis une adresse locale ou privée et en http "
        "(tests, miroir interne ; équivaut à PVD_ALLOW_LOCAL=1)",
    )
    p.add_argument(
        "--listes",
        "--selections",  # its former name, still accepted
        dest="listes",
        default=None,
        help="dossier des listes en usage (par défaut geodata/listes ; les listes embarquées Gard + Gers "
        "sinon)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="construire geodata/build pour toute la France")
    b.add_argument("--admin-express", type=Path, help="fichier ou dossier IGN ADMIN EXPRESS")
    b.add_argument("--sortie", help="dossier de sortie (par défaut geodata/build)")
    b.add_argument("--hors-ligne", action="store_true", help="ne pas télécharger les populations Etalab")
    b.add_argument("--quiet", action="store_true", help="sans barre de progression")
    b.set_defaults(func=cmd_build)
    a = sub.add_parser("assets", help="installer Leaflet (registre npm) pour les cartes hors ligne")
    a.set_defaults(func=cmd_assets)
    w = sub.add_parser("warm", help="préparer les cartes des vues par défaut (premier affichage rapide)")
    w.set_defaults(func=cmd_warm)
    c = sub.add_parser("check", help="valider les données et les listes")
    c.set_defaults(func=cmd_check)
    m = sub.add_parser("map", help="carte statique (PNG, SVG, PDF) d'un ou plusieurs territoires")
    m.add_argument(
        "--territoire",
        action="append",
        required=True,
        help="dep:32, reg:76 ou epci:SIREN ; répéter pour des panneaux côte à côte",
    )
    m.add_argument("--out", required=True, help="fichier de sortie (.png, .svg ou .pdf)")
    m.add_argument("--format", choices=["png", "svg", "pdf"], help="format (sinon l'extension de --out)")
    m.set_defaults(func=cmd_map)
    i = sub.add_parser("import-selection", help="importer une liste de communes (CSV) après validation")
    i.add_argument("fichier", help="fichier CSV (code INSEE par ligne ; séparateur , ; ou tabulation)")
    i.add_argument(
        "--programme",
        default=programmes.principal().key,
        help=f"{', '.join(programmes.programme_keys())} (défaut : le premier), ou un autre nom de liste",
    )
    i.add_argument("--yes", action="store_true", help="enregistrer sans demander (scripts)")
    i.add_argument(
        "--couverture",
        help="départements que la liste couvre : « nationale » ou des codes (30,32) ; "
        "par défaut ceux où elle a des communes (nationale au-delà de la moitié des départements)",
    )
    i.add_argument("--date", help="date de la liste (AAAA-MM-JJ), citée dans les sources des cartes")
    i.add_argument(
        "--force", action="store_true", help="accepter une liste qui a perdu plus de la moitié des communes"
    )
    i.set_defaults(func=cmd_import)
    u = sub.add_parser("update", help="mettre à jour les listes officielles (data.gouv.fr)")
    u.add_argument("--programme", choices=[p.key for p in programmes.online()] + ["all"], default="all")
    u.add_argument("--url", help="adresse de la liste (CSV ou jeu de données data.gouv.fr)")
    u.add_argument(
        "--setup",
        action="store_true",
        help="mise en place (make run) : délai court, un échec n'arrête rien (code de sortie 0)",
    )
    u.set_defaults(func=cmd_update)
    r = sub.add_parser("restore", help="remettre en usage une version précédente d'une liste")
    r.add_argument("--programme", default=programmes.principal().key)
    r.add_argument("version", nargs="?", help="nom du fichier de l'historique (sans argument : la liste)")
    r.set_defaults(func=cmd_restore)
    pb = sub.add_parser("publish", help="écrire le site statique (pages à intégrer dans un article)")
    pb.add_argument("--out", required=True, help="dossier du site (remplacé à la fin, jamais à moitié écrit)")
    pb.add_argument("--base-url", help="adresse publique du site (défaut : PVD_SITE_URL), code d'intégration")
    pb.add_argument(
        "--departements", help="seulement ces départements (ex. 30,32), leurs régions, EPCI, communes"
    )
    pb.set_defaults(func=cmd_publish)
    s = sub.add_parser("stats", help="chiffres par région, département ou EPCI")
    s.add_argument("--by", choices=[level.key for level in AGGREGATED], default="departement")
    s.add_argument("--departement", help="limiter au département (code, ex. 30)")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    s.set_defaults(func=cmd_stats)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.allow_local:
        os.environ["PVD_ALLOW_LOCAL"] = "1"
    try:
        return args.func(args)
    except PvdError as exc:  # the package's errors, in French; anything else is a bug and shows
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
