"""The citation numbers drawn in Python (cajd.web.citations.links, issue 9: the template macro
they replace was the largest part of a meeting page's time): numbering, escaping, the fallback."""

from __future__ import annotations

from cajd.read.views import Cite
from cajd.web.citations import CiteWords, Numbering, links

WORDS = CiteWords(source="source", unsourced="unsourced")


def test_the_same_source_keeps_its_number_and_every_place_is_listed() -> None:
    numbering = Numbering()
    a = Cite(source="mofa", title="MOFA", url="https://mofa.example/x", official=True,
             at="p. 2; field start")
    b = Cite(source="news", title="News", official=False, at=None)
    first = links(numbering, [a, b], WORDS, "ja")
    again = links(numbering, [Cite(source="mofa", title="MOFA", official=True, at="p. 3")],
                  WORDS, "ja")
    assert first == (
        '<span class="cites">\n'
        '<a class="cite official" data-source="mofa" data-n="1" href="https://mofa.example/x"\n'
        '  title="MOFA — p. 2">[1]<span class="visually-hidden"> source: MOFA</span></a>'
        '<a class="cite" data-source="news" data-n="2" href="/ja/sources/news"\n'
        '  title="News">[2]<span class="visually-hidden"> source: News</span></a></span>\n')
    assert 'data-n="1"' in again and 'title="MOFA — p. 3"' in again
    assert [(e.number, e.source, e.places) for e in numbering.entries()] == [
        (1, "mofa", ["p. 2", "p. 3"]), (2, "news", [])]


def test_record_text_is_escaped_and_no_source_says_unsourced() -> None:
    hostile = Cite(source="s&1", title='<b>"T"</b>', official=False, at="§1 <i>")
    html = links(Numbering(), [hostile], WORDS, "en")
    assert "<b>" not in html and "<i>" not in html
    assert 'data-source="s&amp;1"' in html and 'href="/en/sources/s&amp;1"' in html
    assert "&lt;b&gt;&#34;T&#34;&lt;/b&gt; — §1 &lt;i&gt;" in html
    assert links(Numbering(), [], WORDS, "en") == '<span class="unsourced">unsourced</span>'
    assert links(Numbering(), None, WORDS, "en") == '<span class="unsourced">unsourced</span>'
