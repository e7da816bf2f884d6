"""Who is on the other end: the client's address, taking forwarded headers only from our proxy.

webob's ``request.client_addr`` believes the first ``X-Forwarded-For`` address whoever sent it;
under gunicorn, which passes the header through as it came, anyone could then choose the address
written in the audit trail and escape the login throttle. Here the header counts only when the
connection comes from an address listed in ``intranet.trusted_proxies``, and then only the
addresses that our proxies appended: we read it from the right and stop at the first one that is
not a trusted proxy. waitress (pserve) applies its own ``trusted_proxy`` setting before us and
gives the client's address as REMOTE_ADDR, which this reads the same way.
"""

from __future__ import annotations

import ipaddress

from pyramid.settings import aslist

#: The audit column's width; an IPv6 address with a zone fits easily.
MAX_ADDRESS_LENGTH = 64
UNKNOWN = "unknown"


def _address(text: str) -> str | None:
    text = text.strip()
    if not text or len(text) > MAX_ADDRESS_LENGTH:
        return None
    if text.startswith("[") and "]" in text:  # "[::1]:1234"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "10.0.0.1:1234"
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def parse_trusted_proxies(value) -> frozenset[str]:
    """The setting ``intranet.trusted_proxies`` (addresses separated by spaces or commas)."""
    items = aslist(value.replace(",", " ")) if isinstance(value, str) else list(value or ())
    return frozenset(a for a in (_address(i) for i in items) if a)


def client_ip(request) -> str:
    """The address of the client, as the configured proxies report it; always a valid address
    of at most 64 characters (or "unknown")."""
    remote = _address(request.environ.get("REMOTE_ADDR", "")) or UNKNOWN
    trusted = request.registry.get("intranet.trusted_proxies", frozenset())
    if remote not in trusted:
        return remote
    forwarded = request.environ.get("HTTP_X_FORWARDED_FOR", "")[:2000]
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            return remote  # a hop our proxy did not write: do not look further
        if address not in trusted:
            return address
    return remote
