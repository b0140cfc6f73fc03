"""Word templates compiled once and rendered many times, straight into the .docx zip.

docxtpl's own path (``DocxTemplate(path)``, ``render``, ``save``) opens the template with
python-docx, rewrites and compiles every part's XML as a Jinja template, renders, parses the
result back into python-docx and serialises every part again -- for every report. A central
office rendering 34 provinces repeats all of that 34 times although only the rendering depends
on the data. Here docxtpl prepares each part once (its tag clean-up and ``{%tr %}``/``{%p %}``
rewriting, so templates behave exactly as docxtpl documents them); each render then only runs
the compiled Jinja templates, checks that the result is well-formed XML and writes the zip,
copying every part the template does not touch.

Pictures and charts in the context add parts through the :class:`PartSink` of the render in
progress (:data:`current_sink`).
"""

from __future__ import annotations

import html
import itertools
import posixpath
import re
import threading
import zipfile
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .errors import TemplateError
from .i18n import _

_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\bid=")(\d+)(")')
_LISTING_CHARS = ("\t", "\a", "\n", "\f")
# The core properties docxtpl renders as templates, by their element in docProps/core.xml.
_CORE_PROPERTIES = (
    "{http://purl.org/dc/elements/1.1/}creator",
    "{http://purl.org/dc/elements/1.1/}description",
    "{http://purl.org/dc/elements/1.1/}identifier",
    "{http://purl.org/dc/elements/1.1/}language",
    "{http://purl.org/dc/elements/1.1/}subject",
    "{http://purl.org/dc/elements/1.1/}title",
)


class PartSink(Protocol):
    """The document being rendered, as seen by a context object that adds parts to it.

    A chart or picture object in the template context, when Jinja renders it, asks the sink
    for a part name, adds its part(s), relates them and returns the drawing XML that points
    at the relationship id it got.
    """

    #: The folder of the template being rendered (pictures named by a template live there).
    template_dir: Path

    def new_partname(self, pattern: str) -> str:
        """A part name not yet used, from ``pattern`` with ``{n}``: ``/word/media/image{n}.png``."""
        ...

    def add_part(self, partname: str, content_type: str, blob: bytes) -> None:
        """Add a part to the package; its content type is registered as an Override."""
        ...

    def relate(self, source: str | None, target: str, reltype: str) -> str:
        """Relate part ``source`` (None: the part being rendered) to ``target``; return the rId."""
        ...


#: The sink of the Word document rendering in this thread, or None outside a Word render.
current_sink: ContextVar[PartSink | None] = ContextVar("reportgen_part_sink", default=None)


@dataclass
class _Sink:
    """Parts and relationships one render adds to the package."""

    template_dir: Path
    taken: set[str]
    current: str = "/word/document.xml"
    parts: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    rels: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def new_partname(self, pattern: str) -> str:
        for n in itertools.count(1):
            name = pattern.format(n=n)
            if name.lstrip("/") not in self.taken and name not in self.parts:
                self.parts[name] = ("", b"")  # reserved until add_part fills it
                return name
        raise AssertionError("unreachable")

    def add_part(self, partname: str, content_type: str, blob: bytes) -> None:
        self.parts[partname] = (content_type, blob)

    def relate(self, source: str | None, target: str, reltype: str) -> str:
        source = source or self.current
        # A prefix no Office program uses, so the ids never meet the template's own rIdN.
        rid = f"rgRel{next(self.counter)}"
        self.rels.setdefault(source, []).append((rid, reltype, target))
        return rid


@dataclass
class _Part:
    """One XML part of the template compiled as a Jinja template."""

    name: str  # zip entry name, no leading slash
    source: str  # the Jinja source: docxtpl's patched XML, one paragraph per line
    template: Any
    where: str  # "" for the body, else a words for the message ("header", "footer")


def _cannot_open(template: Path, exc: BaseException) -> TemplateError:
    return TemplateError(
        _("{template}: cannot open the Word template ({reason}).").format(
            template=template, reason=exc
        )
    )


