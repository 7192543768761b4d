"""Import the dashboard bundle (bi/superset/bundle) into a running Superset.

The bundle is Superset's asset export format. Its database file names a
placeholder URI; the zip sent to Superset carries the user's warehouse instead
(the BI copy, read-only). The assets import API overwrites what it finds by
UUID, so importing again after editing the bundle (or pointing at another
warehouse) replaces the database, datasets, charts and dashboard in place:
their ids, and so row-level security filters and agent roles, are kept.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import yaml

from support_kpis.superset import SupersetError
from support_kpis.superset.api import SupersetApi

ROOT = "support_kpis_bundle"


def load_bundle(folder: Path) -> dict[str, dict[str, Any]]:
    """Relative path -> parsed YAML of every file of the bundle."""
    if not (folder / "metadata.yaml").is_file():
        raise SupersetError(f"no Superset bundle at {folder} (metadata.yaml missing)")
    return {
        str(path.relative_to(folder)): yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(folder.rglob("*.yaml"))
    }


def bundle_zip(folder: Path, database_uri: str) -> bytes:
    """The bundle as the zip Superset imports, with every database pointing at
    `database_uri`."""
    files = load_bundle(folder)
    databases = [name for name in files if name.startswith("databases/")]
    if len(databases) != 1:
        raise SupersetError(f"the bundle at {folder} must hold one database, found {databases}")
    files[databases[0]]["sqlalchemy_uri"] = database_uri
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{ROOT}/{name}", yaml.safe_dump(content, sort_keys=False))
    return buffer.getvalue()


def import_bundle(api: SupersetApi, folder: Path, database_uri: str) -> dict[str, Any]:
    """Import (overwrite) the bundle; return the ids Superset gave its objects."""
    api.post_files(
        "/api/v1/assets/import/",
        {"passwords": "{}"},
        {"bundle": bundle_zip(folder, database_uri)},
    )
    files = load_bundle(folder)
    wanted = {
        kind: {content["uuid"] for name, content in files.items() if name.startswith(kind + "s/")}
        for kind in ("database", "dataset", "chart", "dashboard")
    }
    found: dict[str, Any] = {}
    for kind, endpoint, label in (
        ("database", "database", "database_name"),
        ("dataset", "dataset", "table_name"),
        ("chart", "chart", "slice_name"),
        ("dashboard", "dashboard", "dashboard_title"),
    ):
        rows = api.all(f"/api/v1/{endpoint}/", columns=["id", "uuid", label])
        found[kind] = {row[label]: row["id"] for row in rows if row["uuid"] in wanted[kind]}
        if len(found[kind]) != len(wanted[kind]):
            raise SupersetError(
                f"after the import Superset holds {len(found[kind])} of the bundle's "
                f"{len(wanted[kind])} {kind}s"
            )
    return found
