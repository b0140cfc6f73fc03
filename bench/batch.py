"""Batch rendering: the 34 provinces' monthly reports, reportgen against a plain docxtpl loop.

The baseline is what a programmer would write first with docxtpl: for each province,
``DocxTemplate(path)``, ``render(context, env, autoescape=True)``, ``save``. reportgen renders
the same Word documents from the same contexts through ``reportgen.render.render_docx``, which
compiles the template once for the batch (reportgen/wordfile.py). Both runs get the same
template (the default report.docx), the same sandboxed Jinja environment and the same
contexts, built once outside the timing; the documents' text (paragraphs, table cells,
headers and footers) must be identical.

Also measured, for information: the whole ``reportgen.generate_each_province`` (Word and
Excel, contexts and atomic writes included), from inputs validated once.

Run alone: ``python bench/batch.py [--quick]``; ``bench/run.py`` calls :func:`measure`.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
TARGET = 3.0
PERIOD = "2025-10"
ROWS, QUICK_ROWS = 20_000, 5_000  # about 470 (quick: 120) events a month over the country
SEED = 7

sys.path.insert(0, str(HERE))
sys.path.append(str(ROOT))

import generate  # noqa: E402  (bench/generate.py)


def _workbook(rows: int) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"batch-r{rows}-s{SEED}.xlsx"
    if not path.exists():
        generate.make_workbook(path.with_suffix(".tmp.xlsx"), rows, seed=SEED).replace(path)
    return path


def _contexts(path: Path) -> tuple[Any, Path, list[dict[str, Any]], Any]:
    """The default template and the 34 provinces' contexts, built as `generate` builds them."""
    import reportgen
    from reportgen import api
    from reportgen.config import load_config
    from reportgen.period import parse_period
    from reportgen.provinces import default_table
    from reportgen.render import clean_text
    from reportgen.schema import load_schema
    from reportgen.scope import Selection

    config = load_config(Path(reportgen.__file__).parent / "data" / "reportgen.toml")
    schema = load_schema(config.schema)
    validation = reportgen.validate([path], schema)
    period = parse_period(PERIOD)
    contexts = []
    word = None
    for unit in default_table().current():
        prepared = api._prepare(
            period,
            config=config,
            schema=schema,
            validation=validation,
            templates=None,
            allow_invalid=True,
            report_date=None,
            rule=config.rule,
            selection=Selection(province=unit),
        )
        assert prepared.context is not None
        word = prepared.word
        contexts.append(clean_text(prepared.context))
    assert word is not None
    return config, word, contexts, validation


class DocxtplSink:
    """reportgen's PartSink over a DocxTemplate, so the loop draws the same charts.

    Chart and picture fields add their parts through a sink (reportgen/wordfile.py); a plain
    docxtpl program would add them through python-docx's package, which is what this does.
    """

    def __init__(self, document: Any, template_dir: Path) -> None:
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        self.document, self.template_dir = document, template_dir
        self.package = document.docx.part.package
        self.taken = {str(p.partname) for p in self.package.iter_parts()}
        self.parts: dict[str, Any] = {}
        self._uri, self._part = PackURI, Part

    def new_partname(self, pattern: str) -> str:
        n = 1
        while (name := pattern.format(n=n)) in self.taken or name in self.parts:
            n += 1
        self.parts[name] = self._part(self._uri(name), "", b"", self.package)
        return name

    def add_part(self, partname: str, content_type: str, blob: bytes) -> None:
        part = self.parts[partname]
        part._content_type, part._blob = content_type, blob

    def relate(self, source: str | None, target: str, reltype: str) -> str:
        origin = self.parts[source] if source else self.document.current_rendering_part
        return str(origin.relate_to(self.parts[target], reltype))


