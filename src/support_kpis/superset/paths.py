"""Where Superset's venv, configuration, metadata and process files live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

VENV_NAME = ".venv-superset"
DEFAULT_HOME = Path("warehouse") / "superset"
HOME_ENV = "SUPPORT_KPIS_SUPERSET_HOME"
DEFAULT_PORT = 8088
HOST = "127.0.0.1"


@dataclass(frozen=True)
class SupersetPaths:
    """The venv (per project) and the home folder (per user: metadata, config, logs)."""

    project_dir: Path
    home: Path

    @classmethod
    def of(cls, project_dir: Path, home: Path | None = None) -> SupersetPaths:
        project_dir = project_dir.resolve()
        chosen = home or Path(os.environ.get(HOME_ENV) or project_dir / DEFAULT_HOME)
        return cls(project_dir=project_dir, home=chosen.resolve())

    @property
    def venv(self) -> Path:
        return self.project_dir / VENV_NAME

    @property
    def constraints(self) -> Path:
        return self.project_dir / "bi" / "superset" / "constraints.txt"

    @property
    def bundle(self) -> Path:
        return self.project_dir / "bi" / "superset" / "bundle"

    def bin(self, name: str) -> Path:
        return self.venv / "bin" / name

    @property
    def config(self) -> Path:
        return self.home / "superset_config.py"

    @property
    def secret_key(self) -> Path:
        return self.home / "secret_key"

    @property
    def admin_password(self) -> Path:
        return self.home / "admin_password"

    @property
    def metadata(self) -> Path:
        return self.home / "superset.db"

    @property
    def initialized(self) -> Path:
        return self.home / ".initialized"

    @property
    def pid(self) -> Path:
        return self.home / "superset.pid"

    @property
    def port_file(self) -> Path:
        return self.home / "superset.port"

    @property
    def log(self) -> Path:
        return self.home / "superset.log"
