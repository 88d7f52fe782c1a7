"""schema.org JSON-LD for the record's pages: a meeting is an Event, a state a Country (an
organisation an Organization), a person a Person, an outcome document a DigitalDocument. Built
from the read layer's views, written into the page as a data block (not a script that runs)."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from cajd import licence
from cajd.fuzzydate import FuzzyDate
from cajd.read import views as v
from cajd.vocab import EventFormat, EventStatus, PartyKind

Json = dict[str, Any]
_STATUS = {EventStatus.HELD.value: "EventScheduled", EventStatus.PLANNED.value: "EventScheduled",
           EventStatus.CANCELLED.value: "EventCancelled"}


def _names(name: v.Localized) -> list[Json]:
    return [{"@value": value, "@language": lang} for lang in ("en", "ja", "ru")
            if (value := name.get(lang))]


def _date(value: str | None) -> str | None:
    """schema.org takes ISO 8601, which may stop at the year or month: as precise as the
    record, never a made-up day."""
    return str(FuzzyDate.parse(value)) if value else None


def event(found: v.EventView, url: str) -> Json:
    data: Json = {
        "@context": "https://schema.org", "@type": "Event", "@id": url, "url": url,
        "name": _names(found.name), "startDate": _date(found.start),
        "eventStatus": f"https://schema.org/{_STATUS.get(found.status, 'EventScheduled')}",
        "eventAttendanceMode": "https://schema.org/" + (
            "OnlineEventAttendanceMode" if found.format == EventFormat.VIDEO.value
            else "OfflineEventAttendanceMode"),
        "license": licence.DATA.url,
    }
    if found.end:
        data["endDate"] = _date(found.end)
    if found.city or found.venue:
        data["location"] = {"@type": "Place", "name": found.venue or found.city, "address": {
            "@type": "PostalAddress", "addressLocality": found.city,
            "addressCountry": found.country}}
    if found.host:
        data["organizer"] = {"@type": "Country", "name": found.host.name.en,
                             "identifier": found.host.id}
    heads = [d.head.name.en if d.head else d.head_name for d in found.delegation_list]
    if any(heads):
        data["attendee"] = [{"@type": "Person", "name": h} for h in heads if h]
    return data


def party(found: v.PartyView, url: str) -> Json:
    kind = "Country" if found.kind == PartyKind.STATE.value else "Organization"
    return {"@context": "https://schema.org", "@type": kind, "@id": url, "url": url,
            "name": _names(found.name), "identifier": found.id}


def person(found: v.PersonView, url: str) -> Json:
    data: Json = {"@context": "https://schema.org", "@type": "Person", "@id": url, "url": url,
                  "name": _names(found.name)}
    titles = [p.title.en for p in found.positions]
    if titles:
        data["jobTitle"] = titles
    return data


def document(found: v.DocumentView, url: str) -> Json:
    data: Json = {"@context": "https://schema.org", "@type": "DigitalDocument", "@id": url,
                  "url": url, "name": _names(found.title), "inLanguage": found.languages}
    if found.date:
        data["datePublished"] = _date(found.date)
    if found.url:
        data["sameAs"] = found.url
    if found.licence:
        data["license"] = found.licence  # the document's own terms, where the record has them
    return data


def block(data: Json) -> Markup:
    """The ``<script type="application/ld+json">`` element; ``<`` escaped so that no value can
    close it."""
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return Markup('<script type="application/ld+json">{}</script>').format(Markup(text))
