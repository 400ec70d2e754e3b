"""Forms: administrators' login, update, import and restore; a reader's own list."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from .. import programmes
from ..constants import lists_dir
from ..format import fr_int
from ..uploads import LIMITS, MIB

if TYPE_CHECKING:
    from ..atlas import Atlas

from .mapview import _reload_atlas
from .state import _OWN, MAX_OWN_LISTS, MAX_OWN_ROWS, client_address, own_column
from .text import md


def admin_config():
    """Administration settings from ``.streamlit/secrets.toml`` (none: the web app is read-only)."""
    from .. import auth

    try:
        data = st.secrets.to_dict()
    except Exception:  # noqa: BLE001 (no secrets file: Streamlit raises its own error types)
        data = {}
    return auth.config_from(data)


_WRITER = "_pvd_writer"  # session state: the right the server granted (an object, not widget data)


def _logged_in() -> bool:
    """Is this session logged in with the OpenID Connect provider (``st.login``)?"""
    return bool(st.user.get("is_logged_in", False))


def session_writer():
    """This session's right to write the shared lists, or None (a reader)."""
    from .. import auth

    granted = st.session_state.get(_WRITER)
    if auth.is_writer(granted):
        return granted
    config = admin_config()
    if config.uses_oidc and auth.is_admin_email(config, st.user.get("email"), _logged_in()):
        granted = auth.grant(f"administrateur {st.user.get('email')}")
        st.session_state[_WRITER] = granted
        return granted
    return None


def admin_section():
    """Who may change the shared lists: login for administrators; readers are told how it works.
    Returns this session's right to write, or None."""
    from .. import auth

    config = admin_config()
    if not config.enabled:
        st.info(
            "Lecture seule : aucun administrateur n'est configuré. Les listes partagées se mettent à "
            "jour sur le serveur, par son exploitant."
        )
        return None
    writer = session_writer()
    if writer is not None:
        st.success(f"Connecté : {md(writer.who)}.")
        if st.button("Se déconnecter", key="admin_logout"):
            auth.revoke(writer)
            st.session_state.pop(_WRITER, None)
            if config.uses_oidc and _logged_in():
                st.logout()
            st.rerun()
        return writer
    if config.uses_oidc:
        args = (config.provider,) if config.provider else ()
        st.button("Se connecter (administrateurs)", key="admin_login", on_click=st.login, args=args)
        if _logged_in():
            st.warning("Ce compte n'est pas administrateur de l'atlas : lecture seule.")
        return None
    client = client_address()
    wait = auth.LOCKOUT.blocked(client)
    if wait:
        st.error(f"Trop d'essais : réessayez dans {int(wait // 60) + 1} min.")
        return None
    with st.form("admin_form"):
        password = st.text_input("Mot de passe administrateur", type="password", key="admin_password")
        sent = st.form_submit_button("Se connecter")
    if sent:
        if auth.LOCKOUT.blocked(client):  # another session of this client failed meanwhile
            st.error("Trop d'essais : réessayez plus tard.")
            return None
        if auth.verify_password(password, config.password_hash):
            auth.LOCKOUT.succeeded(client)
            st.session_state[_WRITER] = auth.grant("administrateur (mot de passe)")
            st.rerun()
        auth.LOCKOUT.failed(client)
        st.error("Mot de passe refusé.")
    return None


