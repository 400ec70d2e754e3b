"""A public atlas: readers read, administrators write. Without configuration no session can write;
with a password (or OpenID Connect) only the verified session can; a reader's own list lives in
their session only."""

import pytest

from pvd_geo import auth
from pvd_geo.atlas import read_build
from pvd_geo.sources.selections import save_selection
from pvd_geo.update import update_selection

from .conftest import SHARED_DATA, _text, app_for, html_tables

PASSWORD = "un mot de passe de test"


@pytest.fixture
def lists(tmp_path, monkeypatch, build_env):
    directory = tmp_path / "listes"
    monkeypatch.setenv("PVD_LISTES_DIR", str(directory))
    return directory


def _files(directory):
    return sorted(p.name for p in directory.rglob("*")) if directory.exists() else []


def test_the_write_itself_refuses_anyone_but_the_operator_or_an_administrator(
    tmp_path, built_dir, http_server
):
    built = read_build(built_dir)
    rows = built["communes"].head(2)[["code", "nom"]]
    for forged in (None, "operator", auth.Writer("opérateur (ligne de commande)"), object()):
        with pytest.raises(auth.WriteDenied):
            save_selection(rows, "pvd", tmp_path, writer=forged)
    http_server.routes["/pvd.csv"] = (
        200,
        (SHARED_DATA / "current" / "anct_pvd_communes_2026.csv").read_bytes(),
    )
    with pytest.raises(auth.WriteDenied):
        update_selection(
            "pvd", f"{http_server.url}/pvd.csv", tmp_path, built["communes"], built["rattachees"], writer=None
        )
    assert _files(tmp_path) == []
    granted = auth.grant("administrateur (test)")
    save_selection(rows, "pvd", tmp_path, writer=granted)
    auth.revoke(granted)
    with pytest.raises(auth.WriteDenied):  # a revoked right writes nothing more
        save_selection(rows, "acv", tmp_path, writer=granted)
    assert "acv.csv" not in _files(tmp_path)


def test_passwords_are_hashed_and_compared_in_constant_time():
    encoded = auth.hash_password(PASSWORD, iterations=1_000)
    assert encoded.startswith("pbkdf2_sha256$1000$") and PASSWORD not in encoded
    assert auth.verify_password(PASSWORD, encoded) and not auth.verify_password("autre", encoded)
    assert not auth.verify_password(PASSWORD, "") and not auth.verify_password(PASSWORD, "md5$x$y$z")
    lockout = auth.Lockout()
    for _ in range(auth.MAX_ATTEMPTS):
        assert lockout.blocked("192.0.2.1", now=0) == 0
        lockout.failed("192.0.2.1", now=0)
    assert lockout.blocked("192.0.2.1", now=1) > 0 and lockout.blocked("192.0.2.1", now=auth.PAUSE_S + 1) == 0
    assert lockout.blocked("192.0.2.2", now=1) == 0  # another client: its own count
    for _ in range(auth.MAX_ATTEMPTS):  # a second round: a pause twice as long
        lockout.failed("192.0.2.1", now=auth.PAUSE_S + 2)
    assert lockout.blocked("192.0.2.1", now=3 * auth.PAUSE_S) > 0


def test_many_addresses_cannot_share_the_guessing():
    """GLOBAL_MAX wrong passwords from as many addresses pause every password login."""
    lockout = auth.Lockout()
    for i in range(auth.GLOBAL_MAX):
        lockout.failed(f"198.51.100.{i}", now=10)
    assert lockout.blocked("203.0.113.7", now=11) > 0  # even a client that never tried
    assert lockout.blocked("203.0.113.7", now=10 + auth.GLOBAL_PAUSE_S + 1) == 0


def test_oidc_administrators_are_the_listed_emails():
    config = auth.config_from({"auth": {"client_id": "x"}, "admin": {"emails": ["Agent@Anct.Gouv.fr"]}})
    assert config.enabled and config.uses_oidc
    assert auth.is_admin_email(config, "agent@anct.gouv.fr", logged_in=True)
    assert not auth.is_admin_email(config, "agent@anct.gouv.fr", logged_in=False)
    assert not auth.is_admin_email(config, "lecteur@example.fr", logged_in=True)
    assert not auth.config_from({}).enabled and not auth.config_from({"auth": {"x": 1}}).enabled


def test_without_administrator_the_data_page_has_no_write_path(lists):
    app = app_for("pages/4_Donnees.py")
    app.run()
    assert not app.exception, app.exception
    assert "Lecture seule" in " ".join(i.value for i in app.info)
    labels = [b.label for b in app.button]
    assert "Mettre à jour" not in labels and not any(label.startswith("Enregistrer") for label in labels)
    assert not [t for t in app.text_input if t.label.startswith("Adresse")]  # no URL from a reader
    # a forged widget state (the import and update widgets' keys) writes nothing
    for key, value in {
        "import_programme": "pvd",
        "import_go": True,
        "maj_go": True,
        "maj_programme": "pvd",
    }.items():
        app.session_state[key] = value
    app.session_state["_pvd_writer"] = True  # not a right the server issued
    app.run()
    assert not app.exception, app.exception
    assert _files(lists) == []


