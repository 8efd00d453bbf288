"""Sign-in in a real browser: passwords (streamlit-authenticator) and single sign-on (`st.login`).

Passwords: the account file of tests/test_login.py; the re-authentication cookie must keep a
person signed in across a reload, and signing out must delete it.

Single sign-on: the app's `st.login` against the local provider of tests/fake_oidc.py.

The app (`CLS_AUTH=oidc`) runs under `streamlit run` on a store holding internal documents
(tests/mixed_corpus.py), with an `[auth]` section written for the provider and passed by
`--secrets.files`. Headless Chromium clicks « Se connecter », follows the redirects through the
provider and back; a person whose identity token gives the `ars` role must then get answers from
internal documents, keep the session across a reload, and lose both on « Se déconnecter ». Anyone
else — no role claim, an address not listed or not verified, a wrong client secret, a cancelled
sign-in — stays public.
"""

from __future__ import annotations

import base64
import hashlib
from contextlib import ExitStack

import httpx
import pytest

from tests.fake_oidc import FakeOIDC
from tests.live_app import chromium, free_port, require_chromium, streamlit
from tests.test_login import PASSWORDS, account_file

require_chromium()
from playwright.sync_api import Page, expect  # noqa: E402 - after the skip decision

CLAIRE = {"sub": "claire-morel", "email": "claire.morel@ars.sante.fr", "email_verified": True,
          "name": "Claire Morel", "roles": ["ars", "lecture"]}
PAUL = {"sub": "paul-lenoir", "email": "paul.lenoir@dieppe.fr", "email_verified": True, "name": "Paul Lenoir"}
LISTED = "agent.liste@ars-normandie.fr"
SECRET_QUESTION = "Quel est le code projet de la refonte du contrat local de santé de Dieppe ?"
SECRET = "ZX-4471"


@pytest.fixture(scope="module")
def provider():
    with FakeOIDC() as provider:
        yield provider


@pytest.fixture(autouse=True)
def signed_in_as_claire(provider):
    provider.user = dict(CLAIRE)


@pytest.fixture(scope="module")
def start_app(provider, mixed_store, tmp_path_factory):
    """`start_app(**auth)` runs the app with `[auth]` for the provider (keys in `auth` replace the
    right ones) and returns its URL; the browser must use the host of `redirect_uri`."""
    folder = tmp_path_factory.mktemp("oidc-app")
    env = {"CLS_DATA_DIR": str(mixed_store.data_dir), "CLS_AUTH": "oidc", "CLS_ARS_EMAILS": f"autre@x.fr, {LISTED}"}
    urls: dict[tuple, str] = {}

    def start(**auth: str) -> str:
        key = tuple(sorted(auth.items()))
        if key not in urls:
            port = free_port()
            secrets = folder / f"secrets-{port}.toml"
            secrets.write_text(provider.auth_secrets(f"http://127.0.0.1:{port}/oauth2callback", **auth), encoding="utf-8")
            log = folder / f"streamlit-{port}.log"
            urls[key] = servers.enter_context(streamlit(log, env, "--secrets.files", str(secrets), port=port))
        return urls[key]

    with ExitStack() as servers:
        yield start


@pytest.fixture
def page():
    with chromium() as context:  # its own cookies: nobody is signed in
        page = context.new_page()
        yield page


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_text("extraits", exact=False).first.wait_for(timeout=180_000)  # store and model loaded


def round_trip(page: Page, url: str, button: str) -> None:
    """Click `button` and wait until the redirects through the provider end on a new page of the
    app (the old page would still show the previous state)."""
    with page.expect_navigation(url=f"{url}/", timeout=60_000):
        page.get_by_role("button", name=button).click()
    page.get_by_text("extraits", exact=False).first.wait_for(timeout=60_000)


def sidebar(page: Page) -> str:
    """The sidebar's text once drawn down to its last line (the store's counts and the engine)."""
    side = page.locator("[data-testid='stSidebar']")
    side.get_by_text("Moteur").wait_for(timeout=60_000)
    return side.inner_text()


