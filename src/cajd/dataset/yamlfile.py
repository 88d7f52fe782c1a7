"""YAML that remembers where each value was written, so every error can name its line.

Parsing uses libyaml (``CSafeLoader``): it composes the node graph in C, each node keeping its
start line, about 8x faster than PyYAML's pure-Python parser. Values are then built from the
nodes here, without PyYAML's constructor machinery. A file libyaml refuses is parsed again by the
pure-Python parser, only to report the same message the record has always given.

A record file is hostile until proven otherwise: its nesting depth and the size it expands to
through aliases are bounded before any value is built, so that neither a deep file (Python's
recursion limit, C's stack) nor an alias bomb (exponential expansion) can exhaust the process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

# Limits, far above what any record needs (the bundled record's deepest file nests 6 levels, its
# largest expands to some 20,000 units).
MAX_DEPTH = 40
# Nodes plus characters of scalars, counting every alias as a copy of what it names.
MAX_EXPANDED = 2 * 1024 * 1024
# Above this many flow brackets the depth is measured on the event stream first, because
# libyaml composes flow collections by recursion and a file of brackets could overflow C's stack.
_FLOW_BRACKETS_TRUSTED = 1000


class LineDict(dict[Any, Any]):
    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}


class LineList(list[Any]):
    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []


class DuplicateKey(yaml.MarkedYAMLError):
    pass


class TooLarge(yaml.MarkedYAMLError):
    """Past a limit of depth or expanded size: the message names the limit, the mark the place."""


def _without_timestamps(cls: type[Any]) -> None:
    # Dates stay text: ``FuzzyDate`` reads them and names a bad one.
    cls.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


class _FastLoader(yaml.CSafeLoader):
    pass


class _Loader(yaml.SafeLoader):
    """The pure-Python parser, used only to word the error of a file libyaml refused."""


_without_timestamps(_FastLoader)
_without_timestamps(_Loader)

_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


def _too_large(message: str, node: yaml.Node) -> TooLarge:
    return TooLarge(None, None, message, node.start_mark)


def _measure(root: yaml.Node) -> None:
    """Refuse a graph nested deeper than ``MAX_DEPTH`` or expanding past ``MAX_EXPANDED``.

    Iterative, and linear in the number of distinct nodes: a node's expanded size and height are
    computed once, however many aliases name it (so depth through chains of aliases counts too).
    A recursive alias (a node inside itself) is refused.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            size[key] = 1 + sum(size[id(c)] for c in children)
            height[key] = 1 + max((height[id(c)] for c in children), default=0)
            if size[key] > MAX_EXPANDED:
                raise _too_large(
                    f"expands to more than {MAX_EXPANDED:,} nodes and characters "
                    "(aliases repeat what they name)",
                    node,
                )
            if height[key] > MAX_DEPTH:
                raise _too_large(f"nested deeper than {MAX_DEPTH} levels", node)
            continue
        if key in size:
            continue
        if key in on_path:
            raise _too_large("an alias names a node it is inside of", node)
        if isinstance(node, yaml.ScalarNode):
            size[key], height[key] = 1 + len(node.value), 1
            continue
        if depth > MAX_DEPTH:
            raise _too_large(f"nested deeper than {MAX_DEPTH} levels", node)
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _flow_depth_ok(text: str) -> None:
    """For a file with very many flow brackets, check the depth on the event stream (no
    recursion) before libyaml composes it (by recursion)."""
    if text.count("[") + text.count("{") <= _FLOW_BRACKETS_TRUSTED:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_FastLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark: Any = event.start_mark  # libyaml's own Mark type, with the same fields
                raise TooLarge(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


# Only its scalar constructors (stateless) and ``flatten_mapping`` are used, by every parse.
_SCALARS = yaml.SafeLoader("")


def _no_constructor(node: yaml.Node) -> yaml.constructor.ConstructorError:
    message = f"could not determine a constructor for the tag {node.tag!r}"
    return yaml.constructor.ConstructorError(None, None, message, node.start_mark)


class _Builder:
    """Values from nodes: mappings and sequences that know their lines, scalars by their tag.

    Depth is bounded here too (``MAX_DEPTH``), so the recursion never nears Python's limit. The
    text tells what can be skipped: without ``&`` and ``*`` there is no alias (so no value is
    shared), and without ``<<`` no merge key.
    """

    def __init__(self, aliases: bool, merges: bool) -> None:
        self.built: dict[int, Any] | None = {} if aliases else None
        self.merges = merges

    def value(self, node: yaml.Node, depth: int = 1) -> Any:
        built = self.built
        if built is not None and id(node) in built:  # an alias: the same value, as in PyYAML
            return built[id(node)]
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                return node.value
            construct = _SCALARS.yaml_constructors.get(node.tag)
            if construct is None:
                raise _no_constructor(node)
            return construct(_SCALARS, node)
        if depth > MAX_DEPTH:
            raise _too_large(f"nested deeper than {MAX_DEPTH} levels", node)
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            return self._sequence(node, depth)
        raise _no_constructor(node)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> LineDict:
        result = LineDict()
        if self.built is not None:
            self.built[id(node)] = result
        result.line = node.start_mark.line + 1
        lines = result.lines
        if self.merges and any(k.tag == _MERGE for k, _ in node.value):
            _SCALARS.flatten_mapping(node)  # ``<<: *base``, as PyYAML merges it
        for key_node, value_node in node.value:
            key = self.value(key_node, depth + 1)
            try:
                seen = key in result
            except TypeError:  # a list or mapping as a key
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value", key_node.start_mark
                ) from None
            if seen:
                raise DuplicateKey(None, None, f"key {key!r} appears twice", key_node.start_mark)
            result[key] = self.value(value_node, depth + 1)
            lines[key] = key_node.start_mark.line + 1
        return result

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> LineList:
        result = LineList()
        if self.built is not None:
            self.built[id(node)] = result
        result.line = node.start_mark.line + 1
        lines = result.lines
        for item in node.value:
            result.append(self.value(item, depth + 1))
            lines.append(item.start_mark.line + 1)
        return result


def parse(text: str) -> Any:
    """Parse one YAML document; raises ``yaml.YAMLError`` (with its mark) when it is not YAML or
    is past a limit."""
    _flow_depth_ok(text)
    try:
        node = yaml.compose(text, Loader=_FastLoader)
    except yaml.YAMLError:
        _python_error(text)
        raise
    if node is None:
        return None
    aliases = "&" in text and "*" in text
    if aliases:
        _measure(node)  # an alias bomb is refused before anything is expanded
    return _Builder(aliases, "<<" in text).value(node)


def _python_error(text: str) -> None:
    """Raise the pure-Python parser's error for a text libyaml refused (its wording is the
    record's); returns if that parser accepts the text (then libyaml's own error stands)."""
    loader = _Loader(text)
    try:
        loader.get_single_node()
    except RecursionError:
        return
    finally:
        loader.dispose()


def locate(data: Any, loc: Sequence[str | int]) -> int:
    """The line of the deepest value along ``loc`` that the file actually holds."""
    line = getattr(data, "line", 1) or 1
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:  # noqa: SIM114 - narrows the type
            line, node = node.lines[part], node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.lines[part], node[part]
        else:
            break
    return line
