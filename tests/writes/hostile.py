"""Strings a text field must store verbatim (or refuse with a 4xx naming the field), never a 5xx:
markup, SQL and full-text-search syntax, 10 kB of text, bidirectional and invisible characters,
and a NUL (which PostgreSQL's text cannot hold: it must be refused, not crash)."""

from __future__ import annotations

HOSTILE: dict[str, str] = {
    "xss-script": "<script>alert(1)</script>",
    "xss-attribute": "\"><img src=x onerror=alert(document.cookie)>",
    "xss-template": "{{ 7*7 }} {% raw %} ${7*7}",
    "sql": "x'); DROP TABLE event; -- \" OR 1=1",
    "fts": "NEAR(a b) OR \"x* AND -y ^ title:z\" MATCH *",
    "10kB": ("Dialogue 対話 диалог — " * 600)[:10_240],
    "rtl": "\u202ecipher\u202c مؤتمر وزراء الخارجية \u05e2\u05d1\u05e8\u05d9\u05ea",
    "zero-width": "a\u200bb\u200cc\u200dd\u2060e\ufefff",
    "nul": "before\x00after",
}
