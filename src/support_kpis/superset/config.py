"""The `superset_config.py` of a Superset home folder.

SQLite metadata database in the home folder, a SECRET_KEY generated once and
kept there (mode 0600: it encrypts stored connection secrets), no example
data, no feature that reaches the internet (alerts, reports, thumbnails,
Slack, map tiles), and a content security policy that lets the browser load
nothing but Superset's own assets (this also blocks the telemetry pixel of the
web pages).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from support_kpis.superset.paths import SupersetPaths

TEMPLATE = """\
# Written by `support-kpis bi superset start`; rewritten on every start, edits are lost.
# Superset home: {home}

SECRET_KEY = open({secret_key!r}, encoding="utf-8").read().strip()
SQLALCHEMY_DATABASE_URI = {metadata_uri!r}
DATA_DIR = {home!r}
UPLOAD_FOLDER = {uploads!r}

# No examples, no outbound calls.
SUPERSET_LOAD_EXAMPLES = False
FEATURE_FLAGS = {{
    "ALERT_REPORTS": False,
    "THUMBNAILS": False,
    "ENABLE_DASHBOARD_SCREENSHOT_ENDPOINTS": False,
    "ENABLE_DASHBOARD_DOWNLOAD_WEBDRIVER_SCREENSHOT": False,
    "EMBEDDED_SUPERSET": False,
    "ENABLE_TEMPLATE_PROCESSING": False,
}}
MAPBOX_API_KEY = ""
SLACK_API_TOKEN = None
WEBDRIVER_BASEURL = "http://127.0.0.1:{port}/"
PREVENT_UNSAFE_DB_CONNECTIONS = True
CACHE_CONFIG = {{"CACHE_TYPE": "NullCache"}}
DATA_CACHE_CONFIG = {{"CACHE_TYPE": "NullCache"}}

# The browser loads Superset's own assets only (no map tiles, fonts or telemetry pixel).
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {{
    "content_security_policy": {{
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    }},
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}}
CONTENT_SECURITY_POLICY_WARNING = False
THEME_FONT_URL_ALLOWED_DOMAINS = []
"""


def _secret_key(path: Path) -> None:
    if path.is_file() and path.read_text(encoding="utf-8").strip():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")


def write_config(paths: SupersetPaths, port: int) -> Path:
    """Write `superset_config.py` into the home folder (and its SECRET_KEY once)."""
    paths.home.mkdir(parents=True, exist_ok=True)
    _secret_key(paths.secret_key)
    uploads = paths.home / "uploads"
    uploads.mkdir(exist_ok=True)
    text = TEMPLATE.format(
        home=str(paths.home),
        secret_key=str(paths.secret_key),
        metadata_uri=f"sqlite:///{paths.metadata}?check_same_thread=false",
        uploads=str(uploads) + "/",
        port=port,
    )
    paths.config.write_text(text, encoding="utf-8")
    return paths.config
