"""Instrument definition files (YAML or JSON): parsing with positions, validation, and reading.

An organisation loads its own instruments (licensed tools are never shipped). A file is checked
completely before anything is stored: every problem is reported with the line it is on and the
field it concerns (``domains[1].items[0].scale``), the same way for the web upload and for
``manage.py load_instrument``.

The format (``format: rightpath-instrument/1``)::

    key: demo-needs            # stable identifier, shared by all versions
    version: "1.0"             # a version, once loaded, never changes
    kind: spj                  # spj (structured professional judgement) or rule_based (screening)
    demonstration: true        # optional: labels the instrument as a demonstration
    name: {en: ..., sq: ...}   # translations: a mapping of language code to text, English required
    description: {en: ...}     # optional
    licence: ...               # optional free text
    scales:
      need:
        options:
          - {value: "0", label: {en: ...}, present: false, score: 0}
          - {value: unknown, label: {en: Not enough information}, off_scale: true}
          # present: counted (information only) as "rated present"; score: rule_based only;
          # off_scale: an answer outside the scale (left out of charts and scores)
    domains:
      - key: housing
        life_domain: housing   # optional: a life domain of the plan (recommendations become goals there)
        name: {en: ...}
        items:
          - {key: H1, kind: need, scale: need, name: {en: ...}, guidance: {en: ...}}
    screening:                 # rule_based only: bands over the sum of the options' scores
      bands:
        - {from: 0, label: {en: ...}}
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

FORMAT = "rightpath-instrument/1"
KINDS = ("spj", "rule_based")
ITEM_KINDS = ("risk", "protective", "need")
KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
MAX_BYTES = 1_000_000

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class InstrumentError:
    """One problem in an instrument file: where it is (line, field) and what is wrong."""

    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.field}: {self.message}" if self.field else self.message
        where = f"line {self.line}"
        return f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class InstrumentFileError(Exception):
    """The file was refused; ``errors`` lists every problem found."""

    def __init__(self, errors: list[InstrumentError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def field_name(path: Path) -> str:
    """``("domains", 1, "items", 0, "scale")`` → ``domains[1].items[0].scale``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def language_codes() -> list[str]:
    return [code.lower() for code, _name in settings.LANGUAGES]


# --- parsing with positions -----------------------------------------------------------------------


