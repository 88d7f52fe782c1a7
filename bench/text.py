"""Text analysis throughput: cajd's Aho–Corasick matcher (ahocorasick-rs) against spaCy's
PhraseMatcher (blank English pipeline) over the same alias dictionary, on one synthetic corpus
(en, ja and ru mixed), side by side in one run, with the counts checked equal.

    .venv/bin/python bench/text.py [--mb 50] [--seed 42] [--rounds 3]

The machine is shared, so each method runs ``--rounds`` times, alternating which goes first, and
each is timed in CPU seconds of this process (``time.process_time``: what other processes do
barely moves it) as well as in wall-clock seconds; the best round of each is reported.

The corpus is built from the actors' own aliases and filler words, already in normalised form
(no full-width characters, no ё) and with every token separated by spaces, so that spaCy's English
tokenizer sees each Japanese alias as whole tokens: on such a corpus both methods must agree. The
lower-case traps ("us", "eu") are included; spaCy matches abbreviations on ORTH, the rest on LOWER,
and keeps the leftmost-longest matches without overlaps, which is cajd's rule.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import Counter

from cajd.analysis.text.actors import bundled
from cajd.analysis.text.matcher import Matcher, _is_abbreviation

FILLER = {
    "en": ["the", "of", "and", "to", "in", "cooperation", "regional", "development", "meeting",
           "ministers", "welcomed", "support", "states", "region", "us", "eu", "capital",
           "Tashkent", "Astana"],
    "ru": ["и", "в", "на", "сотрудничество", "развитие", "встреча", "министры", "регион",
           "поддержка", "Ташкент"],
    "ja": ["協力", "地域", "開発", "会合", "外相", "支援", "東京", "の", "と", "は"],
}


def _script(alias: str) -> str:
    if any("\u3040" <= ch <= "\u9fff" for ch in alias):
        return "ja"
    return "ru" if any("\u0400" <= ch <= "\u04ff" for ch in alias) else "en"


def corpus(megabytes: float, seed: int, actors: dict[str, list[str]]) -> str:
    rng = random.Random(seed)
    by_lang: dict[str, list[str]] = {"en": [], "ja": [], "ru": []}
    for aliases in actors.values():
        for alias in aliases:
            if "ё" in alias.lower() or any(ch in alias for ch in "«»「」"):
                continue
            lang = _script(alias)
            spaced = alias if lang == "ja" else alias.replace("+", " + ")
            by_lang[lang].append(" ".join(spaced.split()))
    paragraphs, size, target = [], 0, int(megabytes * 1_000_000)
    while size < target:
        lang = rng.choice(("en", "ja", "ru"))
        words = [rng.choice(by_lang[lang]) if rng.random() < 0.12 else rng.choice(FILLER[lang])
                 for _ in range(rng.randint(40, 120))]
        paragraph = " ".join(words) + "\n"
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8"))
    return "".join(paragraphs)


Timed = tuple[Counter[str], float, float, float]  # counts, CPU s, wall s, build s


def spacy_counts(text: str, actors: dict[str, list[str]]) -> Timed:
    import spacy
    from spacy.matcher import PhraseMatcher

    started = time.perf_counter()
    nlp = spacy.blank("en")
    exact, lower = PhraseMatcher(nlp.vocab, attr="ORTH"), PhraseMatcher(nlp.vocab, attr="LOWER")
    for actor, aliases in actors.items():
        spellings = [" ".join((a if _script(a) == "ja" else a.replace("+", " + ")).split())
                     for a in aliases]
        exact.add(actor, [nlp.make_doc(a) for a in spellings if _is_abbreviation(a)])
        lower.add(actor, [nlp.make_doc(a) for a in spellings if not _is_abbreviation(a)])
    built = time.perf_counter() - started
    counts: Counter[str] = Counter()
    cpu, started = time.process_time(), time.perf_counter()
    for doc in nlp.tokenizer.pipe(text.splitlines(), batch_size=256):
        found = sorted(((s, e, key) for m in (exact, lower) for key, s, e in m(doc)),
                       key=lambda f: (f[0], f[0] - f[1]))
        reached = 0
        for start, end, key in found:  # leftmost-longest, no overlaps: cajd's rule
            if start >= reached:
                counts[nlp.vocab.strings[key]] += 1
                reached = end
    return counts, time.process_time() - cpu, time.perf_counter() - started, built


def cajd_counts(text: str, actors: dict[str, list[str]]) -> Timed:
    started = time.perf_counter()
    matcher = Matcher(actors)
    built = time.perf_counter() - started
    counts: Counter[str] = Counter()
    cpu, started = time.process_time(), time.perf_counter()
    for line in text.splitlines():
        counts.update(m.actor for m in matcher.find(line))
    return counts, time.process_time() - cpu, time.perf_counter() - started, built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    actors = bundled()
    text = corpus(args.mb, args.seed, actors)
    size = len(text.encode("utf-8")) / 1e6
    print(f"corpus: {size:.1f} MB, {len(text.splitlines())} paragraphs, "
          f"{sum(len(v) for v in actors.values())} alias spellings of {len(actors)} actors; "
          f"load average {os.getloadavg()[0]:.2f}")
    methods = {"cajd (ahocorasick-rs)": cajd_counts, "spaCy PhraseMatcher": spacy_counts}
    best: dict[str, Timed] = {}
    for round_ in range(args.rounds):
        order = list(methods) if round_ % 2 == 0 else list(reversed(methods))
        for name in order:
            timed = methods[name](text, actors)
            if name not in best or timed[1] < best[name][1]:
                best[name] = timed
    for name, (_, cpu, wall, build) in best.items():
        print(f"{name:22} {cpu:7.2f} CPU s  {size / cpu:6.2f} MB/s  "
              f"(wall {wall:6.2f} s, build {build:.2f} s)")
    ours, theirs = best["cajd (ahocorasick-rs)"], best["spaCy PhraseMatcher"]
    print(f"speed-up: {theirs[1] / ours[1]:.2f}x in CPU time, {theirs[2] / ours[2]:.2f}x wall; "
          f"best of {args.rounds} rounds; load average {os.getloadavg()[0]:.2f}")
    same = ours[0] == theirs[0]
    print(f"counts equal: {same} ({sum(ours[0].values())} references)")
    if not same:
        for actor in sorted(set(ours[0]) | set(theirs[0])):
            if ours[0][actor] != theirs[0][actor]:
                print(f"  {actor}: cajd {ours[0][actor]}, spaCy {theirs[0][actor]}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
