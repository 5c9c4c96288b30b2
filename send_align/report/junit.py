"""JUnit XML: a test suite per document, a test case per aim; gate failures and unsupported claims fail."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from send_align.escaping import xml as xml_safe
from send_align.model import Catalogue
from send_align.report.common import title_of, where
from send_align.reporting import RenderOptions
from send_align.results import ClaimStatus, GateKind, Report, Status


def render(report: Report, catalogue: Catalogue, options: RenderOptions) -> str:
    root = ET.Element("testsuites", name="send-align")
    # Set-level require failures show on the aim's case in every document; a document's own gates on its own.
    required = {f.aim: f for f in report.failures if f.kind is GateKind.REQUIRE and f.aim and not f.path}
    own = {(f.path, f.aim): f for f in report.failures if f.kind is GateKind.REQUIRE and f.aim and f.path}
    total = failed = 0
    for doc in report.documents:
        suite = ET.SubElement(root, "testsuite", name=xml_safe(doc.path))
        cases = failures = skipped = 0
        if doc.error:
            case = ET.SubElement(suite, "testcase", classname="send-align", name="read document")
            ET.SubElement(case, "error", message=xml_safe(doc.error))
            cases, failures = 1, 1
        claims = {c.aim: c for c in doc.claims or ()}
        for r in doc.aims:
            cases += 1
            case = ET.SubElement(
                suite,
                "testcase",
                classname=r.aim.split(".", 1)[0],
                name=xml_safe(f"{r.aim} {title_of(catalogue, r.aim)}"),
            )
            problems = []
            if r.aim in required:
                problems.append(required[r.aim].message)
            # The test suite names the document: its own failures are said without naming it again.
            if (doc.path, r.aim) in own:
                problems.append(own[(doc.path, r.aim)].detail)
            claim = claims.get(r.aim)
            if claim is not None and claim.status is ClaimStatus.UNSUPPORTED:
                problems.append(f"claim {r.aim} is not supported by the proposal's body")
            if problems:
                failures += 1
                fail = ET.SubElement(case, "failure", message=xml_safe("; ".join(problems)), type="gate")
                fail.text = xml_safe(f"status {r.status.value}, score {r.score:.2f}: {r.reason}")
            elif r.status is Status.NOT_APPLICABLE:
                ET.SubElement(case, "skipped", message=xml_safe(r.reason))
                skipped += 1
            out = f"{r.status.value} (score {r.score:.2f})"
            if r.evidence:
                out += f"\n{where(r.evidence[0])}: {r.evidence[0].text}"
            ET.SubElement(case, "system-out").text = xml_safe(out)
        for f in report.failures:
            if f.path == doc.path and f.kind in (GateKind.FAIL_UNDER, GateKind.REQUIRE_ANY):
                cases += 1
                failures += 1
                case = ET.SubElement(suite, "testcase", classname="send-align", name=f"{f.kind} gate")
                ET.SubElement(case, "failure", message=xml_safe(f.detail), type="gate")
        suite.set("tests", str(cases))
        suite.set("skipped", str(skipped))
        suite.set("failures", str(failures))
        suite.set("errors", "1" if doc.error else "0")
        total += cases
        failed += failures
    for f in report.failures:
        if f.kind is GateKind.FAIL_UNDER and not f.path:
            suite = ET.SubElement(root, "testsuite", name="coverage", tests="1", failures="1", errors="0")
            case = ET.SubElement(suite, "testcase", classname="send-align", name="coverage gate")
            ET.SubElement(case, "failure", message=xml_safe(f.message), type="gate")
            total += 1
            failed += 1
    root.set("tests", str(total))
    root.set("failures", str(failed))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