def sidebar_shows(page: Page, text: str) -> None:
    """Waits for `text` in the sidebar (a run after a sign-in redraws it piece by piece)."""
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text(text, timeout=30_000)


def answer(page: Page, question: str) -> str:
    before = page.locator('[class*="st-key-footer-"]').count()
    box = page.locator("textarea")
    box.fill(question)
    box.press("Enter")
    page.locator('[class*="st-key-footer-"]').nth(before).wait_for(timeout=120_000)
    return page.locator('[class*="st-key-answer-"]').last.inner_text()


def calls(provider: FakeOIDC, path: str) -> list[dict]:
    return [request for request in provider.requests if request["path"] == path]


def test_password_sign_in_survives_a_reload_and_sign_out_forgets_it(mixed_store, tmp_path, page):
    env = {"CLS_DATA_DIR": str(mixed_store.data_dir), "CLS_AUTH": "password", "CLS_AUTH_FILE": account_file(tmp_path)}
    with streamlit(tmp_path / "streamlit.log", env) as url:
        open_app(page, url)
        page.get_by_text("Connexion (agents ARS)").click()
        page.get_by_label("Identifiant").fill("claire")
        page.get_by_label("Mot de passe").fill(PASSWORDS["claire"])
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_text("agent ARS : documents internes visibles").wait_for(timeout=30_000)
        sidebar_shows(page, "8 documents")
        assert SECRET in answer(page, SECRET_QUESTION)

        page.reload()  # a new session: the cookie signs Claire in again
        page.get_by_text("agent ARS : documents internes visibles").wait_for(timeout=60_000)
        assert SECRET in answer(page, SECRET_QUESTION)

        page.get_by_role("button", name="Se déconnecter").click()
        page.get_by_text("Connexion (agents ARS)").wait_for(timeout=30_000)
        assert page.locator('[class*="st-key-answer-"]').count() == 0  # the conversation is forgotten
        assert SECRET not in answer(page, SECRET_QUESTION)
        page.reload()
        page.get_by_text("Connexion (agents ARS)").wait_for(timeout=60_000)
        page.wait_for_timeout(2000)  # time for a leftover cookie to sign in again
        sidebar_shows(page, "5 documents")
        assert "Claire Morel" not in sidebar(page)


def test_ars_sign_in_opens_internal_documents_until_sign_out(provider, start_app, page):
    url = start_app()
    open_app(page, url)
    assert "8 documents" not in sidebar(page) and SECRET not in answer(page, SECRET_QUESTION)

    provider.requests.clear()
    round_trip(page, url, "Se connecter")
    page.get_by_text("agent ARS : documents internes visibles").wait_for(timeout=30_000)
    sidebar_shows(page, "8 documents")
    assert "Claire Morel" in sidebar(page)
    assert page.locator('[class*="st-key-answer-"]').count() == 0  # a new session: nothing kept
    assert SECRET in answer(page, SECRET_QUESTION)
    # Authlib sent a nonce and PKCE S256, authenticated at /token and checked the signed token;
    # the role comes from the identity token's claims: /userinfo is never asked.
    [authorize] = calls(provider, "/authorize")
    assert authorize["params"]["code_challenge_method"] == "S256" and authorize["params"]["nonce"]
    assert [call["status"] for call in calls(provider, "/token")] == [200]
    assert calls(provider, "/jwks") and not calls(provider, "/userinfo")

    page.reload()  # the signed identity cookie keeps the session
    page.get_by_text("agent ARS : documents internes visibles").wait_for(timeout=60_000)

    round_trip(page, url, "Se déconnecter")
    page.get_by_role("button", name="Se connecter").wait_for(timeout=30_000)
    assert provider.logouts[-1] == {"sub": "claire-morel", "post_logout_redirect_uri": f"{url}/oauth2callback"}
    sidebar_shows(page, "5 documents")
    assert "Claire Morel" not in sidebar(page)
    assert SECRET not in answer(page, SECRET_QUESTION)


