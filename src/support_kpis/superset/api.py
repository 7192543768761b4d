"""A small client of Superset's REST API (standard library only).

Logs in with a user's password (`/api/v1/security/login`, JWT), fetches a CSRF
token for writes, and keeps the session cookie that goes with that token.
"""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

from support_kpis.superset import SupersetError

Json = Any


class SupersetApi:
    def __init__(self, base_url: str, username: str, password: str, timeout: float = 300.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self._headers: dict[str, str] = {}
        login = self.request(
            "POST",
            "/api/v1/security/login",
            {"username": username, "password": password, "provider": "db", "refresh": False},
        )
        self._headers["Authorization"] = f"Bearer {login['access_token']}"
        csrf = self.request("GET", "/api/v1/security/csrf_token/")
        self._headers.update({"X-CSRFToken": csrf["result"], "Referer": self.base_url + "/"})

    def request(
        self,
        method: str,
        path: str,
        body: Json = None,
        *,
        data: bytes | None = None,
        content_type: str = "application/json",
        expect: tuple[int, ...] = (200, 201),
    ) -> Json:
        if body is not None:
            data = json.dumps(body).encode()
        headers = dict(self._headers, Accept="application/json")
        if data is not None:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers=headers
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        except urllib.error.URLError as error:
            raise SupersetError(f"{method} {self.base_url}{path}: {error.reason}") from error
        if status not in expect:
            raise SupersetError(
                f"{method} {path} answered {status}: {payload[:2000].decode(errors='replace')}"
            )
        return json.loads(payload) if payload else None

    def get(self, path: str, **query: Json) -> Json:
        if query:
            path += "?" + urllib.parse.urlencode({"q": _rison(query)})
        return self.request("GET", path)

    def post(self, path: str, body: Json) -> Json:
        return self.request("POST", path, body)

    def put(self, path: str, body: Json) -> Json:
        return self.request("PUT", path, body)

    def post_files(self, path: str, fields: dict[str, str], files: dict[str, bytes]) -> Json:
        """POST multipart/form-data (the import endpoints)."""
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, content in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{name}.zip"\r\nContent-Type: application/zip\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            data=b"".join(parts),
            content_type=f"multipart/form-data; boundary={boundary}",
        )

    def all(self, path: str, **query: Json) -> list[Json]:
        """Every row of a list endpoint, page by page."""
        rows: list[Json] = []
        page = 0
        while True:
            answer = self.get(path, **query, page=page, page_size=100)
            rows.extend(answer["result"])
            if len(rows) >= answer.get("count", 0) or not answer["result"]:
                return rows
            page += 1


def _rison(value: Json) -> str:
    """Rison, the query encoding of Superset's list endpoints (enough of it for ours)."""
    if isinstance(value, bool):
        return "!t" if value else "!f"
    if value is None:
        return "!n"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        safe = value.replace("!", "!!").replace("'", "!'")
        simple = safe and all(ch.isalnum() or ch in "-_./~" for ch in safe)
        return safe if simple and not safe[0].isdigit() and safe[0] != "-" else f"'{safe}'"
    if isinstance(value, list | tuple):
        return "!(" + ",".join(_rison(item) for item in value) + ")"
    if isinstance(value, dict):
        return "(" + ",".join(f"{key}:{_rison(item)}" for key, item in value.items()) + ")"
    raise TypeError(f"cannot encode {value!r} as rison")