def _admin_app(password_hash):
    app = app_for("pages/4_Donnees.py")
    app.secrets["admin"] = {"password_hash": password_hash}
    return app


def test_password_administrator_can_update_and_a_reader_cannot(lists, http_server, monkeypatch):
    http_server.routes["/pvd.csv"] = (
        200,
        (SHARED_DATA / "current" / "anct_pvd_communes_2026.csv").read_bytes(),
    )
    monkeypatch.setenv("PVD_URL_PVD", f"{http_server.url}/pvd.csv")
    encoded = auth.hash_password(PASSWORD, iterations=1_000)
    admin, reader = _admin_app(encoded), _admin_app(encoded)
    admin.run()
    reader.run()
    admin.text_input(key="admin_password").input("mauvais")
    admin.get("form_submit_button")[0].click().run()
    assert "Mot de passe refusé" in " ".join(e.value for e in admin.error)
    admin.text_input(key="admin_password").input(PASSWORD)
    admin.get("form_submit_button")[0].click().run()
    assert not admin.exception, admin.exception
    assert "Connecté" in " ".join(s.value for s in admin.success)
    next(b for b in admin.button if b.label == "Mettre à jour").click().run()
    assert not admin.exception, admin.exception
    assert "pvd.csv" in _files(lists)
    # another session, opened at the same time, is still a reader
    reader.run()
    assert "Mettre à jour" not in [b.label for b in reader.button]
    assert "Connecté" not in " ".join(s.value for s in reader.success)


def test_wrong_passwords_are_limited_across_sessions(lists, monkeypatch):
    """The lockout holds for the client, not the session: after MAX_ATTEMPTS wrong passwords, a
    new session (a new websocket) of the same address gets no form; another address still does
    (issue 22, item 4)."""
    monkeypatch.setattr(auth, "LOCKOUT", auth.Lockout())
    encoded = auth.hash_password(PASSWORD, iterations=1_000)
    app = _admin_app(encoded)
    app.run()
    for _ in range(auth.MAX_ATTEMPTS):
        app.text_input(key="admin_password").input("non")
        app.get("form_submit_button")[0].click().run()
    app.run()
    assert "Trop d'essais" in " ".join(e.value for e in app.error)
    assert not app.get("form_submit_button")  # no form while paused
    fresh = _admin_app(encoded)  # a new session from the same address
    fresh.run()
    assert "Trop d'essais" in " ".join(e.value for e in fresh.error) and not fresh.get("form_submit_button")
    from pvd_geo.ui import forms

    monkeypatch.setattr(forms, "client_address", lambda: "203.0.113.9")
    other = _admin_app(encoded)
    other.run()
    assert other.get("form_submit_button")  # another client is not paused


def test_oidc_configuration_offers_the_login_button(lists):
    app = app_for("pages/4_Donnees.py")
    app.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}
    app.secrets["admin"] = {"emails": ["agent@anct.gouv.fr"]}
    app.run()
    assert not app.exception, app.exception
    assert "Se connecter (administrateurs)" in [b.label for b in app.button]
    assert "Mettre à jour" not in [b.label for b in app.button]


CODES = "insee_com\n30210\n32208\n34003\n"


def _own(app, name="Ma sélection"):
    app.text_input(key="own_name").input(name)
    app.text_area(key="own_text").input(CODES)
    app.run()
    next(b for b in app.button if b.label == "Afficher ma liste sur les cartes").click().run()
    assert not app.exception, app.exception


def test_a_readers_own_list_stays_in_their_session(lists, build_env):
    mine, other = app_for("pages/4_Donnees.py"), app_for("pages/4_Donnees.py")
    mine.run()
    other.run()
    _own(mine)
    assert "Ma liste : Ma sélection** : 3 communes" in _text(mine).replace("\\", "")
    mine.switch_page("dashboard.py").run()
    assert not mine.exception, mine.exception
    table = html_tables(mine)[0]
    assert "Ma liste : Ma sélection" in table.columns
    counts = dict(zip(table["Nom"], table["Ma liste : Ma sélection"]))
    assert counts["Gard"] == 1 and counts["Gers"] == 1
    other.switch_page("dashboard.py").run()
    assert "Ma liste : Ma sélection" not in html_tables(other)[0].columns
    cache = build_env["PVD_CACHE_DIR"]
    stored = [
        p
        for p in __import__("pathlib").Path(cache).rglob("*.json")
        if "Ma s" in p.read_text(encoding="utf-8")
    ]
    assert stored == [] and _files(lists) == []  # never on disk


def test_hostile_names_through_the_session_list(lists):
    app = app_for("pages/4_Donnees.py")
    app.run()
    _own(app, "<script>alert(1)</script> [x](javascript:alert(2)) :red[rouge]")
    text = " ".join(m.value for m in app.markdown)
    assert "<script>" not in text.replace("\\<", "") and "](javascript" not in text
    app.switch_page("dashboard.py").run()
    assert not app.exception, app.exception