def _parse_yaml(text: str) -> tuple[Any, dict[Path, int]]:
    import yaml

    positions: dict[Path, int] = {}
    errors: list[InstrumentError] = []

    def walk(node: Any, path: Path) -> None:
        positions.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in seen:
                    errors.append(
                        InstrumentError(
                            key_node.start_mark.line + 1, field_name((*path, key)), _("this key appears twice.")
                        )
                    )
                seen.add(key)
                positions[(*path, key)] = key_node.start_mark.line + 1
                walk(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                walk(child, (*path, index))

    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise InstrumentFileError([InstrumentError(None, "", _("The file is empty."))])
            walk(node, ())
            if errors:
                raise InstrumentFileError(errors)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise InstrumentFileError(
            [InstrumentError(line, "", _("not valid YAML: %(problem)s") % {"problem": problem})]
        ) from None
    except yaml.YAMLError as exc:
        raise InstrumentFileError(
            [InstrumentError(None, "", _("not valid YAML: %(problem)s") % {"problem": exc})]
        ) from None
    return data, positions


_WS = re.compile(r"[ \t\n\r]*")


def _parse_json(text: str) -> tuple[Any, dict[Path, int]]:
    """Parse JSON and note the line of every key and array element.

    The standard parser checks the syntax first (with its line numbers); a small walk over the
    then-valid text records positions, handing each scalar back to the standard scanner.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstrumentFileError(
            [InstrumentError(exc.lineno, "", _("not valid JSON: %(problem)s") % {"problem": exc.msg})]
        ) from None
    decoder = json.JSONDecoder()
    positions: dict[Path, int] = {}
    errors: list[InstrumentError] = []

    def line_at(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    def skip(pos: int) -> int:
        return _WS.match(text, pos).end()  # type: ignore[union-attr]

    def value(pos: int, path: Path) -> int:
        pos = skip(pos)
        positions.setdefault(path, line_at(pos))
        char = text[pos]
        if char == "{":
            pos = skip(pos + 1)
            seen: set[str] = set()
            if text[pos] == "}":
                return pos + 1
            while True:
                key_start = skip(pos)
                key, pos = json.decoder.scanstring(text, key_start + 1)
                if key in seen:
                    errors.append(
                        InstrumentError(line_at(key_start), field_name((*path, key)), _("this key appears twice."))
                    )
                seen.add(key)
                positions[(*path, key)] = line_at(key_start)
                pos = skip(pos) + 1  # the colon
                pos = skip(value(pos, (*path, key)))
                if text[pos] == ",":
                    pos += 1
                    continue
                return pos + 1  # the closing brace
        if char == "[":
            pos = skip(pos + 1)
            if text[pos] == "]":
                return pos + 1
            index = 0
            while True:
                pos = skip(value(pos, (*path, index)))
                index += 1
                if text[pos] == ",":
                    pos += 1
                    continue
                return pos + 1
        _scalar, end = decoder.raw_decode(text, pos)
        return end

    value(0, ())
    if errors:
        raise InstrumentFileError(errors)
    return data, positions


def parse(text: str, filename: str = "") -> tuple[Any, dict[Path, int]]:
    """The file's data and the line of each field; JSON when the name ends in ``.json`` or the text
    starts with ``{``, YAML otherwise."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InstrumentFileError([InstrumentError(None, "", _("The file is larger than 1 MB."))])
    if filename.lower().endswith(".json") or text.lstrip().startswith("{"):
        return _parse_json(text)
    return _parse_yaml(text)


# --- validation ---------------------------------------------------------------------------------


class _Checker:
    def __init__(self, positions: dict[Path, int]):
        self.positions = positions
        self.errors: list[InstrumentError] = []

    def line(self, path: Path) -> int | None:
        # A missing field is reported on the line of the nearest enclosing one that exists.
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), None)

    def error(self, path: Path, message: str) -> None:
        self.errors.append(InstrumentError(self.line(path), field_name(path), message))

    def mapping(self, data: Any, path: Path, *, required: tuple[str, ...], optional: tuple[str, ...]) -> bool:
        if not isinstance(data, dict):
            self.error(path, _("must be a mapping of fields."))
            return False
        for key in data:
            if key not in required and key not in optional:
                allowed = ", ".join((*required, *optional))
                self.error(
                    (*path, str(key)), _("unknown field; the fields here are: %(allowed)s.") % {"allowed": allowed}
                )
        for key in required:
            if key not in data:
                self.error((*path, key), _("this field is required."))
        return True

    def key(self, data: dict[str, Any], path: Path) -> str | None:
        value = data.get(path[-1])
        if value is None:
            return None
        if not isinstance(value, str) or not KEY_RE.match(value):
            self.error(
                path,
                _("must be a short identifier (letters, digits, '.', '_' or '-', at most 40 characters)."),
            )
            return None
        return value

    def text(self, value: Any, path: Path, *, required: bool = True) -> dict[str, str]:
        """A translated text: ``{en: ..., sq: ...}``; English is required."""
        if value is None:
            return {}
        if not isinstance(value, dict) or not value:
            self.error(path, _("must be a mapping of language code to text, e.g. {en: …, sq: …}."))
            return {}
        known = language_codes()
        out: dict[str, str] = {}
        for lang, text in value.items():
            code = str(lang).lower()
            if code not in known:
                self.error(
                    (*path, str(lang)),
                    _("unknown language; use one of: %(languages)s.") % {"languages": ", ".join(known)},
                )
            elif not isinstance(text, str) or not text.strip():
                self.error((*path, str(lang)), _("must be a non-empty text."))
            else:
                out[code] = text.strip()
        if required and "en" not in {str(k).lower() for k in value}:
            self.error(path, _("an English text (en) is required."))
        return out