def update_form(writer) -> None:
    """Download an official list from its configured address (never one typed here), validate it
    and replace the one in use (or say why not). Administrators only."""
    from ..atlas import read_build
    from ..update import UpdateRefused, update_selection

    names = {p.key: p.nom for p in programmes.online()}
    programme = st.selectbox("Liste", list(names), key="maj_programme", format_func=names.get)
    url = programmes.get(programme).official_url()
    st.caption(f"Source configurée : {md(url)}")
    if not st.button("Mettre à jour", key="maj_go"):
        return
    bar = st.progress(0.0, text="Téléchargement…")

    def progress(received: int, total: int | None) -> None:
        fraction = min(received / total, 1.0) if total else 0.5
        bar.progress(fraction, text=f"Téléchargement : {received // 1000} Ko")

    built = read_build()
    try:
        done = update_selection(
            programme,
            url,
            lists_dir(),
            built["communes"],
            built["rattachees"],
            progress,
            writer=writer,
        )
    except UpdateRefused as exc:
        bar.empty()
        st.error(f"Échec : {md(exc)}. La liste en usage n'a pas changé.")
        return
    bar.progress(1.0, text="Terminé")
    st.success(
        f"{md(done.result.summary())}. Liste enregistrée ; la précédente est gardée dans l'historique."
    )
    _reload_atlas()


def _read_upload(payload: bytes, max_rows: int | None = None):
    """The rows of an uploaded list, or None (refused, said in French). ``max_rows``: refused
    before any parsing when the file has more lines than that (a count of line ends:
    milliseconds), then again on the rows read, before any join."""
    from ..sources.anct import MAX_BYTES, SelectionFileError, read_selection_bytes

    if len(payload) > MAX_BYTES:
        st.error(f"Fichier refusé : {fr_int(len(payload))} octets (limite {fr_int(MAX_BYTES)}).")
        return None
    if max_rows is not None and payload.count(b"\n") > max_rows + 2:  # header, Excel's sep= line
        st.error(f"Liste trop longue : plus de {fr_int(max_rows)} lignes (limite {fr_int(max_rows)}).")
        return None
    try:
        rows = read_selection_bytes(payload, MAX_BYTES)
    except (SelectionFileError, ValueError) as exc:
        st.error(f"Fichier refusé : {md(exc)}")
        return None
    if max_rows is not None and len(rows) > max_rows:
        st.error(f"Liste trop longue : {fr_int(len(rows))} lignes (limite {fr_int(max_rows)}).")
        return None
    return rows


def _show_report(result) -> None:
    st.markdown(md(result.summary()))
    st.dataframe(result.report, hide_index=True, width="stretch")


def _checked_upload(atlas: Atlas, payload: bytes, programme: str, max_rows: int | None = None):
    """A reader's own list read and joined, its report shown; the result, or None if refused."""
    from ..selection import join_selection

    rows = _read_upload(payload, max_rows)
    if rows is None:
        return None
    result = join_selection(rows, atlas.communes, atlas.rattachees, programme)
    _show_report(result)
    if result.kept_rows().empty:
        st.error("Aucune ligne valide : rien n'est retenu.")
        return None
    return result


def import_form(atlas: Atlas, writer) -> None:
    """Upload a CSV that replaces a shared list: the report first, saved on confirmation.
    Administrators only (the write itself checks ``writer``)."""
    from .. import imports
    from ..sources.selections import programme_file

    upload = st.file_uploader(
        "Fichier CSV (une commune par ligne, colonne du code INSEE)",
        type=["csv", "txt"],
        key="import_fichier",
        help=UPLOAD_HELP,
    )
    known = programmes.registry()
    programme = st.text_input(
        "Nom de la liste",
        programmes.principal().key,
        key="import_programme",
        help=" ; ".join(f"{p.key} remplace la liste {p.court}" for p in known)
        + " ; un autre nom ajoute un programme",
    )
    if upload is None:
        return
    try:
        programme_file(lists_dir(), programme)
    except ValueError as exc:
        st.error(f"Nom refusé : {md(exc)}")
        return
    rows = _read_upload(upload.getvalue())
    if rows is None:
        return
    try:
        prepared = imports.prepare(rows, programme, lists_dir(), atlas.communes, atlas.rattachees)
    except imports.ImportRefused as exc:
        st.error(f"{md(exc)}.")
        return
    _show_report(prepared.result)
    cover = prepared.couverture
    st.caption(
        "Couverture déduite de la liste : "
        + ("France entière" if cover is None else md(", ".join(cover)))
        + " (les territoires hors de ces départements n'auront pas de chiffre pour cette liste)."
    )
    confirmed = False
    if prepared.shrinks:
        st.warning(f"Cette liste n'a que {prepared.shrink_text()}.")
        confirmed = st.checkbox(
            "Je confirme remplacer la liste par une liste bien plus courte", key="import_shrink"
        )
        if not confirmed:
            return
    kept = len(prepared.kept)
    if st.button(f"Enregistrer ces {kept} communes comme liste « {md(programme)} »", key="import_go"):
        info = prepared.describe(source=upload.name[:80], origine="importée")
        written, history = imports.save(prepared, info, lists_dir(), writer=writer, force=confirmed)
        st.success(
            f"Liste enregistrée ({md(written.name)})" + (" ; la précédente est gardée." if history else ".")
        )
        _reload_atlas()


