"""The site-wide search: ``/{lang}/search`` and its JSON twin ``/api/v1/search`` (issue 13,
point 6), both thin over ``cajd.read.sitesearch``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from cajd.read import sitesearch
from cajd.read.views import View
from cajd.web import api, pages
from cajd.web.envelope import ERROR_RESPONSES, Envelope, Meta

page_router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)

SearchQuery = Annotated[str, Query(alias="q", max_length=sitesearch.MAX_QUERY,
                                   description="words, each of which must occur (any script)")]
# where each kind's hits open, under /{lang}/
PATHS = {"meeting": "meetings/", "body": "structure#", "party": "parties/", "person": "people/",
         "document": "documents/", "source": "sources/"}


class SearchResult(View):
    query: str
    searched: dict[str, list[str]]
    kinds: list[sitesearch.KindHits]


@page_router.get("/{lang}/search", response_class=HTMLResponse)
def search_page(request: Request, lang: pages.Lang, db: pages.Db, q_: SearchQuery = ""
                ) -> HTMLResponse:
    found = sitesearch.search(db, q_)
    return pages.page(request, lang, "search.html", pages._api("/api/v1/search", {"q": q_}),
                      query=q_, found=found, paths=PATHS, searched=sitesearch.SEARCHED)


@api_router.get("/search", operation_id="searchRecord", tags=["search"],
                summary="Search meetings, bodies, parties, people, documents and sources",
                description="Every word must occur in a record's names or titles (English, "
                "Japanese or Russian); `searched` says which fields each kind is matched on. "
                "At most 50 hits per kind, with each kind's true total.",
                response_model=Envelope[SearchResult])
def search_api(db: api.Db, q_: SearchQuery = "") -> Response:
    found = sitesearch.search(db, q_)
    result = SearchResult(query=q_, searched={k: list(c) for k, c in sitesearch.SEARCHED.items()},
                          kinds=found.kinds)
    return api._json(Envelope(data=result, meta=Meta(total=found.total,
                                                     html=pages._api("/en/search", {"q": q_}))))
