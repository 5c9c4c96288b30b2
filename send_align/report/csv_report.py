"""One row per document and aim, for spreadsheets; cells that a spreadsheet would run as formulas are neutralised.

The text starts with a UTF-8 byte-order mark: Excel on Windows reads a CSV file without one in the system's
code page, which turns £ and dashes into mojibake. Python's `utf-8-sig` and pandas read past it.
"""

from __future__ import annotations

import csv
import io

from send_align.escaping import csv_cell as cell
from send_align.model import Catalogue
from send_align.report.common import title_of
from send_align.reporting import RenderOptions
from send_align.results import Report

BOM = "\ufeff"

HEADER = [
    "path",
    "format",
    "framework",
    "aim",
    "title",
    "status",
    "score",
    "evidence",
    "line",
    "column",
    "page",
    "section",
    "rule",
    "error",
    # Added after the first release: last, so that scripts reading columns by position keep working.
    "paragraph",
]


def render(report: Report, catalogue: Catalogue, options: RenderOptions) -> str:
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    for doc in report.documents:
        if doc.error:
            writer.writerow(
                [
                    cell(v)
                    for v in (doc.path, doc.format, *[""] * (len(HEADER) - 4), doc.error, "")
                ]
            )
            continue
        for r in doc.aims:
            ev = r.evidence[0] if r.evidence else None
            row = [
                doc.path,
                doc.format,
                r.aim.split(".", 1)[0],
                r.aim,
                title_of(catalogue, r.aim),
                r.status.value,
                f"{r.score:.3f}",
                ev.text if ev else "",
                ev.line if ev else "",
                ev.column if ev else "",
                ev.page if ev else "",
                ev.section if ev else "",
                ev.rule if ev else "",
                "",
                ev.paragraph if ev else "",
            ]
            writer.writerow([cell(v) for v in row])
    return buf.getvalue()