@pytest.mark.parametrize(
    "name", list(__import__("tests.test_hostile", fromlist=["HOSTILE"]).HOSTILE.values())
)
def test_hostile_list_names_are_escaped_on_every_view_of_the_session_list(lists, name):
    from .conftest import _unescaped

    app = app_for("pages/4_Donnees.py")
    app.run()
    _own(app, name[:60])
    texts = [m.value for m in app.markdown] + [e.value for e in app.error] + [c.value for c in app.caption]
    app.switch_page("dashboard.py").run()
    assert not app.exception, app.exception
    texts += [m.value for m in app.markdown] + [c.value for c in app.caption] + [t.value for t in app.title]
    for text in texts:
        assert not _unescaped(str(text)), text
    columns = list(html_tables(app)[0].columns)
    assert any(c.startswith("Ma liste : ") for c in columns)  # shown as data in the table, not markup


def test_an_administrator_restores_a_previous_version(lists, built_dir):
    from pvd_geo.sources.selections import history_versions, restore_version

    built = read_build(built_dir)
    rows = built["communes"].set_index("code").loc[["30210", "32208"]].reset_index()[["code", "nom"]]
    save_selection(rows, "pvd", lists, writer=auth.operator())
    save_selection(rows.head(1), "pvd", lists, writer=auth.operator())
    old = history_versions(lists, "pvd")[0]
    with pytest.raises(auth.WriteDenied):
        restore_version(lists, "pvd", old, writer=None)
    outside = lists.parent / "ailleurs.csv"
    outside.write_text("insee_com\n30003\n", encoding="utf-8")
    with pytest.raises(ValueError):  # only a version of this programme's own history
        restore_version(lists, "pvd", outside, writer=auth.operator())
    restore_version(lists, "pvd", old, writer=auth.operator())
    assert (lists / "pvd.csv").read_bytes() == old.read_bytes()
    assert len(history_versions(lists, "pvd")) == 2  # the replaced list is kept too


def test_cli_restore_lists_and_restores(lists, build_env):
    from .conftest import run

    env = {**build_env, "PVD_LISTES_DIR": str(lists)}
    path = lists.parent / "deux.csv"
    path.write_text("insee_com\n30210\n32208\n", encoding="utf-8")
    assert run("import-selection", str(path), "--yes", "--force", env=env).returncode == 0
    path.write_text("insee_com\n30210\n", encoding="utf-8")
    assert run("import-selection", str(path), "--yes", "--force", env=env).returncode == 0
    listed = run("restore", "--programme", "pvd", env=env).stdout.split()
    assert len(listed) == 1 and listed[0].startswith("pvd-")
    out = run("restore", "--programme", "pvd", listed[0], env=env)
    assert out.returncode == 0, out.stderr
    assert (lists / "pvd.csv").read_text(encoding="utf-8").count("\n") == 3
    assert run("restore", "--programme", "pvd", "../../etc/passwd", env=env).returncode == 2


def test_restore_takes_only_the_programmes_own_history(lists, built_dir):
    """A list named ``pvd-test`` has its own history: its versions are never offered or restored
    as versions of ``pvd``; a programme name that is a path is refused (issue 22, item 9)."""
    from pvd_geo.errors import InvalidInput
    from pvd_geo.sources.selections import history_versions, restore_version

    built = read_build(built_dir)
    rows = built["communes"].set_index("code").loc[["30210", "32208"]].reset_index()[["code", "nom"]]
    for name in ("pvd-test", "pvd"):
        save_selection(rows, name, lists, writer=auth.operator())
        save_selection(rows.head(1), name, lists, writer=auth.operator())
    own, other = history_versions(lists, "pvd"), history_versions(lists, "pvd-test")
    assert len(own) == 1 and len(other) == 1 and not set(own) & set(other)
    with pytest.raises(InvalidInput):
        restore_version(lists, "pvd", other[0], writer=auth.operator())
    for name in ("../../x", "pvd/../x", "PVD", ""):
        with pytest.raises(InvalidInput):
            history_versions(lists, name)


def test_a_long_pasted_list_is_refused_before_any_parsing_or_join(lists, build_env, monkeypatch):
    """More lines than a reader's list may have: refused at once, in French, without parsing or
    joining anything (issue 22, item 1: the limit is checked before the work)."""
    import pvd_geo.selection as selection
    import pvd_geo.sources.anct as anct
    from pvd_geo.ui.state import MAX_OWN_ROWS

    def never(*args, **kwargs):
        raise AssertionError("the refused list was parsed or joined")

    app = app_for("pages/4_Donnees.py")
    app.run()
    monkeypatch.setattr(anct, "read_selection_bytes", never)
    monkeypatch.setattr(selection, "join_selection", never)
    app.text_area(key="own_text").input("insee_com\n" + "30210\n" * (MAX_OWN_ROWS + 5))
    app.run()
    assert not app.exception, app.exception
    assert "Liste trop longue" in " ".join(e.value for e in app.error)
    assert "Afficher ma liste sur les cartes" not in [b.label for b in app.button]