@pytest.mark.parametrize(
    ("user", "role"),
    [
        (PAUL, "accès public"),
        ({**PAUL, "email": LISTED}, "agent ARS"),
        ({**PAUL, "email": LISTED, "email_verified": False}, "accès public"),
        ({**PAUL, "roles": "lecture ars"}, "agent ARS"),
    ],
    ids=["no-role", "listed-address", "unverified-address", "roles-claim-as-string"],
)
def test_role_comes_from_the_identity_token(provider, start_app, page, user, role):
    url = start_app()
    provider.user = user
    open_app(page, url)
    round_trip(page, url, "Se connecter")
    page.get_by_text("Paul Lenoir").wait_for(timeout=30_000)
    assert role in sidebar(page)
    assert (SECRET in answer(page, SECRET_QUESTION)) == (role == "agent ARS")


def test_wrong_client_secret_leaves_the_visitor_public(provider, start_app, page):
    url = start_app(client_secret="not-the-secret")
    provider.requests.clear()
    open_app(page, url)
    round_trip(page, url, "Se connecter")
    page.get_by_role("button", name="Se connecter").wait_for(timeout=30_000)
    assert [call["status"] for call in calls(provider, "/token")] == [401]
    assert SECRET not in answer(page, SECRET_QUESTION)


def test_unregistered_redirect_uri_stops_at_the_provider(provider, start_app, page):
    url = start_app()
    open_app(page, url)
    registered = set(provider.redirect_uris)
    provider.redirect_uris.clear()
    provider.requests.clear()
    try:
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_text("is not registered for this client").wait_for(timeout=30_000)
    finally:
        provider.redirect_uris |= registered
    assert page.url.startswith(provider.issuer) and not calls(provider, "/token")


def test_cancelled_sign_in_leaves_the_visitor_public(provider, start_app, page):
    url = start_app()
    provider.user = None
    provider.requests.clear()
    open_app(page, url)
    round_trip(page, url, "Se connecter")
    page.get_by_role("button", name="Se connecter").wait_for(timeout=30_000)
    assert not calls(provider, "/token")


def test_provider_refuses_what_a_real_one_refuses(provider):
    """The protocol checks themselves, without a browser: codes, PKCE, client, bearer token."""
    redirect_uri = "http://127.0.0.1:9/oauth2callback"
    provider.redirect_uris.add(redirect_uri)
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()

    def authorize(**changes: str) -> httpx.Response:
        params = {"client_id": provider.client_id, "redirect_uri": redirect_uri, "response_type": "code",
                  "scope": "openid email", "state": "s1", "nonce": "n1", "code_challenge_method": "S256",
                  "code_challenge": challenge, **changes}
        return httpx.get(f"{provider.issuer}/authorize", params=params)

    def token(code: str, **changes: str) -> httpx.Response:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "code_verifier": verifier, **changes}
        return httpx.post(f"{provider.issuer}/token", data=form, auth=(provider.client_id, provider.client_secret))

    def code() -> str:
        answer = httpx.URL(authorize().headers["location"])
        assert answer.params["state"] == "s1"
        return answer.params["code"]

    assert authorize(client_id="other").status_code == 400
    assert authorize(redirect_uri="http://127.0.0.1:9/elsewhere").status_code == 400
    assert "error=invalid_scope" in authorize(scope="email").headers["location"]
    assert token(code(), code_verifier="w" * 50).json()["error"] == "invalid_grant"
    assert token(code(), redirect_uri="http://127.0.0.1:9/elsewhere").json()["error"] == "invalid_grant"
    first = code()
    answer = token(first)
    assert answer.status_code == 200 and token(first).json()["error"] == "invalid_grant"  # used once
    claims = provider.verify(answer.json()["id_token"])
    assert claims["nonce"] == "n1" and claims["roles"] == CLAIRE["roles"]
    bearer = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    assert httpx.get(f"{provider.issuer}/userinfo", headers=bearer).json() == CLAIRE
    assert httpx.get(f"{provider.issuer}/userinfo", headers={"Authorization": "Bearer x"}).status_code == 401
    assert httpx.post(f"{provider.issuer}/token", data={"grant_type": "authorization_code", "code": code(),
                      "redirect_uri": redirect_uri, "code_verifier": verifier,
                      "client_id": provider.client_id, "client_secret": "wrong"}).status_code == 401
