"""Secrets never shown: the password-bearing parts of database URLs and connection strings."""

from __future__ import annotations

import re

#: Query parameters (and ``key=value`` words of a libpq connection string) whose value is a
#: secret: any name holding pass, pwd, secret, token, key, auth or credential
#: (``password``, ``sslpassword``, ``api_key``, ``access_token`` …).
_SECRET_NAME = r"[A-Za-z_]*(?:pass|pwd|secret|token|key|auth|credential)[A-Za-z_]*"
_SECRET_PARAM = re.compile(rf"(?i)(^|[?&;\s'\"])({_SECRET_NAME}=)[^&;\s'\"]*")
#: The password of ``scheme://user:password@host``.
_USER_INFO = re.compile(r"(://[^:/@\s]*:)[^@\s/]*@")


def mask_secrets(text: str) -> str:
    """``text`` with every password-bearing part of a URL or connection string replaced by
    ``***``: the user-info password (``//user:***@``) and the value of any secret query
    parameter (``?password=***``, ``&sslpassword=***``)."""
    return _SECRET_PARAM.sub(r"\1\2***", _USER_INFO.sub(r"\1***@", text))