def _strict_parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class CompiledWord:
    """A Word template read, prepared and compiled once; :meth:`render` writes one report."""

    def __init__(self, template: Path) -> None:
        from docxtpl import DocxTemplate
        from jinja2 import TemplateError as JinjaError
        from lxml import etree

        from .render import (
            check_row_loops,
            check_template_archive,
            describe_template_error,
            jinja_env,
        )

        self.path = template
        try:
            with zipfile.ZipFile(template) as archive:
                infos = archive.infolist()
                check_template_archive(template, infos)
                self.entries = [(info, archive.read(info)) for info in infos]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
            raise _cannot_open(template, exc) from None
        self.names = {info.filename for info, _blob in self.entries}
        document = DocxTemplate(str(template))
        try:
            document.init_docx()
        except Exception as exc:  # python-docx raises several types for a file that is no .docx
            raise _cannot_open(template, exc) from None
        check_row_loops(document.docx, template)
        env = jinja_env()
        self.parts: list[_Part] = []
        self.column_loops = False

        def compile_part(partname: str, xml: str, where: str) -> None:
            self.column_loops = self.column_loops or bool(re.search(r"\{%-?\s*tc\s", xml))
            source = re.sub(r"<w:p([ >])", r"\n<w:p\1", document.patch_xml(xml))
            try:
                compiled = env.from_string(source)
            except JinjaError as exc:
                raise describe_template_error(exc, template, source, where) from None
            self.parts.append(_Part(partname.lstrip("/"), source, compiled, where))

        main = document.docx.part
        self.body_name = str(main.partname).lstrip("/")
        compile_part(self.body_name, document.get_xml(), "")
        # The document element around the body is kept as text: each render only fills it.
        root = etree.fromstring(etree.tostring(main.element))
        body = root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body")
        for child in list(body):
            body.remove(child)
        outer: str = etree.tostring(root, encoding="UTF-8", standalone=True).decode("utf-8")
        self.body_prefix, _sep, self.body_suffix = outer.partition("<w:body/>")
        for rel in main.rels.values():
            if rel.is_external or rel.reltype not in (_HEADER, _FOOTER):
                continue
            part = rel.target_part
            if not part.blob:
                continue
            where = _("header") if rel.reltype == _HEADER else _("footer")
            compile_part(str(part.partname), document.get_part_xml(part), where)
        for part in main.package.parts:
            if part.content_type == _FOOTNOTES:
                compile_part(str(part.partname), document.get_part_xml(part), _("footnotes"))
        self.core: tuple[str, bytes, dict[str, Any]] | None = None
        self._compile_core(env)

    def _compile_core(self, env: Any) -> None:
        from lxml import etree

        blob = next((b for i, b in self.entries if i.filename == "docProps/core.xml"), None)
        if blob is None or not (b"{{" in blob or b"{%" in blob):
            return
        try:
            root = etree.fromstring(blob, _strict_parser())
        except etree.XMLSyntaxError:
            return
        templates = {}
        for tag in _CORE_PROPERTIES:
            element = root.find(tag)
            if (
                element is not None
                and element.text
                and ("{{" in element.text or "{%" in element.text)
            ):
                try:
                    templates[tag] = env.from_string(element.text)
                except Exception:  # a broken title is not worth refusing the template for
                    continue
        if templates:
            self.core = ("docProps/core.xml", blob, templates)

    # -- rendering -------------------------------------------------------------------------

    def render(self, context: dict[str, Any], target: Path) -> None:
        """Render ``context`` into the .docx ``target``."""

        from .render import describe_template_error, template_failures

        sink = _Sink(self.path.parent, self.names)
        replaced: dict[str, bytes] = {}
        docpr = itertools.count(1001)
        token = current_sink.set(sink)
        try:
            for part in self.parts:
                sink.current = "/" + part.name
                try:
                    xml = part.template.render(context)
                except template_failures() as exc:
                    # Arithmetic and type mistakes in a template ({{ 1/0 }}, {{ 'a' + 1 }})
                    # are the template's fault too: reported in words, never as a traceback.
                    raise describe_template_error(exc, self.path, part.source, part.where) from None
                replaced[part.name] = self._finish(part, xml, docpr)
        finally:
            current_sink.reset(token)
        if self.core is not None:  # outside the sink: a chart in the title falls back to text
            replaced[self.core[0]] = self._render_core(context)
        self._write(target, replaced, sink)

    def _finish(self, part: _Part, xml: str, docpr: Iterator[int]) -> bytes:
        """docxtpl's post-processing of a rendered part, then a well-formedness check."""
        from lxml import etree

        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
        if any(c in xml for c in _LISTING_CHARS):
            from docxtpl import DocxTemplate

            # Tabs, new lines and page breaks in the data become Word's own elements.
            xml = DocxTemplate.resolve_listing(None, xml)
        # Pictures repeated by a loop share their drawing id; Word wants every id unique.
        xml = _DOCPR_ID.sub(lambda m: f"{m.group(1)}{next(docpr)}{m.group(3)}", xml)
        try:
            tree = etree.fromstring(xml.encode("utf-8"), _strict_parser())
        except etree.XMLSyntaxError as exc:
            raise TemplateError(
                _(
                    "{template}: the template produced a broken document{where} ({reason}); "
                    "check that every {{%p ...%}}, {{%tr ...%}} tag and its end tag sit in "
                    "paragraphs or rows of their own."
                ).format(
                    template=self.path,
                    where=f" ({part.where})" if part.where else "",
                    reason=exc,
                )
            ) from None
        if part.name == self.body_name:
            if self.column_loops:
                from docxtpl import DocxTemplate

                # {%tc %} loops change the number of cells; the table grid must follow.
                tree = DocxTemplate.fix_tables(None, xml)
                xml = str(etree.tostring(tree, encoding="unicode"))
            return (self.body_prefix + xml + self.body_suffix).encode("utf-8")
        return (_DECLARATION + xml).encode("utf-8")

    def _render_core(self, context: dict[str, Any]) -> bytes:
        from lxml import etree

        assert self.core is not None
        _name, blob, templates = self.core
        root = etree.fromstring(blob, _strict_parser())
        for tag, template in templates.items():
            element = root.find(tag)
            try:
                # Rendered with escaping on, as text: undo the escaping, lxml escapes again.
                element.text = html.unescape(template.render(context))
            except Exception:  # a property is metadata; keep the template's text
                continue
        return bytes(etree.tostring(root, encoding="UTF-8", standalone=True))

    def _write(self, target: Path, replaced: dict[str, bytes], sink: _Sink) -> None:
        added = {name: value for name, value in sink.parts.items() if value[0]}
        rels = {_rels_name(source): (source, extra) for source, extra in sink.rels.items()}
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info, blob in self.entries:
                name = info.filename
                if name == "[Content_Types].xml" and added:
                    blob = _add_overrides(blob, added)
                elif name in rels:
                    source, extra = rels.pop(name)
                    blob = _add_relationships(blob, source, extra)
                else:
                    blob = replaced.get(name, blob)
                out.writestr(_entry(info), blob)
            for name, (_type, blob) in added.items():
                out.writestr(_entry(zipfile.ZipInfo(name.lstrip("/"))), blob)
            for name, (source, extra) in rels.items():
                empty = f'<Relationships xmlns="{_RELS_NS}"></Relationships>'.encode()
                out.writestr(
                    _entry(zipfile.ZipInfo(name)), _add_relationships(empty, source, extra)
                )


