"""The team's trade-offs: the strategic choices each manager rates, as alignaudit.yaml defines
them, and the check of every manager's ratings against them (file:line:column).

A trade-off is a scale between two poles (`left`, `right`, 1-7 by default); a ranking orders a
few options (the three value disciplines). `init` writes DEFAULTS, drawn from established
strategy frameworks, into a new team's config; a team whose config names none (or says
`tradeoffs: []`) rates none and audits exactly as it did without them.
"""

from __future__ import annotations

import difflib
import re

import yaml

from ..core.errors import Problem
from ..core.text import clean
from ..core.types import Foundation, Manager, Ranking, TradeOff
from .yaml_nodes import INT, MAP, SEQ, STR, describe, fields, line_of

# Porter's generic strategies (cost leadership against differentiation, a broad market
# against a focus), the growth, horizon, offer and growth-path dilemmas of strategy texts, and
# Treacy and Wiersema's three value disciplines (1995) as a forced ranking.
DEFAULT_TRADEOFFS = (
    TradeOff(
        "cost-vs-differentiation",
        Foundation.POSITIONING,
        "win on the lowest cost and price",
        "win on a distinctive offer customers pay more for",
    ),
    TradeOff(
        "broad-vs-focused",
        Foundation.POSITIONING,
        "serve a broad market",
        "serve a focused niche",
    ),
    TradeOff(
        "growth-vs-profitability",
        Foundation.VISION,
        "grow revenue and market share first",
        "grow profit and margins first",
    ),
    TradeOff(
        "short-vs-long-term",
        Foundation.VISION,
        "deliver short-term results",
        "invest for the long term",
    ),
    TradeOff(
        "standard-vs-tailored",
        Foundation.POSITIONING,
        "a standard offer for everyone",
        "an offer tailored to each customer",
    ),
    TradeOff(
        "organic-vs-acquisitions",
        Foundation.VISION,
        "grow organically",
        "grow by acquisitions",
    ),
)
DEFAULT_RANKINGS = (
    Ranking(
        "value-disciplines",
        Foundation.POSITIONING,
        ("operational excellence", "customer intimacy", "product leadership"),
    ),
)
TRADEOFF_KEYS = ("id", "foundation", "left", "right", "scale")
# An id is a YAML key in every answer file and a name in every report: plain and short.
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,59}")
RANKING_KEYS = ("id", "foundation", "items")


