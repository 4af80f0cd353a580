"""Named SPARQL queries: ``graph/sparql/queries/*.rq`` files with a comment header, and safe textual parameter binding.

A named query starts with comment lines::

    # zh: 某细分领域的上游供应商
    # en: Upstream suppliers of a segment
    # about: which local players work in segments upstream of SEGMENT (ckg:upstreamOf+)
    # param: segment iri ckd:seg-liion-cell  细分领域 the segment
    # example: segment=ckd:seg-liion-anode

A parameter is written ``$name`` in the body (a valid SPARQL variable, so the unbound query still parses) and is
replaced by an RDF term written out in full (``<iri>``, ``"text"``, ``12.5``). Binding is textual on purpose: the same
bound text can go to any SPARQL server. A default of ``-`` makes the parameter required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from graph.errors import QueryError
from graph.text import did_you_mean
from graph.vocab.namespaces import PREFIXES

__all__ = ["Param", "NamedQuery", "QUERY_DIR", "KINDS", "load_named_queries", "get_named_query", "term_text"]

QUERY_DIR = Path(__file__).resolve().parent / "queries"
KINDS = ("iri", "string", "decimal", "integer")
_HEADER = re.compile(r"^#\s*(zh|en|about|param|example):\s*(.*?)\s*$")
_PARAM = re.compile(r"^([a-z][a-z0-9_]*)\s+(\w+)\s+(\S+)\s*(.*)$")
_IRI_BAD = re.compile(r'[\s<>"{}|\\^`]')


@dataclass(frozen=True)
class Param:
    """One parameter of a named query."""

    name: str
    kind: str  # one of KINDS
    default: str | None  # None: required
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A named query read from an ``.rq`` file."""

    name: str
    title_zh: str
    title_en: str
    about: str
    params: tuple[Param, ...]
    text: str
    path: Path
    examples: dict[str, str] = field(default_factory=dict)

    def bind(self, values: dict[str, str] | None = None, *, use_examples: bool = False) -> str:
        """Return the query text with every ``$param`` replaced by its value (or default) as an RDF term.

        Raises:
            QueryError: an unknown or missing parameter, or a value that does not fit its kind.
        """
        values = dict(values or {})
        known = {p.name: p for p in self.params}
        for key in sorted(values):
            if key not in known:
                raise QueryError(
                    f'parameter {key}: query "{self.name}" has no parameter "{key}"; '
                    f"it takes {_listing(self.params)}{did_you_mean(key, known)}"
                )
        terms: dict[str, str] = {}
        for p in self.params:
            value = values.get(p.name)
            if value is None and use_examples:
                value = self.examples.get(p.name)
            if value is None:
                value = p.default
            if value is None:
                raise QueryError(
                    f'query "{self.name}": missing parameter {p.name}=… ({p.kind}: {p.description}); '
                    f"e.g. {p.name}={self.examples.get(p.name, '…')}"
                )
            terms[p.name] = term_text(value, p.kind, where=f"parameter {p.name}")
        return re.sub(r"\$([A-Za-z_][\w]*)", lambda m: terms.get(m.group(1), m.group(0)), self.text)


def _listing(params: tuple[Param, ...]) -> str:
    return ", ".join(p.name for p in params) or "no parameters"


def term_text(value: str, kind: str, *, where: str = "value") -> str:
    """Write ``value`` as a SPARQL term of ``kind``, refusing anything that could change the query.

    Example:
        >>> term_text("ckd:org-jinko", "iri")
        '<https://w3id.org/chainkg/id/org-jinko>'
        >>> term_text('晶"科', "string")
        '"晶\\\\"科"'
        >>> term_text("1e2", "decimal")
        '100'
    """
    if kind == "iri":
        text = value.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        prefix, sep, local = text.partition(":")
        if sep and prefix in PREFIXES and not local.startswith("//"):
            text = PREFIXES[prefix] + local
        elif not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text):
            raise QueryError(
                f'{where}: "{value}" is not an IRI; expected a prefixed name such as ckd:org-jinko or a full IRI'
                f"{did_you_mean(prefix, PREFIXES) if sep else ''}"
            )
        if _IRI_BAD.search(text):
            raise QueryError(
                f'{where}: "{value}" has a character an IRI cannot hold (space, <, >, ", {{, }}, |, \\, ^, `)'
            )
        return f"<{text}>"
    if kind == "string":
        escaped = (
            value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        return f'"{escaped}"'
    if kind in ("decimal", "integer"):
        try:
            number = Decimal(value.strip())
        except InvalidOperation as err:
            raise QueryError(f'{where}: "{value}" is not a number; expected a {kind} such as 10') from err
        if not number.is_finite() or (kind == "integer" and number != number.to_integral_value()):
            raise QueryError(f'{where}: "{value}" is not a finite {kind}')
        text = format(number.normalize(), "f")
        return text
    raise QueryError(f'{where}: unknown parameter kind "{kind}"; expected one of {", ".join(KINDS)}')


def _parse(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    params: list[Param] = []
    examples: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.groups()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm or pm.group(2) not in KINDS:
                raise QueryError(
                    f'{path}:{number}: param: "{value}" should be "NAME KIND DEFAULT DESCRIPTION" '
                    f"with KIND one of {', '.join(KINDS)}"
                )
            name, kind, default, description = pm.groups()
            params.append(Param(name, kind, None if default == "-" else default, description))
        elif key == "example":
            for pair in value.split():
                k, _, v = pair.partition("=")
                examples[k] = v
        else:
            header[key] = value
    for key in ("zh", "en", "about"):
        if key not in header:
            raise QueryError(f'{path}:1: header: missing "# {key}: …" line')
    declared = {p.name for p in params}
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for used in sorted(set(re.findall(r"\$([A-Za-z_]\w*)", body)) - declared):
        raise QueryError(f"{path}: ${used} is used but not declared in a '# param:' line")
    return NamedQuery(
        name=path.stem,
        title_zh=header["zh"],
        title_en=header["en"],
        about=header["about"],
        params=tuple(params),
        text=text,
        path=path,
        examples=examples,
    )


def load_named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Read every ``*.rq`` in ``folder`` (default ``graph/sparql/queries``), sorted by name.

    Raises:
        QueryError: a file with a malformed header.
    """
    folder = folder or QUERY_DIR
    return {p.stem: _parse(p) for p in sorted(Path(folder).glob("*.rq"))}


def get_named_query(name: str, folder: Path | None = None) -> NamedQuery:
    """Return the named query ``name``.

    Raises:
        QueryError: no such query (with the closest names).
    """
    queries = load_named_queries(folder)
    if name in queries:
        return queries[name]
    import difflib

    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.4)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise QueryError(
        f'named query: no named query "{name}"{hint}; `chainkg queries` lists all {len(queries)}'
    )
