"""The record as a Frictionless Tabular Data Package: ``datapackage.json`` and one CSV per table
(``data/<table>.csv``), each with its Table Schema; the package carries the record's version,
its licence and the sources the facts come from. A test runs ``frictionless validate`` on it."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cajd import licence
from cajd.export.tables import TABLE_DESCRIPTIONS, csv_text, table_schema
from cajd.read.record import Record, Stamp, record, stamp

Json = dict[str, Any]
NAME = "cajd-record"


def descriptor(found: Record, at: Stamp) -> Json:
    sources = [{"title": s["title"], **({"path": s["url"]} if s["url"] else {})}
               for s in found.tables["source"]]
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": licence.TITLE,
        "description": (
            "Every public fact of the record of the 'Central Asia plus Japan' Dialogue, one table "
            "per kind, each fact with its sources (the citation table). Record version "
            f"{at.version}" + (f" of {at.date.isoformat()}" if at.date else "") + ". Cite as: "
            + licence.citation(at.version, at.date)),
        "version": at.version,
        "licenses": [{"name": licence.DATA.spdx, "path": licence.DATA.url,
                      "title": licence.DATA.name}],
        "contributors": [{"title": licence.AUTHOR, "role": "author"}],
        "sources": sources,
        "resources": [
            {"name": table.name, "path": f"data/{table.name}.csv",
             "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8", "description": TABLE_DESCRIPTIONS.get(table.name, ""),
             "schema": table_schema(table)}
            for table, _ in found
        ],
    }


def files(session: Session) -> dict[str, bytes]:
    """Path in the package -> content."""
    found, at = record(session), stamp(session)
    content = {"datapackage.json": (json.dumps(descriptor(found, at), ensure_ascii=False,
                                               indent=2) + "\n").encode()}
    for table, table_rows in found:
        content[f"data/{table.name}.csv"] = csv_text(table, table_rows).encode()
    return content


def write_directory(session: Session, directory: Path) -> list[Path]:
    written = []
    for name, data in files(session).items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def zip_bytes(session: Session) -> bytes:
    """The package as one zip, its files under ``cajd-record/`` (what /downloads/ serves)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files(session).items():
            archive.writestr(zipfile.ZipInfo(f"{NAME}/{name}", (1980, 1, 1, 0, 0, 0)), data,
                             zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
