"""What each GET route reads from the query string, taken from the routes' own declarations.

The response cache keys on (and passes on) only the parameters a route declares, in a canonical
order, so unknown or reordered parameters neither make new cache entries nor change a response;
the request guard checks the declared integer parameters against the databases' 64-bit range.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus, urlencode

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute


@dataclass(frozen=True)
class RouteParams:
    pattern: re.Pattern[str]
    query: frozenset[str]  # every query parameter name (alias) the route reads
    integers: frozenset[str]  # those of them, and path parameters, that are integers


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_is_int(a) for a in typing.get_args(annotation))
    if typing.get_origin(annotation) is typing.Annotated:
        return _is_int(typing.get_args(annotation)[0])
    return False


def _fields(dependant: Dependant) -> tuple[list[Any], list[Any]]:
    """The query and path parameters of a route and of all its dependencies."""
    query, path = list(dependant.query_params), list(dependant.path_params)
    for sub in dependant.dependencies:
        more_query, more_path = _fields(sub)
        query += more_query
        path += more_path
    return query, path


def all_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every API route, in matching order. Recent FastAPI keeps an included router as one entry
    (``original_router``) rather than copying its routes; cajd includes routers without an extra
    prefix, so their routes' own paths are the full paths."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (included := getattr(route, "original_router", None)) is not None:
            yield from all_routes(included.routes)


def get_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every GET route, in matching order."""
    return (route for route in all_routes(routes) if "GET" in (route.methods or ()))


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def write_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every route that may change something (the security matrix covers each)."""
    return (route for route in all_routes(routes) if WRITE_METHODS & set(route.methods or ()))


def describe(routes: Iterable[BaseRoute]) -> list[RouteParams]:
    described = []
    for route in get_routes(routes):
        query_fields, path_fields = _fields(route.dependant)
        query = frozenset(f.alias for f in query_fields)
        integers = frozenset(f.alias for f in [*query_fields, *path_fields]
                             if _is_int(f.field_info.annotation))
        described.append(RouteParams(route.path_regex, query, integers))
    return described


class RouteMap:
    """Built on first use, when every router has been included."""

    def __init__(self, routes: list[BaseRoute]) -> None:
        self._routes = routes
        self._described: list[RouteParams] | None = None

    def match(self, path: str) -> RouteParams | None:
        if self._described is None:
            self._described = describe(self._routes)
        for params in self._described:
            if params.pattern.match(path):
                return params
        return None


def query_pairs(query_string: bytes) -> list[tuple[str, str]]:
    """Decoded name/value pairs, in order (the guard has already rejected invalid UTF-8)."""
    pairs = []
    for part in query_string.decode("latin-1").split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((unquote_plus(name, errors="replace"), unquote_plus(value, errors="replace")))
    return pairs


def canonical_query(query_string: bytes, route: RouteParams) -> bytes:
    """Only the declared parameters, sorted by name (a repeated one keeps its values' order)."""
    kept = [(k, v) for k, v in query_pairs(query_string) if k in route.query]
    kept.sort(key=lambda pair: pair[0])
    return urlencode(kept).encode("ascii")
