"""Agent logins: an agent sees the dashboard, and only their own scorecard rows.

Roles (created on demand, through Superset's security API):

- `Gamma`, Superset's own read-only role (menus, dashboards, charts);
- `support_kpis_viewer`: read access to the bundle's datasets (no SQL Lab, no
  other data);
- `support_kpis_agent_<AGENT_ID>`: no permission of its own; a row-level
  security filter `agent_id = '<AGENT_ID>'` on the agent scorecard dataset is
  attached to it, so every query of that dataset by the agent is filtered.
"""

from __future__ import annotations

import re
from typing import Any

from support_kpis.superset import SupersetError
from support_kpis.superset.api import SupersetApi
from support_kpis.superset.database import DATABASE_NAME

VIEWER_ROLE = "support_kpis_viewer"
AGENT_ROLE_PREFIX = "support_kpis_agent_"
SCORECARD_DATASETS = ("agent_scorecard",)
_SAFE = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


def _role_id(api: SupersetApi, name: str) -> int:
    roles = api.all("/api/v1/security/roles/")
    for role in roles:
        if role["name"] == name:
            return int(role["id"])
    return int(api.post("/api/v1/security/roles/", {"name": name})["id"])


def _datasets(api: SupersetApi) -> dict[str, dict[str, Any]]:
    rows = api.all("/api/v1/dataset/", columns=["id", "table_name", "database.database_name"])
    found = {
        row["table_name"]: row
        for row in rows
        if row.get("database", {}).get("database_name") == DATABASE_NAME
    }
    if not found:
        raise SupersetError(
            f"no dataset of the database {DATABASE_NAME!r}: import the dashboard first "
            "(`support-kpis bi superset import`)"
        )
    return found


def ensure_viewer_role(api: SupersetApi) -> int:
    """The viewer role, with datasource access to every dataset of the bundle's database."""
    role = _role_id(api, VIEWER_ROLE)
    datasets = _datasets(api)
    names = {f"[{DATABASE_NAME}].[{name}](id:{row['id']})" for name, row in datasets.items()}
    permissions = api.all("/api/v1/security/permissions-resources/")
    ids = [
        row["id"]
        for row in permissions
        if row["permission"]["name"] == "datasource_access" and row["view_menu"]["name"] in names
    ]
    if len(ids) != len(names):
        raise SupersetError(
            f"Superset lists {len(ids)} of {len(names)} dataset permissions; run "
            "`support-kpis bi superset import` again"
        )
    api.post(f"/api/v1/security/roles/{role}/permissions", {"permission_view_menu_ids": ids})
    return role


def _rls_filter(api: SupersetApi, agent_id: str, role: int, tables: list[int]) -> int:
    name = f"support_kpis agent {agent_id}"
    body = {
        "name": name,
        "filter_type": "Regular",
        "tables": tables,
        "roles": [role],
        "group_key": "agent",
        "clause": f"agent_id = '{agent_id}'",
        "description": f"Agent {agent_id} sees only their own scorecard rows.",
    }
    for row in api.all("/api/v1/rowlevelsecurity/"):
        if row["name"] == name:
            api.put(f"/api/v1/rowlevelsecurity/{row['id']}", body)
            return int(row["id"])
    return int(api.post("/api/v1/rowlevelsecurity/", body)["id"])


def add_agent(
    api: SupersetApi,
    agent_id: str,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> int:
    """Create (or update) the login `username` for `agent_id`; return the user's id."""
    for value, what in ((agent_id, "agent id"), (username, "username")):
        if not _SAFE.match(value):
            raise SupersetError(f"{what} {value!r}: use letters, digits and _ . @ - only")
    if len(password) < 8:
        raise SupersetError("the password must have at least 8 characters")
    datasets = _datasets(api)
    missing = [name for name in SCORECARD_DATASETS if name not in datasets]
    if missing:
        raise SupersetError(f"dataset(s) {missing} missing: import the dashboard first")
    viewer = ensure_viewer_role(api)
    agent_role = _role_id(api, AGENT_ROLE_PREFIX + agent_id)
    _rls_filter(api, agent_id, agent_role, [datasets[name]["id"] for name in SCORECARD_DATASETS])
    gamma = _role_id(api, "Gamma")
    body = {
        "first_name": first_name or agent_id,
        "last_name": last_name or "agent",
        "username": username,
        "email": f"{username}@agents.invalid",
        "active": True,
        "roles": [gamma, viewer, agent_role],
        "password": password,
    }
    for user in api.all("/api/v1/security/users/"):
        if user["username"] == username:
            api.put(f"/api/v1/security/users/{user['id']}", body)
            return int(user["id"])
    return int(api.post("/api/v1/security/users/", body)["id"])
