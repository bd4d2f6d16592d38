"""WAGI's `modules.toml`: routes to modules, so existing WAGI setups load as they are.

Each `[[module]]` table has `route` and `module` (required) and optionally `entrypoint`, `argv`,
`environment`, `volumes` and `allowed_hosts`. Relative module and volume paths are resolved against the
TOML file's folder, so a setup works no matter where `serve` was started. A route ending in `/...` is a
wildcard for that prefix and everything under it. Exact routes win over wildcards; among wildcards the
longest prefix wins, so the table's order never decides silently.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wasi_playground.core.engine.config import ConfigError, Preopen, RunConfig

WILDCARD = "/..."
DEFAULT_ARGV = "${SCRIPT_NAME} ${ARGS}"
_KNOWN_KEYS = {
    "route",
    "module",
    "entrypoint",
    "argv",
    "environment",
    "volumes",
    "allowed_hosts",
    "repository",
}


@dataclass
class Route:
    route: str
    module: Path
    entrypoint: str = "_start"
    argv: str = DEFAULT_ARGV
    """WAGI's argv template: `${SCRIPT_NAME}` and `${ARGS}` (the query items) are substituted."""
    environment: list[tuple[str, str]] = field(default_factory=list)
    volumes: list[tuple[str, str]] = field(default_factory=list)
    """(guest path, host path) pairs, host paths absolute."""
    allowed_hosts: list[str] = field(default_factory=list)
    base: RunConfig | None = None
    """The module's own run configuration (limits, preopens, env) when serving a single module."""

    @property
    def is_wildcard(self) -> bool:
        return self.route.endswith(WILDCARD)

    @property
    def prefix(self) -> str:
        """The route without its wildcard suffix: `/bar/...` -> `/bar`, `/...` -> ``."""
        return self.route[: -len(WILDCARD)] if self.is_wildcard else self.route.rstrip("/")

    def matches(self, path: str) -> bool:
        prefix = self.prefix
        if self.is_wildcard:
            return path == prefix or path.startswith(prefix + "/") or prefix == ""
        return path.rstrip("/") == prefix or (path == "/" and prefix == "")

    def run_config(self) -> RunConfig:
        """The configuration every request of this route starts from (the request adds env, argv, stdin)."""
        config = RunConfig.from_dict(self.base.to_dict()) if self.base is not None else RunConfig()
        config.env = [*config.env, *self.environment]
        config.preopens = [*config.preopens, *(Preopen(host=h, guest=g) for g, h in self.volumes)]
        if self.entrypoint and self.entrypoint != "_start":
            config.invoke = self.entrypoint
            config.invoke_args = []
        return config


@dataclass
class RouteMatch:
    route: Route
    script_name: str
    """The part of the path the route consumed (CGI SCRIPT_NAME)."""
    path_info: str
    """The raw rest of the path after SCRIPT_NAME (CGI PATH_INFO before URL-decoding)."""


@dataclass
class RouteTable:
    routes: list[Route]
    source: Path | None = None
    warnings: list[str] = field(default_factory=list)

    def match(self, raw_path: str) -> RouteMatch | None:
        exact = [r for r in self.routes if not r.is_wildcard and r.matches(raw_path)]
        wild = sorted(
            (r for r in self.routes if r.is_wildcard and r.matches(raw_path)),
            key=lambda r: len(r.prefix),
            reverse=True,
        )
        candidates = exact or wild
        if not candidates:
            return None
        chosen = candidates[0]
        script = chosen.prefix
        rest = raw_path[len(script) :] if raw_path.startswith(script) else ""
        return RouteMatch(route=chosen, script_name=script, path_info=rest)

    @classmethod
    def single(cls, module: Path, base: RunConfig | None = None) -> RouteTable:
        """One module answering every path, which is what `http FILE` and `serve FILE` mean."""
        return cls(routes=[Route(route=WILDCARD, module=Path(module), base=base)])


def load_modules_toml(path: str | Path) -> RouteTable:
    """Read a WAGI `modules.toml`; a mistake raises ConfigError naming the table and the key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path} is not valid TOML: {e}") from None
    return parse_modules_table(data, path.resolve().parent, source=path)


def parse_modules_table(data: dict[str, Any], base_dir: Path, source: Path | None = None) -> RouteTable:
    modules = data.get("module")
    if not isinstance(modules, list) or not modules:
        raise ConfigError("modules.toml declares no [[module]] tables (each needs route and module)")
    table = RouteTable(routes=[], source=source)
    seen: set[str] = set()
    for index, entry in enumerate(modules, start=1):
        where = f"[[module]] #{index}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} is not a table")
        route = _route_of(entry, where)
        if route in seen:
            table.warnings.append(f"{where}: route {route} is declared twice; the first one answers")
            continue
        seen.add(route)
        for key in sorted(set(entry) - _KNOWN_KEYS):
            table.warnings.append(f"{where}: unknown key {key!r} ignored")
        hosts = _string_list(entry.get("allowed_hosts", []), f"{where} allowed_hosts")
        if hosts:
            table.warnings.append(
                f"{where}: allowed_hosts is recorded but this host gives handlers no outgoing HTTP"
            )
        table.routes.append(
            Route(
                route=route,
                module=_module_path(entry.get("module"), base_dir, where),
                entrypoint=_string(entry.get("entrypoint", "_start"), f"{where} entrypoint"),
                argv=_string(entry.get("argv", DEFAULT_ARGV), f"{where} argv"),
                environment=[
                    (k, str(v)) for k, v in _table(entry.get("environment", {}), f"{where} environment")
                ],
                volumes=[
                    (g, str((base_dir / _string(h, f"{where} volumes")).resolve()))
                    for g, h in _table(entry.get("volumes", {}), f"{where} volumes")
                ],
                allowed_hosts=hosts,
            )
        )
    return table


def _route_of(entry: dict[str, Any], where: str) -> str:
    route = entry.get("route")
    if not isinstance(route, str) or not route.startswith("/"):
        raise ConfigError(f"{where} needs a route starting with '/', got {route!r}")
    if "..." in route and not route.endswith(WILDCARD):
        raise ConfigError(f"{where}: a wildcard route must end in /..., got {route!r}")
    return route


def _module_path(value: Any, base_dir: Path, where: str) -> Path:
    if not isinstance(value, str) or not value:
        raise ConfigError(f'{where} needs module = "path/to/handler.wasm"')
    if value.startswith("file://"):
        value = value[len("file://") :]
    elif value.split(":", 1)[0] in ("bindle", "oci", "http", "https"):
        raise ConfigError(f"{where}: module {value!r} is a remote reference; only local files are supported")
    path = (base_dir / value).resolve()
    if not path.is_file():
        raise ConfigError(f"{where}: module file {path} does not exist")
    return path


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a string, got {value!r}")
    return value


def _string_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [h.strip() for h in value.split(",") if h.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return list(value)


def _table(value: Any, where: str) -> list[tuple[str, Any]]:
    if not isinstance(value, dict):
        raise ConfigError(f'{where} must be a table such as {{ NAME = "value" }}')
    return [(str(k), v) for k, v in value.items()]
