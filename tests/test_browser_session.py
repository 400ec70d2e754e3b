"""In a real browser: a reader's own list is seen in their session and nowhere else, and the pages
and their maps work under a strict Content Security Policy with no external origin."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from .conftest import ARGS, CHROMIUM, LOCAL, app_env, map_frame, running_app, settle, wait_for_paths

pytestmark = pytest.mark.browser
CODES = "insee_com\n30210\n32208\n30003"
CSP = (  # as in deploy/README.md, with the test server's origin for the websocket
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self' ws://127.0.0.1:* http://127.0.0.1:*; frame-src 'self' blob: data:; "
    "worker-src 'self' blob:; frame-ancestors 'self'; object-src 'none'; base-uri 'self'"
)


@pytest.fixture(scope="module")
def server(built_dir, tmp_path_factory):
    with running_app(app_env(built_dir, tmp_path_factory.mktemp("session"))) as url:
        yield url


def _add_own_list(page, server, name):
    page.goto(f"{server}/Donnees")
    settle(page)
    page.get_by_label("Nom de ma liste").fill(name)
    page.get_by_label("Nom de ma liste").press("Enter")
    settle(page)
    area = page.get_by_label("ou collez les codes INSEE", exact=False)
    area.fill(CODES)
    area.press("Control+Enter")
    settle(page)
    page.get_by_role("button", name="Afficher ma liste sur les cartes").click()
    settle(page)
    page.get_by_text(f"Ma liste : {name}", exact=False).first.wait_for(timeout=30_000)


def test_own_list_is_seen_in_its_session_only(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        mine = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        try:
            _add_own_list(mine, server, "Réunion du lundi")
            mine.get_by_role("link", name="Vue d'ensemble").click()  # same session: in-app navigation
            settle(mine)
            wait_for_paths(mine, 800)
            assert "Ma liste : Réunion du lundi" in map_frame(mine).locator(".pvd-legend").inner_text()
            other.goto(server)
            settle(other)
            wait_for_paths(other, 800)
            assert "Ma liste" not in map_frame(other).locator(".pvd-legend").inner_text()
            # a copied link does not carry it: a new tab on the same URL has no own list
            fresh = mine.context.new_page()
            fresh.goto(mine.url)
            settle(fresh)
            wait_for_paths(fresh, 800)
            assert "Ma liste" not in map_frame(fresh).locator(".pvd-legend").inner_text()
        finally:
            browser.close()


def test_pages_and_maps_satisfy_a_strict_content_security_policy(server):
    """The policy the deployment documents, added to every page response (as the reverse proxy
    does). Pages fulfilled by the test count as public documents for Chromium's local-network
    checks, which would block their websocket to 127.0.0.1: those checks are off here."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[*ARGS, "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessChecks"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            violations, refused = [], []
            page.on(
                "console",
                lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
            )

            def route(route):
                url = route.request.url
                if not url.startswith(LOCAL):
                    refused.append(url)
                    route.abort()
                elif url.startswith(server) and "/_stcore/" not in url:
                    try:
                        response = route.fetch()
                    except PlaywrightError:  # a kept-alive connection the server had just closed
                        response = route.fetch()  # (ECONNRESET seen once under load): asked again
                    route.fulfill(
                        response=response, headers={**response.headers, "content-security-policy": CSP}
                    )
                else:
                    route.continue_()

            page.route("**/*", route)
            for path, shapes in (("/", 800), ("/?perimetre=france", 100), ("/Territoire?dep=30", 300)):
                page.goto(f"{server}{path}")
                settle(page)
                wait_for_paths(page, shapes)
            assert violations == [] and refused == []
        finally:
            browser.close()


def test_an_administrator_imports_a_shared_list_and_a_reader_cannot(built_dir, tmp_path):
    """Two real browsers on a server whose secrets hold an administrator's password hash: the one
    who logs in imports a list (report first, saved on confirmation); the other sees no write path."""
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from pvd_geo.auth import hash_password

    env = app_env(built_dir, tmp_path)
    lists = Path(env["PVD_LISTES_DIR"])
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[admin]\npassword_hash = "{hash_password("mot de passe", iterations=1000)}"\n')
    upload = tmp_path / "essai.csv"
    upload.write_text("insee_com;lib_com\n30210;Quissac\n32208;L'Isle-Jourdain\n", encoding="utf-8")
    with running_app(env, ("--secrets.files", str(secrets))) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            admin = browser.new_context().new_page()
            reader = browser.new_context().new_page()
            for page in (admin, reader):
                page.goto(f"{url}/Donnees")
                settle(page)
            admin.get_by_label("Mot de passe administrateur").fill("mot de passe")
            admin.get_by_role("button", name="Se connecter").click()
            admin.get_by_text("Connecté", exact=False).first.wait_for(timeout=30_000)
            admin.get_by_role("textbox", name="Nom de la liste", exact=True).fill("essai")
            admin.get_by_role("textbox", name="Nom de la liste", exact=True).press("Enter")
            settle(admin)
            admin.locator("input[type='file']").nth(1).set_input_files(str(upload))
            admin.get_by_text("essai : 2 conservées", exact=False).first.wait_for(timeout=30_000)
            admin.get_by_role("button", name="Enregistrer ces 2 communes", exact=False).click()
            admin.get_by_text("Liste enregistrée", exact=False).first.wait_for(timeout=30_000)
            assert (lists / "essai.csv").read_text(encoding="utf-8").count("\n") == 3
            reader.reload()
            settle(reader)
            assert reader.get_by_role("button", name="Mettre à jour").count() == 0
            assert reader.get_by_text("Importer une liste partagée").count() == 0
            assert reader.get_by_label("Mot de passe administrateur").count() == 1  # only the login form
        finally:
            browser.close()
