"""Sign-in: the account file's rules, OIDC role mapping, and the app's roles end to end (AppTest).

The app runs on a store holding internal documents (tests/mixed_corpus.py). Anonymous visitors and
signed-in accounts without the `ars` role must never see them, in answers, counts or document
lists; ARS staff must; signing out forgets the conversation.
"""

from __future__ import annotations

import html
import subprocess
import sys

import bcrypt
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from assistant.accounts import hash_password, load_accounts, oidc_role
from assistant.core.config import ConfigError, get_settings
from tests.conftest import ROOT
from tests.mixed_corpus import INTERNAL

APP = str(ROOT / "streamlit_app.py")
DOCUMENTS_PAGE = "assistant/ui/pages/documents.py"
SECRET_QUESTION = "Quel est le code projet de la refonte du contrat local de santé de Dieppe ?"
PASSWORDS = {"claire": "Ars-Normandie-2026", "paul": "Elu-de-Dieppe-2026"}


def account_file(folder, **changes) -> str:
    config = {
        "credentials": {"usernames": {
            "claire": {"name": "Claire Morel", "email": "claire.morel@ars.sante.fr",
                       "password": hash_password(PASSWORDS["claire"]), "roles": ["ars"]},
            "paul": {"name": "Paul Lenoir", "email": "paul.lenoir@dieppe.fr",
                     "password": hash_password(PASSWORDS["paul"])},
        }},
        "cookie": {"name": "cls_session", "key": "0123456789abcdef" * 3, "expiry_days": 1},
    }
    for username, account in changes.items():
        config["credentials"]["usernames"][username].update(account)
    path = folder / "accounts.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return str(path)


@pytest.fixture(autouse=True)
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


# --- the account file ---------------------------------------------------------------------------

def test_hashed_password_checks_and_plain_password_is_refused(tmp_path):
    hashed = hash_password("un mot de passe")
    assert bcrypt.checkpw(b"un mot de passe", hashed.encode()) and "un mot de passe" not in hashed
    assert load_accounts(account_file(tmp_path))["credentials"]["usernames"]["claire"]["roles"] == ["ars"]

    with pytest.raises(ConfigError, match=r"accounts\.yaml, compte « paul » : .*hachage bcrypt"):
        load_accounts(account_file(tmp_path, paul={"password": "Elu-de-Dieppe-2026"}))
    with pytest.raises(ConfigError, match="rôles .*admin"):
        load_accounts(account_file(tmp_path, paul={"roles": ["admin"]}))
    with pytest.raises(ConfigError, match="trop court"):
        hash_password("court")


