"""Who may see what: a role maps to the document visibilities it may retrieve, cite or count.

Documents are `public` unless the manifest marks them otherwise (e.g. `internal`). The `public`
role, the default everywhere, sees only `public` documents; `ars` sees every document. The role
becomes a retrieval filter, so hidden chunks never reach the answer engine.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.core.errors import AssistantError
from assistant.core.filters import Filters

PUBLIC = "public"
ROLES: dict[str, tuple[str, ...] | None] = {
    "public": (PUBLIC,),
    "ars": None,  # every visibility
}


class RoleError(AssistantError, ValueError):
    """An unknown role; the message, in French, lists the known ones."""


def visible(role: str) -> tuple[str, ...] | None:
    """Visibilities the role may see (None: all)."""
    if role not in ROLES:
        raise RoleError(f"Rôle inconnu « {role} » : choisissez {' ou '.join(ROLES)}.")
    return ROLES[role]


def restrict(filters: Filters | None, role: str) -> Filters:
    """The filters narrowed to what the role may see (never widened by a caller's own filter)."""
    filters = filters or Filters()
    allowed = visible(role)
    if allowed is None:
        return filters
    if filters.visibility is not None:
        allowed = tuple(v for v in filters.visibility if v in allowed)
    return replace(filters, visibility=allowed)