def _entry(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o600 << 16
    return entry


def _rels_name(partname: str) -> str:
    folder, base = posixpath.split(partname.lstrip("/"))
    return posixpath.join(folder, "_rels", base + ".rels")


def _add_relationships(blob: bytes, source: str, extra: list[tuple[str, str, str]]) -> bytes:
    from lxml import etree

    root = etree.fromstring(blob, _strict_parser())
    folder = posixpath.dirname(source)
    for rid, reltype, target in extra:
        etree.SubElement(
            root,
            f"{{{_RELS_NS}}}Relationship",
            Id=rid,
            Type=reltype,
            Target=posixpath.relpath(target, folder),
        )
    return bytes(etree.tostring(root, encoding="UTF-8", standalone=True))


def _add_overrides(blob: bytes, added: dict[str, tuple[str, bytes]]) -> bytes:
    from lxml import etree

    root = etree.fromstring(blob, _strict_parser())
    namespace = root.nsmap.get(None, "http://schemas.openxmlformats.org/package/2006/content-types")
    for name, (content_type, _blob) in added.items():
        etree.SubElement(root, f"{{{namespace}}}Override", PartName=name, ContentType=content_type)
    return bytes(etree.tostring(root, encoding="UTF-8", standalone=True))


_cache: dict[tuple[str, int, int], CompiledWord] = {}
_cache_lock = threading.Lock()
CACHE_SIZE = 16


def compile_word(template: Path) -> CompiledWord:
    """The compiled form of ``template``, reused while the file is unchanged."""
    try:
        stat = template.stat()
    except OSError as exc:
        raise _cannot_open(template, exc) from None
    key = (str(template.resolve()), stat.st_mtime_ns, stat.st_size)
    with _cache_lock:
        compiled = _cache.get(key)
    if compiled is None:
        compiled = CompiledWord(template)
        with _cache_lock:
            if len(_cache) >= CACHE_SIZE:
                _cache.pop(next(iter(_cache)))
            _cache[key] = compiled
    return compiled
