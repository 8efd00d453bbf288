"""Sign-in in the sidebar, and the role of this browser session: `public` unless signed in as ARS staff.

`CLS_AUTH` picks the way (assistant/accounts.py): `none` draws nothing, `password` uses
streamlit-authenticator (its re-authentication cookie keeps a person signed in across reloads),
`oidc` uses Streamlit's `st.login`. The role is decided once per run, before the page, and the
pages pass it to retrieval, the counts and the catalogue. When it changes (sign-in, sign-out), the
conversation is forgotten, so nothing answered from internal documents stays on screen.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assistant.access import PUBLIC
from assistant.accounts import STAFF, load_accounts, oidc_role, role_from
from assistant.core.config import ConfigError, Settings
from assistant.ui import resources, session
from assistant.ui.markdown import escape

ROLE = "role"
FIELDS = {"Form name": "Connexion", "Username": "Identifiant", "Password": "Mot de passe", "Login": "Se connecter"}
ROLE_LABELS = {PUBLIC: "accès public", STAFF: "agent ARS : documents internes visibles"}


def panel() -> str:
    """Draw the sign-in (or who is signed in, and « Se déconnecter ») and return the role."""
    settings = resources.settings()
    if settings.auth == "none":
        role = PUBLIC
    elif settings.auth == "password":
        role = _password(settings)
    else:  # "oidc": the settings accept no other mode
        role = _oidc(settings)
    if st.session_state.get(ROLE, role) != role:
        session.forget_everything()
    st.session_state[ROLE] = role
    return role


def role() -> str:
    """The role decided by `panel` in this run (public if it was not drawn)."""
    return st.session_state.get(ROLE, PUBLIC)


def may_upload() -> bool:
    """Without sign-in the app is a one-person tool; with it, only ARS staff add documents."""
    return resources.settings().auth == "none" or role() == STAFF


@st.cache_resource(show_spinner=False)
def _accounts(path: str, modified: float) -> dict:
    """Read again when the file changes; one copy per process, so failed attempts are counted."""
    return load_accounts(Path(path))


def _password(settings: Settings) -> str:
    import streamlit_authenticator as stauth  # imported only when used: it draws at import time

    path = settings.auth_file
    if path is None or not Path(path).is_file():
        raise ConfigError(f"CLS_AUTH=password : fichier de comptes CLS_AUTH_FILE introuvable ({path}).")
    config = _accounts(str(path), Path(path).stat().st_mtime)
    cookie = config["cookie"]
    with st.sidebar:  # its cookie component is drawn where it is made: out of the page's way
        authenticator = stauth.Authenticate(
            config["credentials"], cookie["name"], cookie["key"], float(cookie.get("expiry_days", 1)),
            auto_hash=False, login_sleep_time=0,
        )
        if st.session_state.get("authentication_status"):
            _signed_in(st.session_state.get("name") or st.session_state.get("username"),
                       role_from(st.session_state.get("roles")))
            authenticator.logout("Se déconnecter", "main", key="sign_out")
        else:
            with st.expander("Connexion (agents ARS)", icon=":material/lock:"):
                authenticator.login("main", fields=FIELDS, key="sign_in")
                if st.session_state.get("authentication_status") is False:
                    st.error("Identifiant ou mot de passe incorrect.", icon=":material/error:")
    if not st.session_state.get("authentication_status"):
        return PUBLIC
    return role_from(st.session_state.get("roles"))


def _oidc(settings: Settings) -> str:
    try:
        configured = "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        configured = False
    if not configured:
        raise ConfigError("CLS_AUTH=oidc : section [auth] absente de .streamlit/secrets.toml.")
    user = st.user
    role = oidc_role(user.to_dict(), settings.ars_emails) if user.is_logged_in else PUBLIC
    with st.sidebar:
        if user.is_logged_in:
            _signed_in(user.get("name") or user.get("email"), role)
            st.button("Se déconnecter", on_click=st.logout, key="sign_out", icon=":material/logout:")
        else:
            st.button("Se connecter", on_click=st.login, key="sign_in", icon=":material/login:")
    return role


def _signed_in(name: str | None, role: str) -> None:
    st.caption(f":material/account_circle: **{escape(name or '')}** — {ROLE_LABELS[role]}")