def restore_form(writer, programme: str) -> None:
    """Put a version of the history back in use (administrators only; checked where it writes)."""
    from ..sources.selections import history_versions, restore_version

    versions = {p.name: p for p in reversed(history_versions(lists_dir(), programme))}
    if not versions:
        st.caption("Aucune version précédente de cette liste.")
        return
    name = st.selectbox("Version à remettre en usage", list(versions), key="restore_version")
    if st.button("Restaurer cette version", key="restore_go"):
        restore_version(lists_dir(), programme, versions[name], writer=writer)
        st.success(f"Version {md(name)} remise en usage ; la liste remplacée est gardée dans l'historique.")
        _reload_atlas()


# Streamlit's own refusal of a larger file is in English (« File must be 5.0MB or smaller »)
UPLOAD_HELP = (
    "5 Mo au plus par fichier (un fichier plus lourd est refusé par le navigateur, en anglais : "
    f"« File must be 5.0MB or smaller ») ; {LIMITS.files_per_session} fichiers et "
    f"{LIMITS.bytes_per_session // MIB} Mo au plus envoyés par session."
)
MAX_OWN_CHARS = 1_000_000  # a pasted list: 40,000 codes take about 240,000 characters


def own_list_form(atlas: Atlas) -> None:
    """A reader's own list: validated like an import, kept in this session only, shown on the maps
    and in the counts beside the official lists."""
    lists: dict = st.session_state.setdefault(_OWN, {})
    st.caption(
        "Votre liste reste dans cette session du navigateur : elle n'est jamais enregistrée sur le "
        "serveur, aucune autre personne ne la voit, elle disparaît à la fermeture de la session et un "
        f"lien copié ne la transmet pas. {MAX_OWN_LISTS} listes au plus, {fr_int(MAX_OWN_ROWS)} lignes "
        "et 5 Mo chacune."
    )
    name = st.text_input("Nom de ma liste", "ma liste", key="own_name", max_chars=60)
    upload = st.file_uploader("Fichier CSV", type=["csv", "txt"], key="own_file", help=UPLOAD_HELP)
    pasted = st.text_area(
        "ou collez les codes INSEE (une ligne d'en-tête, puis un code par ligne)",
        key="own_text",
        max_chars=MAX_OWN_CHARS,
    )
    payload = upload.getvalue() if upload is not None else pasted.encode("utf-8") if pasted.strip() else None
    if payload is not None:
        result = _checked_upload(atlas, payload, "ma_liste", max_rows=MAX_OWN_ROWS)
        if result is not None and st.button("Afficher ma liste sur les cartes", key="own_add"):
            label = " ".join(str(name).split())[:60] or "ma liste"
            if label not in lists and len(lists) >= MAX_OWN_LISTS:
                st.error(f"{MAX_OWN_LISTS} listes au plus par session : retirez-en une d'abord.")
            else:
                lists[label] = tuple(result.codes)
    for i, (label, codes) in enumerate(list(lists.items())):
        cols = st.columns([4, 1])
        cols[0].markdown(f"**{md(own_column(label))}** : {fr_int(len(codes))} communes")
        if cols[1].button("Retirer", key=f"own_del_{i}"):
            del lists[label]
            st.rerun()