@pytest.mark.slow
def test_hash_password_command_prints_a_hash_that_the_app_accepts(tmp_path):
    command = [sys.executable, "-m", "assistant.cli", "hash-password"]
    done = subprocess.run(command, input="Un-long-secret\nUn-long-secret\n", capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    hashed = done.stdout.strip()  # prompts go to stderr: stdout is the hash alone
    assert bcrypt.checkpw(b"Un-long-secret", hashed.encode())
    assert load_accounts(account_file(tmp_path, paul={"password": hashed}))
    mismatch = subprocess.run(command, input="Un-long-secret\nun-autre\nUn-long-secret\nUn-long-secret\n",
                              capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert mismatch.returncode == 0 and bcrypt.checkpw(b"Un-long-secret", mismatch.stdout.strip().encode())
    short = subprocess.run(command, input="court\ncourt\n", capture_output=True, text=True, cwd=ROOT,
                           timeout=120, check=False)
    assert short.returncode == 2 and "trop court" in short.stderr


def test_broken_account_files_name_the_file_and_the_reason(tmp_path):
    path = tmp_path / "accounts.yaml"
    with pytest.raises(ConfigError, match="illisible"):
        load_accounts(path)
    path.write_text("credentials: [", encoding="utf-8")
    with pytest.raises(ConfigError, match="YAML invalide"):
        load_accounts(path)
    config = yaml.safe_load(open(account_file(tmp_path), encoding="utf-8"))
    config["cookie"]["key"] = "court"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"accounts\.yaml : « cookie: key »"):
        load_accounts(path)


def test_oidc_role_comes_from_a_claim_or_a_listed_verified_address():
    staff = ["agent.connu@ars.sante.fr", "@ars-normandie.fr"]
    assert oidc_role({"email": "x@y.fr", "roles": ["lecteur", "ars"]}, []) == "ars"
    assert oidc_role({"email": "x@y.fr", "groups": "ars autres"}, []) == "ars"
    assert oidc_role({"email": "Agent.Connu@ars.sante.fr", "email_verified": True}, staff) == "ars"
    assert oidc_role({"email": "quelqu.un@ars-normandie.fr"}, staff) == "ars"
    assert oidc_role({"email": "agent.connu@ars.sante.fr", "email_verified": False}, staff) == "public"
    assert oidc_role({"email": "elu@ars-normandie.fr.example.com"}, staff) == "public"
    assert oidc_role({"email": "elu@dieppe.fr", "roles": ["arsenal"]}, staff) == "public"
    assert oidc_role({}, staff) == "public"


# --- the app ------------------------------------------------------------------------------------

def open_app(monkeypatch, data_dir, **env) -> AppTest:
    monkeypatch.setenv("CLS_DATA_DIR", str(data_dir))
    monkeypatch.delenv("CLS_CHROMA_URL", raising=False)
    monkeypatch.setenv("CLS_LLM", "extractive")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def app(mixed_store, monkeypatch, tmp_path):
    return open_app(monkeypatch, mixed_store.data_dir, CLS_AUTH="password", CLS_AUTH_FILE=account_file(tmp_path))


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    """The form's inputs have no keys: they are found by their labels."""
    [field for field in at.text_input if field.label == "Identifiant"][0].set_value(username)
    [field for field in at.text_input if field.label == "Mot de passe"][0].set_value(password)
    [button for button in at.button if button.label == "Se connecter"][0].click().run()
    assert not at.exception, at.exception
    return at.run()  # the run after sign-in draws the signed-in sidebar


def ask(at: AppTest, question: str):
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception, at.exception
    return at.session_state["turns"][-1].answer


def shown_files(at: AppTest) -> set[str]:
    at.switch_page(DOCUMENTS_PAGE).run()
    assert not at.exception, at.exception
    return set(at.dataframe[0].value["Fichier"]) if at.dataframe else set()


def sidebar_text(at: AppTest) -> str:
    return "\n".join(element.value for element in at.sidebar.caption)


def test_anonymous_visitor_is_public_and_cannot_upload(app):
    assert app.session_state["role"] == "public"
    assert "Base** : 5 documents" in sidebar_text(app)
    answer = ask(app, SECRET_QUESTION)
    assert "ZX-4471" not in answer.answer and all(p.file not in INTERNAL for p in answer.sources)
    assert not shown_files(app) & set(INTERNAL)
    assert not app.get("file_uploader")
    assert any("réservé aux agents ARS" in info.value for info in app.info)


def test_wrong_password_says_so_and_stays_public(app):
    sign_in(app, "claire", "pas-le-bon-mot-de-passe")
    assert any("incorrect" in error.value for error in app.sidebar.error)
    assert app.session_state["role"] == "public"


def test_ars_staff_see_internal_documents_until_they_sign_out(app):
    sign_in(app, "claire", PASSWORDS["claire"])
    assert app.session_state["role"] == "ars"
    assert "Claire Morel" in sidebar_text(app) and "Base** : 8 documents" in sidebar_text(app)
    answer = ask(app, SECRET_QUESTION)
    assert answer.found and "ZX-4471" in answer.answer
    assert any(c.file == "note-interne-dieppe.md" for c in answer.citations)
    assert shown_files(app) >= set(INTERNAL)
    assert app.get("file_uploader")

    [button for button in app.sidebar.button if button.label == "Se déconnecter"][0].click().run()
    assert not app.exception, app.exception
    assert app.session_state["role"] == "public"
    assert app.session_state["turns"] == []  # nothing answered from internal documents stays on screen
    assert not shown_files(app) & set(INTERNAL)


def test_signed_in_account_without_the_ars_role_stays_public(app):
    sign_in(app, "paul", PASSWORDS["paul"])
    assert app.session_state["role"] == "public" and "Paul Lenoir" in sidebar_text(app)
    answer = ask(app, SECRET_QUESTION)
    assert "ZX-4471" not in answer.answer and all(p.file not in INTERNAL for p in answer.sources)
    assert not app.get("file_uploader")


def test_misconfigured_sign_in_stops_with_a_clear_message(mixed_store, monkeypatch, tmp_path):
    at = open_app(monkeypatch, mixed_store.data_dir, CLS_AUTH="password", CLS_AUTH_FILE=str(tmp_path / "absent.yaml"))
    assert "CLS_AUTH_FILE introuvable" in html.unescape(at.error[0].value) and not at.chat_input
    at = open_app(monkeypatch, mixed_store.data_dir, CLS_AUTH="sso")
    assert "CLS_AUTH='sso' : choisissez none, password, oidc" in html.unescape(at.error[0].value)


def upload(at: AppTest, files: list[tuple[str, bytes, str]], visibility: str) -> AppTest:
    at.switch_page(DOCUMENTS_PAGE).run()
    at.get("file_uploader")[0].set_value(files)
    at.radio(key="upload_visibility").set_value(visibility)
    next(b for b in at.button if b.label == "Indexer").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.model
def test_ars_upload_marked_internal_is_hidden_from_the_public(tmp_path, monkeypatch):
    at = open_app(monkeypatch, tmp_path / "data", CLS_AUTH="password", CLS_AUTH_FILE=account_file(tmp_path))
    sign_in(at, "claire", PASSWORDS["claire"])
    note = ("# Note interne de Testville\n\nLe code budgétaire QX-7781 finance la coordination du contrat "
            "local de santé de Testville.\n").encode()
    upload(at, [("note-testville.md", note, "text/markdown")], "internal")
    assert "1 fichier indexé" in at.success[0].value
    assert dict(zip(at.dataframe[0].value["Fichier"], at.dataframe[0].value["Visibilité"])) == {
        "note-testville.md": "Interne (agents ARS)"}
    question = "Quel code budgétaire finance la coordination du CLS de Testville ?"
    at.switch_page("assistant/ui/pages/chat.py").run()
    assert "QX-7781" in ask(at, question).answer

    [button for button in at.sidebar.button if button.label == "Se déconnecter"][0].click().run()
    assert at.session_state["role"] == "public"
    assert at.chat_input(key="question").disabled  # the public sees no document at all
    assert shown_files(at) == set() and not at.dataframe  # no table, and the upload report went with the role
    assert "Base** : 0 documents" in sidebar_text(at)

    sign_in(at, "claire", PASSWORDS["claire"])
    upload(at, [("note-testville.md", note, "text/markdown")], "public")  # the same file, made public
    assert at.dataframe[0].value["Visibilité"].tolist() == ["Public"]
    [button for button in at.sidebar.button if button.label == "Se déconnecter"][0].click().run()
    at.switch_page("assistant/ui/pages/chat.py").run()
    assert "QX-7781" in ask(at, question).answer