class DefinitionReader:
    """Trade-off and ranking definitions out of a config's nodes, each problem recorded where
    it is."""

    def __init__(self, label: str, problems: list[Problem]) -> None:
        self.label, self.problems = label, problems
        self.ids: set[str] = set()

    def _bad(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.label, *line_of(node), message))

    def _items(self, node: yaml.Node, key: str) -> list[yaml.MappingNode]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return []
        if not (isinstance(node, yaml.SequenceNode) and node.tag == SEQ):
            self._bad(node, f"'{key}' must be a list of choices, each a mapping")
            return []
        out = []
        for item in node.value:
            if isinstance(item, yaml.MappingNode) and item.tag == MAP:
                out.append(item)
            else:
                self._bad(
                    item, f"each item of '{key}' must be a mapping ({', '.join(TRADEOFF_KEYS)})"
                )
        return out

    def _text(self, found: dict[str, yaml.Node], key: str, at: yaml.Node) -> str | None:
        """Words shown in every report beside the ratings: cleaned as answers are."""
        node = found.get(key)
        if node is None:
            self._bad(at, f"missing '{key}'")
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag == STR and clean(node.value):
            return clean(node.value)
        self._bad(node, f"'{key}' must be text, found {describe(node)}")
        return None

    def _head(
        self, item: yaml.MappingNode, keys: tuple[str, ...]
    ) -> tuple[dict[str, yaml.Node], str | None, Foundation | None]:
        found = fields(item, self.label, self.problems, keys, whole_file=False)
        id_ = self._text(found, "id", item)
        if id_ is not None and not ID.fullmatch(id_):
            self._bad(
                found["id"],
                f"id '{id_}' must be letters, digits, '-', '_' or '.', up to 60, e.g. "
                "cost-vs-differentiation",
            )
            id_ = None
        if id_ is not None:
            if id_ in self.ids:
                self._bad(found["id"], f"'{id_}' is defined twice; give each choice its own id")
                id_ = None
            else:
                self.ids.add(id_)
        name = self._text(found, "foundation", item)
        foundation = None
        if name is not None:
            try:
                foundation = Foundation(name.lower())
            except ValueError:
                allowed = ", ".join(f.value for f in Foundation)
                self._bad(found["foundation"], f"unknown foundation '{name}'; use {allowed}")
        return found, id_, foundation

    def tradeoffs(self, node: yaml.Node) -> tuple[TradeOff, ...]:
        out = []
        for item in self._items(node, "tradeoffs"):
            found, id_, foundation = self._head(item, TRADEOFF_KEYS)
            left, right = self._text(found, "left", item), self._text(found, "right", item)
            low, high = 1, 7
            if "scale" in found:
                scale = self._scale(found["scale"])
                if scale is None:
                    continue
                low, high = scale
            if id_ and foundation and left and right:
                out.append(TradeOff(id_, foundation, left, right, low, high))
        return tuple(out)

    def _scale(self, node: yaml.Node) -> tuple[int, int] | None:
        ends = node.value if isinstance(node, yaml.SequenceNode) else []
        if (
            len(ends) == 2
            and all(isinstance(e, yaml.ScalarNode) and e.tag == INT for e in ends)
            and all(e.value.lstrip("+-").isdigit() for e in ends)
        ):
            low, high = int(ends[0].value), int(ends[1].value)
            if 2 <= high - low + 1 <= 11:
                return low, high
        self._bad(
            node, "'scale' must be two whole numbers, low and high, 2 to 11 points, e.g. [1, 7]"
        )
        return None

    def rankings(self, node: yaml.Node) -> tuple[Ranking, ...]:
        out = []
        for item in self._items(node, "rankings"):
            found, id_, foundation = self._head(item, RANKING_KEYS)
            items = found.get("items")
            options: tuple[str, ...] = ()
            if items is None:
                self._bad(item, "missing 'items'")
            elif (
                isinstance(items, yaml.SequenceNode)
                and all(isinstance(i, yaml.ScalarNode) and i.tag == STR for i in items.value)
                and all(clean(i.value) for i in items.value)
                and len({clean(i.value).casefold() for i in items.value}) == len(items.value) >= 2
            ):
                options = tuple(clean(i.value) for i in items.value)
            else:
                self._bad(items, "'items' must be a list of two or more different options")
            if id_ and foundation and options:
                out.append(Ranking(id_, foundation, options))
        return tuple(out)


def check_ratings(
    managers: tuple[Manager, ...],
    tradeoffs: tuple[TradeOff, ...],
    rankings: tuple[Ranking, ...],
) -> list[Problem]:
    """Every rating that does not fit the team's definitions, where it is written: an unknown
    id, a point off the scale, a ranking that is not the options in some order."""
    scales = {t.id: t for t in tradeoffs}
    orders = {r.id: r for r in rankings}
    known = [*scales, *orders]
    problems = []
    for m in managers:
        for r in m.ratings:
            where = (m.file, r.line, r.column)
            if r.id in scales:
                t = scales[r.id]
                if not isinstance(r.value, int):
                    problems.append(
                        Problem(
                            *where,
                            f"'{r.id}' is a scale: give one whole number from {t.low} to {t.high}",
                        )
                    )
                elif not t.low <= r.value <= t.high:
                    problems.append(
                        Problem(
                            *where,
                            f"'{r.id}' is {r.value}, off its scale: give {t.low} ({t.left}) "
                            f"to {t.high} ({t.right})",
                        )
                    )
            elif r.id in orders:
                options = orders[r.id].items
                given = r.value if isinstance(r.value, tuple) else ()
                if sorted(o.casefold() for o in given) != sorted(o.casefold() for o in options):
                    problems.append(
                        Problem(
                            *where,
                            f"'{r.id}' must list {', '.join(options)}, each once, in your order",
                        )
                    )
            else:
                close = difflib.get_close_matches(r.id, known, n=1, cutoff=0.6)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else (
                        f"this team rates {', '.join(known)}"
                        if known
                        else "this team rates no trade-offs"
                    )
                )
                problems.append(Problem(*where, f"unknown trade-off '{r.id}'; {hint}"))
    return problems


def ranked(rating: tuple[str, ...], ranking: Ranking) -> tuple[str, ...]:
    """A manager's ranking in the definition's own spelling of the options."""
    spelled = {o.casefold(): o for o in ranking.items}
    return tuple(spelled[o.casefold()] for o in rating)
