"""Colours of the figures as a fixed function of the vocabulary value, the same in every language
and on every page (issue 13): a figure's scale names every value of its vocabulary in `vocab`
order with its colour, so neither the language's sort order of labels nor which values a page
happens to hold can move a colour.

Unordered vocabularies take the Okabe-Ito palette (Okabe & Ito, "Color Universal Design"),
built to stay apart for readers with any common colour-vision deficiency; the ordered rank takes a
sequential viridis ramp, darkest for the most senior, and "not recorded" is a neutral grey
outside both. tests/test_palette.py checks the distances under simulated colour blindness.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cajd.vocab import BodyStatus, DocumentKind, EventStatus, Rank, Vocabulary

# Okabe-Ito, reordered so that the first few (what a short vocabulary uses) are the furthest
# apart under deuteranopia, protanopia and tritanopia.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442",
             "#000000")
# viridis at seven even steps, from its dark end: one colour per rank, head of state first.
VIRIDIS_7 = ("#440154", "#443983", "#31688E", "#21918C", "#35B779", "#90D743", "#FDE725")
NOT_RECORDED = "#B0B0B0"  # neutral: no hue to confuse with a value
ABSENT = "#E8E8E8"  # lighter than any rank: no delegation at all

NOMINAL: dict[type[Vocabulary], dict[str, str]] = {
    vocabulary: {value: OKABE_ITO[i] for i, value in enumerate(vocabulary.values())}
    for vocabulary in (EventStatus, BodyStatus, DocumentKind)
}
RANK: dict[str, str] = {value: VIRIDIS_7[i] for i, value in enumerate(Rank.values())}


def colour(vocabulary: type[Vocabulary], value: str) -> str:
    """The colour of one value (``Rank`` or an unordered vocabulary of figures)."""
    return RANK[value] if vocabulary is Rank else NOMINAL[vocabulary][value]


def scale(vocabulary: type[Vocabulary], lang: str,
          extra: dict[str, str] | None = None) -> dict[str, Any]:
    """A Vega-Lite scale over the labels of every value in ``lang``, in vocabulary order, each
    with its fixed colour; ``extra`` adds labels of non-values ("not recorded") with theirs."""
    labels = [vocabulary(value).label(lang) for value in vocabulary.values()]
    colours = [colour(vocabulary, value) for value in vocabulary.values()]
    for label, fixed in (extra or {}).items():
        labels.append(label)
        colours.append(fixed)
    return {"domain": labels, "range": colours}


def keyed(keys: Sequence[str], labels: Mapping[str, str],
          extra: dict[str, str] | None = None) -> dict[str, Any]:
    """A scale for a fixed, ordered set of keys that is not a vocabulary (where a meeting was
    held, the agenda's pillars): the i-th key always takes the i-th Okabe-Ito colour, whatever
    the language of its label and whichever keys a figure happens to hold."""
    if len(keys) > len(OKABE_ITO):
        raise ValueError(f"{len(keys)} keys, but only {len(OKABE_ITO)} distinct colours")
    domain = [labels[key] for key in keys]
    colours = list(OKABE_ITO[:len(keys)])
    for label, fixed in (extra or {}).items():
        domain.append(label)
        colours.append(fixed)
    return {"domain": domain, "range": colours}