def validate(data: Any, positions: dict[Path, int]) -> dict[str, Any]:
    """Check a parsed file and return the normalised definition, or raise ``InstrumentFileError``
    listing every problem with its line and field."""
    from rightpath.cases.vocab import LifeDomain

    c = _Checker(positions)
    top = ("format", "key", "version", "kind", "name", "scales", "domains")
    if not c.mapping(data, (), required=top, optional=("demonstration", "description", "licence", "screening")):
        raise InstrumentFileError(c.errors)
    if "format" in data and data["format"] != FORMAT:
        c.error(("format",), _("must be %(format)s.") % {"format": FORMAT})
    key = c.key(data, ("key",))
    version = data.get("version")
    if version is not None and (not isinstance(version, str | int | float) or not KEY_RE.match(str(version))):
        c.error(("version",), _('must be a short version label such as "1.0" (write it in quotes in YAML).'))
        version = None
    kind = data.get("kind")
    if kind is not None and kind not in KINDS:
        c.error(("kind",), _("must be spj (structured professional judgement) or rule_based (screening)."))
    if "demonstration" in data and not isinstance(data["demonstration"], bool):
        c.error(("demonstration",), _("must be true or false."))
    if "licence" in data and not isinstance(data["licence"], str):
        c.error(("licence",), _("must be a text."))
    name = c.text(data.get("name"), ("name",))
    description = c.text(data.get("description"), ("description",), required=False)

    # Scales.
    scales: dict[str, Any] = {}
    raw_scales = data.get("scales")
    if raw_scales is not None:
        if not isinstance(raw_scales, dict) or not raw_scales:
            c.error(("scales",), _("must be a mapping of scale names to scales, with at least one scale."))
        else:
            for scale_key, scale in raw_scales.items():
                sp: Path = ("scales", str(scale_key))
                if not KEY_RE.match(str(scale_key)):
                    c.error(sp, _("the scale's name must be a short identifier."))
                if not c.mapping(scale, sp, required=("options",), optional=()):
                    continue
                options = scale.get("options")
                if not isinstance(options, list) or len(options) < 2:
                    c.error((*sp, "options"), _("must be a list of at least two options."))
                    continue
                seen_values: set[str] = set()
                clean_options = []
                for i, option in enumerate(options):
                    op: Path = (*sp, "options", i)
                    if not c.mapping(
                        option, op, required=("value", "label"), optional=("present", "score", "off_scale")
                    ):
                        continue
                    value = option.get("value")
                    if value is None or not KEY_RE.match(str(value)):
                        c.error((*op, "value"), _("must be a short identifier."))
                        continue
                    value = str(value)
                    if value in seen_values:
                        c.error(
                            (*op, "value"), _("the value %(value)s appears twice in this scale.") % {"value": value}
                        )
                    seen_values.add(value)
                    present = option.get("present", False)
                    if not isinstance(present, bool):
                        c.error((*op, "present"), _("must be true or false."))
                    off_scale = option.get("off_scale", False)
                    if not isinstance(off_scale, bool):
                        c.error((*op, "off_scale"), _("must be true or false."))
                    score = option.get("score")
                    if score is not None and (isinstance(score, bool) or not isinstance(score, int)):
                        c.error((*op, "score"), _("must be a whole number."))
                    if kind == "rule_based" and score is None and off_scale is not True:
                        c.error(
                            (*op, "score"), _("a rule-based instrument needs a whole-number score on every option.")
                        )
                    clean_options.append(
                        {
                            "value": value,
                            "label": c.text(option.get("label"), (*op, "label")),
                            "present": present is True,
                            "off_scale": off_scale is True,
                            "score": score if isinstance(score, int) and not isinstance(score, bool) else None,
                        }
                    )
                scales[str(scale_key)] = {"options": clean_options}

    # Domains and items.
    domains: list[dict[str, Any]] = []
    raw_domains = data.get("domains")
    item_keys: set[str] = set()
    if raw_domains is not None:
        if not isinstance(raw_domains, list) or not raw_domains:
            c.error(("domains",), _("must be a list with at least one domain."))
        else:
            domain_keys: set[str] = set()
            for d, domain in enumerate(raw_domains):
                dp: Path = ("domains", d)
                if not c.mapping(domain, dp, required=("key", "name", "items"), optional=("life_domain",)):
                    continue
                dkey = c.key(domain, (*dp, "key"))
                if dkey in domain_keys:
                    c.error((*dp, "key"), _("the domain key %(key)s appears twice.") % {"key": dkey})
                domain_keys.add(dkey or "")
                life = domain.get("life_domain")
                if life is not None and life not in LifeDomain.values:
                    c.error(
                        (*dp, "life_domain"),
                        _("unknown life domain; use one of: %(domains)s.") % {"domains": ", ".join(LifeDomain.values)},
                    )
                    life = None
                items = domain.get("items")
                clean_items = []
                if not isinstance(items, list) or not items:
                    if "items" in domain:
                        c.error((*dp, "items"), _("must be a list with at least one item."))
                    items = []
                for i, item in enumerate(items):
                    ip: Path = (*dp, "items", i)
                    if not c.mapping(item, ip, required=("key", "kind", "scale", "name"), optional=("guidance",)):
                        continue
                    ikey = c.key(item, (*ip, "key"))
                    if ikey in item_keys:
                        c.error(
                            (*ip, "key"), _("the item key %(key)s appears twice in the instrument.") % {"key": ikey}
                        )
                    item_keys.add(ikey or "")
                    ikind = item.get("kind")
                    if ikind is not None and ikind not in ITEM_KINDS:
                        c.error((*ip, "kind"), _("must be risk, protective or need."))
                    scale = item.get("scale")
                    # A scale that is defined but has its own errors is reported there, not again here.
                    if (
                        scale is not None
                        and str(scale) not in scales
                        and isinstance(raw_scales, dict)
                        and str(scale) not in raw_scales
                    ):
                        c.error(
                            (*ip, "scale"),
                            _("unknown scale %(scale)s; the scales are: %(scales)s.")
                            % {"scale": scale, "scales": ", ".join(str(name) for name in raw_scales) or "—"},
                        )
                    clean_items.append(
                        {
                            "key": ikey,
                            "kind": ikind,
                            "scale": str(scale),
                            "name": c.text(item.get("name"), (*ip, "name")),
                            "guidance": c.text(item.get("guidance"), (*ip, "guidance"), required=False),
                        }
                    )
                domains.append(
                    {
                        "key": dkey,
                        "life_domain": life or "",
                        "name": c.text(domain.get("name"), (*dp, "name")),
                        "items": clean_items,
                    }
                )

    # Screening bands (rule-based instruments only).
    screening: dict[str, Any] = {}
    if kind == "rule_based":
        raw = data.get("screening")
        if raw is None:
            c.error(("screening",), _("a rule-based instrument needs screening bands."))
        elif c.mapping(raw, ("screening",), required=("bands",), optional=()):
            bands = raw.get("bands")
            if not isinstance(bands, list) or not bands:
                c.error(("screening", "bands"), _("must be a list with at least one band."))
            else:
                clean_bands = []
                for b, band in enumerate(bands):
                    bp: Path = ("screening", "bands", b)
                    if not c.mapping(band, bp, required=("from", "label"), optional=()):
                        continue
                    start = band.get("from")
                    if isinstance(start, bool) or not isinstance(start, int):
                        c.error((*bp, "from"), _("must be a whole number."))
                        continue
                    clean_bands.append({"from": start, "label": c.text(band.get("label"), (*bp, "label"))})
                starts = [b["from"] for b in clean_bands]
                if starts != sorted(set(starts)):
                    c.error(("screening", "bands"), _("the bands must start at increasing numbers."))
                screening = {"bands": clean_bands}
    elif "screening" in data:
        c.error(("screening",), _("only a rule-based instrument has screening bands."))

    if c.errors:
        raise InstrumentFileError(c.errors)
    return {
        "format": FORMAT,
        "key": key,
        "version": str(version),
        "kind": kind,
        "demonstration": data.get("demonstration", False),
        "name": name,
        "description": description,
        "licence": data.get("licence", ""),
        "scales": scales,
        "domains": domains,
        "screening": screening,
    }


def read_definition(text: str, filename: str = "") -> tuple[dict[str, Any], str]:
    """Parse and validate a file: the normalised definition and the SHA-256 of its text."""
    data, positions = parse(text, filename)
    definition = validate(data, positions)
    return definition, hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode(raw: bytes) -> str:
    """The text of an uploaded or read file (UTF-8, with or without a byte-order mark)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InstrumentFileError([InstrumentError(line, "", _("the file is not UTF-8 text."))]) from None


# --- reading a stored definition -----------------------------------------------------------------


def translated(texts: dict[str, str] | None, language: str | None = None) -> str:
    """The text in the active language, falling back sr-latn → sr → en → any."""
    if not texts:
        return ""
    lang = (language or get_language() or "en").lower()
    chain = [lang]
    if "-" in lang:
        chain.append(lang.split("-")[0])
    chain.append("en")
    for code in chain:
        if texts.get(code):
            if code == "sr" and lang == "sr-latn":
                # Serbian is one language in two scripts: show the Cyrillic text in Latin script.
                import cyrtranslit

                return cyrtranslit.to_latin(texts[code], "sr")
            return texts[code]
    return next(iter(texts.values()))
