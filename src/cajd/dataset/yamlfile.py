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


class _Builder:
    """Values from nodes: mappings and sequences that know their lines, scalars by their tag."""

    def __init__(self) -> None:
        self.scalars = yaml.SafeLoader("")  # only its scalar constructors are used
        self.built: dict[int, Any] = {}

    def value(self, node: yaml.Node) -> Any:
        key = id(node)
        if key in self.built:  # an alias: the same value, as PyYAML gives it
            return self.built[key]
        if isinstance(node, yaml.ScalarNode):
            result: Any = node.value if node.tag == _STR else self._scalar(node)
        elif isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            result = self._mapping(node)
        elif isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            result = self._sequence(node)
        else:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"could not determine a constructor for the tag {node.tag!r}",
                node.start_mark,
            )
        self.built[key] = result
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        construct = self.scalars.yaml_constructors.get(node.tag)
        if construct is None:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"could not determine a constructor for the tag {node.tag!r}",
                node.start_mark,
            )
        return construct(self.scalars, node)

    def _mapping(self, node: yaml.MappingNode) -> LineDict:
        result = LineDict()
        self.built[id(node)] = result
        result.line = node.start_mark.line + 1
        for key_node, value_node in self._merged(node):
            key = self.value(key_node)
            try:
                seen = key in result
            except TypeError:  # a list or mapping as a key
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value", key_node.start_mark
                ) from None
            if seen:
                raise DuplicateKey(None, None, f"key {key!r} appears twice", key_node.start_mark)
            result[key] = self.value(value_node)
            result.lines[key] = key_node.start_mark.line + 1
        return result

    def _merged(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        # ``<<: *base`` merges, as in PyYAML (``flatten_mapping``); rare, so done by it.
        if any(k.tag == _MERGE for k, _ in node.value):
            self.scalars.flatten_mapping(node)
        return list(node.value)

    def _sequence(self, node: yaml.SequenceNode) -> LineList:
        result = LineList()
        self.built[id(node)] = result
        result.line = node.start_mark.line + 1
        for item in node.value:
            result.append(self.value(item))
            result.lines.append(item.start_mark.line + 1)
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
    _measure(node)
    return _Builder().value(node)


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
