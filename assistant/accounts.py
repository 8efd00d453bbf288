"""Who may sign in, and which role (assistant/access.py) a signed-in person gets.

Two ways to sign in, chosen by `CLS_AUTH`:
- `password`: accounts in a YAML file (`CLS_AUTH_FILE`, the format of streamlit-authenticator) with
  bcrypt-hashed passwords only — a plain password in the file is refused, never hashed in place;
- `oidc`: Streamlit's `st.login` against the provider of `.streamlit/secrets.toml` `[auth]`; the
  role comes from the identity token (`roles` or `groups` claim) or from `CLS_ARS_EMAILS`.
Nobody signed in is `public`. This module holds no Streamlit code, so the rules are tested alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import bcrypt
import yaml

from assistant.access import PUBLIC, ROLES
from assistant.core.config import ConfigError

STAFF = "ars"
MIN_COOKIE_KEY = 32
ROLE_CLAIMS = ("roles", "groups")


def role_from(roles: Iterable[str] | None) -> str:
    """`ars` when the person holds it, else `public`: the most a person is granted, never more."""
    return STAFF if STAFF in set(roles or ()) else PUBLIC


def oidc_role(claims: Mapping[str, object], staff_emails: Iterable[str]) -> str:
    """The role of an OIDC user: a `roles`/`groups` claim holding `ars`, or an address (or an
    `@domain`) listed in `CLS_ARS_EMAILS`. The address counts only when the provider verified it."""
    for claim in ROLE_CLAIMS:
        value = claims.get(claim)
        if isinstance(value, str):
            value = value.split()
        if isinstance(value, list) and role_from(str(v) for v in value) == STAFF:
            return STAFF
    email = str(claims.get("email") or "").strip().casefold()
    if not email or claims.get("email_verified") is False:
        return PUBLIC
    listed = {entry.strip().casefold() for entry in staff_emails if entry.strip()}
    domain = "@" + email.rpartition("@")[2]
    return STAFF if email in listed or domain in listed else PUBLIC


def load_accounts(path: Path) -> dict:
    """The account file, checked: a mistake fails at start-up with the file and the reason."""
    name = str(path)
    try:
        config = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"Fichier de comptes {name} illisible ({error.strerror or error}) : CLS_AUTH_FILE.") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"Fichier de comptes {name} : YAML invalide ({error}).") from error
    if not isinstance(config, dict):
        raise ConfigError(f"Fichier de comptes {name} : sections « credentials » et « cookie » attendues.")
    users = (config.get("credentials") or {}).get("usernames")
    if not isinstance(users, dict) or not users:
        raise ConfigError(f"Fichier de comptes {name} : aucun compte sous « credentials: usernames: ».")
    for username, account in users.items():
        _check_account(name, str(username), account)
    _check_cookie(name, config.get("cookie"))
    return config


def hash_password(password: str) -> str:
    """The bcrypt hash to paste in the account file (`cls-assistant hash-password`)."""
    if len(password) < 8:
        raise ConfigError("Mot de passe trop court : 8 caractères au moins.")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def _check_account(file: str, username: str, account: object) -> None:
    where = f"Fichier de comptes {file}, compte « {username} »"
    if not isinstance(account, dict):
        raise ConfigError(f"{where} : attendu name, email, password, roles.")
    password = str(account.get("password") or "")
    if not _is_bcrypt(password):
        raise ConfigError(
            f"{where} : le mot de passe doit être un hachage bcrypt, jamais en clair "
            "(cls-assistant hash-password)."
        )
    roles = account.get("roles") or []
    if not isinstance(roles, list) or any(role not in ROLES for role in roles):
        raise ConfigError(f"{where} : rôles {roles!r} inconnus (choisir parmi {', '.join(ROLES)}).")


def _check_cookie(file: str, cookie: object) -> None:
    if not isinstance(cookie, dict) or not cookie.get("name"):
        raise ConfigError(f"Fichier de comptes {file} : section « cookie » (name, key, expiry_days) absente.")
    if len(str(cookie.get("key") or "")) < MIN_COOKIE_KEY:
        raise ConfigError(
            f"Fichier de comptes {file} : « cookie: key » doit être un secret aléatoire de "
            f"{MIN_COOKIE_KEY} caractères au moins."
        )


def _is_bcrypt(value: str) -> bool:
    return value.startswith(("$2a$", "$2b$", "$2y$")) and len(value) == 60
