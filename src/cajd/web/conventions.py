"""The web's conventions for a public record: ``/robots.txt`` (crawl the portal, not the
workspace or the API's query space) and ``/sitemap.xml`` (every page in each language, with its
``hreflang`` alternates)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from cajd.read import queries as q
from cajd.web.i18n import LANGUAGES
from cajd.web.pages import Db

router = APIRouter(include_in_schema=False)

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
SECTIONS = ["", "timeline", "structure", "meetings", "parties", "people", "documents",
            "commitments", "sources", "disagreements", "coverage", "analysis", "compliance",
            "rounds", "about", "downloads"]


@router.get("/robots.txt", response_class=PlainTextResponse)
def robots(request: Request) -> PlainTextResponse:
    base = str(request.base_url).rstrip("/")
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: /{lang}/{private}" for lang in LANGUAGES
              for private in ("workspace", "login")]
    lines += ["Disallow: /api/v1/", f"Sitemap: {base}/sitemap.xml", ""]
    return PlainTextResponse("\n".join(lines))


def page_paths(db: Db) -> list[str]:
    """Every page of the portal, as the path after ``/{lang}/``."""
    from cajd.analysis.runner import ANALYSES
    from cajd.read.rounds import round_list

    paths = list(SECTIONS)
    paths += [f"analysis/{name}" for name in ANALYSES]
    paths += [f"rounds/{r.id}" for r in round_list(db).items]
    paths += [f"meetings/{e.id}" for e in q.events(db, q.EventFilter(dialogue=None)).items]
    paths += [f"parties/{p.id}" for p in q.parties(db).items]
    paths += [f"people/{p.id}" for p in q.people(db).items]
    paths += [f"documents/{d.id}" for d in q.documents(db).items]
    paths += [f"commitments/{c.id}" for c in q.commitments(db).items]
    paths += [f"sources/{s.id}" for s in q.sources(db).items]
    return paths


@router.get("/sitemap.xml")
def sitemap(request: Request, db: Db) -> Response:
    base = str(request.base_url).rstrip("/")
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for path in page_paths(db):
        for lang in LANGUAGES:
            url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
            ET.SubElement(url, f"{{{SITEMAP}}}loc").text = f"{base}/{lang}/{path}"
            for other in LANGUAGES:
                ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang=other,
                              href=f"{base}/{other}/{path}")
    body: bytes = ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/xml")
