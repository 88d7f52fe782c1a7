"""Vocabularies: unique values, a label in every language, and the rank scale's order."""

from __future__ import annotations

import pytest

from cajd.vocab import ALL_VOCABULARIES, LABELS, Rank, Vocabulary


@pytest.mark.parametrize("vocab", ALL_VOCABULARIES, ids=lambda v: v.__name__)
def test_values_are_unique_and_labelled_in_three_languages(vocab: type[Vocabulary]) -> None:
    values = [member.value for member in vocab]
    assert len(values) == len(set(values))
    assert set(LABELS[vocab]) == set(values)
    for member in vocab:
        labels = [member.label(lang) for lang in ("en", "ja", "ru")]
        assert all(labels) and len(set(labels)) == 3, member


def test_every_vocabulary_is_listed() -> None:
    assert set(ALL_VOCABULARIES) == set(LABELS)


def test_rank_scale_runs_from_head_of_state_down() -> None:
    assert Rank.HEAD_OF_STATE.level > Rank.HEAD_OF_GOVERNMENT.level > Rank.MINISTER.level
    assert Rank.MINISTER.level > Rank.DEPUTY_MINISTER.level > Rank.AMBASSADOR.level
    assert Rank.AMBASSADOR.level > Rank.DIRECTOR.level > Rank.EMBASSY_STAFF.level == 1
