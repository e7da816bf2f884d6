"""Personal API tokens: list, create (shown once), revoke.

Only the SHA-256 of a token is stored. The token itself appears in exactly one response, the page
that answers its creation; it is never put into the session, a URL, a log line or the audit trail.
"""

from __future__ import annotations

import secrets

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config

from intranet.accounts import services as accounts
from intranet.accounts.forms import TokenForm
from intranet.accounts.models import ApiToken
from intranet.audit.services import record
from intranet.i18n import _
from intranet.models.meta import utcnow
from intranet.numbers import parse_id
from intranet.security import Permission
from intranet.security.policy import hash_token
from intranet.web import flash

PREFIX_LENGTH = 8


def my_tokens(request) -> list[ApiToken]:
    return accounts.tokens_of(request.dbsession, request.identity.id)


def create_token(dbsession, user_id: int, name: str) -> tuple[ApiToken, str]:
    """A new token for the user: (the stored row, the token to show once)."""
    token = secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user_id, name=name, token_hash=hash_token(token), prefix=token[:PREFIX_LENGTH], created_at=utcnow()
    )
    dbsession.add(row)
    dbsession.flush()
    return row, token


@view_config(
    route_name="accounts.tokens",
    renderer="accounts/tokens.jinja2",
    permission=Permission.API_TOKENS,
    request_method=("GET", "POST"),
)
def tokens(request):
    form = TokenForm(request.POST if request.method == "POST" else None, request=request)
    created = None
    if request.method == "POST":
        if form.validate():
            name = form.name.data
            row, token = create_token(request.dbsession, request.identity.id, name)
            record(request, "token.create", "api_token", row.id, detail={"name": name, "prefix": row.prefix})
            created = {"row": row, "token": token}
            form = TokenForm(request=request)  # the next token starts from an empty form
        else:
            request.response.status_int = 400
    return {"tokens": my_tokens(request), "form": form, "created": created}


@view_config(route_name="accounts.token_revoke", permission=Permission.API_TOKENS, request_method="POST")
def revoke(request):
    token_id = parse_id(request.matchdict["token_id"])
    if token_id is None:
        raise HTTPNotFound()
    row = accounts.token_for_update(request.dbsession, token_id, request.identity.id)
    if row is None:
        # Another user's token is not yours to know about.
        raise HTTPNotFound()
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(request, "token.revoke", "api_token", row.id, detail={"name": row.name, "prefix": row.prefix})
        flash(
            request,
            _(
                'The token "${name}" has been revoked: programs using it can no longer sign in.',
                mapping={"name": row.name},
            ),
        )
    return HTTPFound(location=request.route_path("accounts.tokens"))