def docxtpl_loop(template: Path, contexts: list[dict[str, Any]], out: Path) -> list[Path]:
    """The straightforward loop: open, render and save the template once per report."""
    from docxtpl import DocxTemplate

    from reportgen.render import jinja_env
    from reportgen.wordfile import current_sink

    paths = []
    for number, context in enumerate(contexts):
        document = DocxTemplate(str(template))
        document.init_docx()
        token = current_sink.set(DocxtplSink(document, template.parent))
        try:
            document.render(context, jinja_env(), autoescape=True)
        finally:
            current_sink.reset(token)
        path = out / f"docxtpl-{number:02}.docx"
        document.save(str(path))
        paths.append(path)
    return paths


def reportgen_loop(template: Path, contexts: list[dict[str, Any]], out: Path) -> list[Path]:
    """reportgen's renderer; the compiled-template cache is emptied first, so compiling counts."""
    from reportgen import wordfile
    from reportgen.render import render_docx

    wordfile._cache.clear()
    paths = []
    for number, context in enumerate(contexts):
        path = out / f"reportgen-{number:02}.docx"
        render_docx(template, context, path)
        paths.append(path)
    return paths


def document_text(path: Path) -> list[str]:
    """Every paragraph of the body, its tables, headers and footers, in order; the charts."""
    import docx

    document = docx.Document(str(path))
    lines: list[str] = []

    def blocks(container: Any) -> None:
        for paragraph in container.paragraphs:
            lines.append(paragraph.text)
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    blocks(cell)

    blocks(document)
    for section in document.sections:
        blocks(section.header)
        blocks(section.footer)
    # Charts and pictures have no paragraph text: count their parts by kind instead.
    kinds = sorted(p.content_type for p in document.part.package.iter_parts())
    lines.append(" ".join(k.rsplit(".", 1)[-1] for k in kinds if "chart" in k or "image" in k))
    return lines


def _median(func: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(quick: bool = False) -> list[tuple[str, str]]:
    """Rows of (label, value) for bench/run.py's table."""
    import reportgen

    rows = QUICK_ROWS if quick else ROWS
    runs = 3 if quick else 5
    config, template, contexts, validation = _contexts(_workbook(rows))
    events = sum(len(c["events"]) for c in contexts)
    work = Path(tempfile.mkdtemp(prefix="reportgen-batch-"))
    try:
        # Warm up both (imports, OS cache), then check the documents agree before timing.
        ours = reportgen_loop(template, contexts, work)
        theirs = docxtpl_loop(template, contexts, work)
        different = [
            p.name
            for p, q in zip(ours, theirs, strict=True)
            if document_text(p) != document_text(q)
        ]
        baseline: list[float] = []
        compiled: list[float] = []
        for _ in range(runs):  # alternate, so a busy moment of the machine hits both
            baseline.append(_median(lambda: docxtpl_loop(template, contexts, work), 1))
            compiled.append(_median(lambda: reportgen_loop(template, contexts, work), 1))
        full_out = work / "full"

        def full() -> None:
            from reportgen import wordfile

            wordfile._cache.clear()
            reportgen.generate_each_province(
                PERIOD, config=config, validation=validation, out=full_out, allow_invalid=True
            )

        whole = _median(full, max(1, runs // 2))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    loop, ours_time = statistics.median(baseline), statistics.median(compiled)
    ratio = loop / ours_time
    return [
        (
            "batch input",
            f"{rows:,} rows, {PERIOD}: 34 provinces, {events:,} events in their reports",
        ),
        ("batch: docxtpl loop, 34 Word reports", f"{loop:.3f} s"),
        ("batch: reportgen, 34 Word reports", f"{ours_time:.3f} s"),
        (
            "batch: speed-up (target >= 3x)",
            f"{ratio:.2f}x {'met' if ratio >= TARGET else 'NOT met'}",
        ),
        (
            "batch: documents with identical text",
            f"{len(ours) - len(different)} of {len(ours)}"
            + (f" (differ: {', '.join(different)})" if different else ""),
        ),
        ("batch: generate_each_province, Word + Excel (info)", f"{whole:.3f} s"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 input rows, 3 runs")
    args = parser.parse_args(argv)
    for label, value in measure(args.quick):
        print(f"{label:<55} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
