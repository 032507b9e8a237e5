"""Search as you type: `owner:customer service:s3 layer:iam domain:data free words`.

The index is built once per knowledge base. A query is parsed into filters
(exact, on structured fields) and free terms (every term must match; AND).
A term matches a record when it is a substring of one of its words' fields;
when it matches nothing at all, a one-edit typo of a vocabulary word is
accepted instead ("encrpyt" finds "encrypt"). Hits are ranked by where the
terms matched (title and id first) and carry the spans matched in the title
so a face can highlight them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tui.kb.errors import UsageError, did_you_mean
from tui.kb.knowledge import KnowledgeBase
from tui.kb.model import DOMAINS, FRAMEWORK_KEYS, LAYER_IDS, OWNERS, PHASES, SEVERITIES, SEVERITY_RANK

FILTER_KEYS = ("owner", "service", "layer", "domain", "phase", "severity", "kind", "tool", *FRAMEWORK_KEYS)
KINDS = ("control", "service", "tool", "layer")
_WORD = re.compile(r"[a-z0-9][a-z0-9._()-]*")

# field weights: a match in the title outranks one in the guidance text
W_TITLE, W_ID, W_NAME, W_REF, W_BODY = 10.0, 8.0, 8.0, 4.0, 1.0


@dataclass(frozen=True)
class Query:
    filters: dict[str, tuple[str, ...]]
    terms: tuple[str, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.filters.get("kind", ("control",))


@dataclass(frozen=True)
class Hit:
    kind: str
    id: str
    title: str
    score: float
    record: Any = field(compare=False, repr=False)
    spans: tuple[tuple[int, int], ...] = ()  # matched character ranges in `title`


@dataclass
class _Doc:
    kind: str
    id: str
    title: str
    record: Any
    fields: list[tuple[float, str]]  # (weight, lower-case text)
    attrs: dict[str, frozenset[str]]


def parse_query(text: str, kb: KnowledgeBase | None = None) -> Query:
    """Split a query into filters and free terms; a bad filter is a UsageError."""
    filters: dict[str, list[str]] = {}
    terms: list[str] = []
    for token in text.split():
        key, sep, value = token.partition(":")
        if sep and key and value and not key[0].isdigit():
            k = key.lower()
            if k not in FILTER_KEYS:
                raise UsageError(f"unknown filter '{key}:'{did_you_mean(k, FILTER_KEYS)}; filters are {', '.join(FILTER_KEYS)}")
            for v in value.split(","):
                if v:
                    filters.setdefault(k, []).append(_check_value(k, v, kb))
        elif token.strip():
            terms.append(token.lower())
    return Query({k: tuple(v) for k, v in filters.items()}, tuple(terms))


def _check_value(key: str, value: str, kb: KnowledgeBase | None) -> str:
    low = value.lower()
    allowed = {
        "owner": OWNERS,
        "layer": LAYER_IDS,
        "domain": DOMAINS,
        "phase": PHASES,
        "severity": SEVERITIES,
        "kind": KINDS,
    }.get(key)
    if allowed is not None:
        if low not in allowed:
            # accept an unambiguous prefix while typing (owner:cust)
            starts = [a for a in allowed if a.startswith(low)]
            if len(starts) == 1:
                return starts[0]
            raise UsageError(f"unknown {key} '{value}'{did_you_mean(low, allowed)}; one of: {', '.join(allowed)}")
        return low
    if key == "service" and kb is not None:
        sid = kb.service_id(low)
        if sid is None:
            kb.service(low)  # raises with a suggestion
        return sid or low
    if key == "tool" and kb is not None:
        tid = kb.tool_id(low)
        if tid is None:
            raise UsageError(f"unknown tool '{value}'{did_you_mean(low, kb.tools)}")
        return tid
    if key in FRAMEWORK_KEYS:
        return value.upper() if key in ("fsbp", "nist", "ccm") else value
    return low


class SearchIndex:
    """Built once per knowledge base; `search` runs on every keystroke."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.docs: list[_Doc] = []
        for c in kb.controls.values():
            fw_ids = {f"{k}:{i}".lower() for k, ids in c.frameworks.items() for i in ids}
            self.docs.append(_Doc("control", c.id, c.title, c, [
                (W_TITLE, c.title.lower()),
                (W_ID, c.id),
                (W_REF, " ".join((*c.tools, *c.prowler, *c.config_rules, *(i for ids in c.frameworks.values() for i in ids))).lower()),
                (W_BODY, f"{c.customer} {c.aws} {c.layer} {c.domain}".lower()),
            ], {
                "owner": frozenset((c.owner,)), "layer": frozenset((c.layer,)), "domain": frozenset((c.domain,)),
                "phase": frozenset((c.phase,)), "severity": frozenset((c.severity,)),
                "service": frozenset(c.services), "tool": frozenset(c.tools), "fw": frozenset(fw_ids),
            }))
        for s in kb.services.values():
            owners = frozenset(o.owner for o in s.layers.values())
            self.docs.append(_Doc("service", s.id, s.name, s, [
                (W_TITLE, s.name.lower()),
                (W_ID, " ".join((s.id, s.short.lower(), *s.aliases))),
                (W_BODY, f"{s.summary} {s.group} {s.category}".lower()),
            ], {"owner": owners, "service": frozenset((s.id,)), "layer": frozenset(LAYER_IDS)}))
        for t in kb.tools.values():
            self.docs.append(_Doc("tool", t.id, t.name, t, [
                (W_TITLE, t.name.lower()),
                (W_ID, " ".join((t.id, *t.aliases))),
                (W_BODY, f"{t.summary} {t.what}".lower()),
            ], {"layer": frozenset(t.layers), "tool": frozenset((t.id,)), "service": frozenset((t.service,) if t.service else ())}))
        for layer in kb.ordered_layers():
            self.docs.append(_Doc("layer", layer.id, layer.name, layer, [
                (W_TITLE, layer.name.lower()),
                (W_ID, layer.id),
                (W_BODY, f"{layer.summary} {layer.description} {' '.join(layer.examples)}".lower()),
            ], {"layer": frozenset((layer.id,)), "owner": frozenset((layer.usual_owner,))}))
        self._vocab: set[str] = set()
        for d in self.docs:
            for _, text in d.fields:
                self._vocab.update(_WORD.findall(text))
        self._deletes: dict[str, set[str]] | None = None  # built on the first typo

    # -- typo tolerance -------------------------------------------------------
    def _deletion_index(self) -> dict[str, set[str]]:
        if self._deletes is None:
            index: dict[str, set[str]] = {}
            for w in self._vocab:
                if len(w) >= 4:
                    for v in _deletions(w):
                        index.setdefault(v, set()).add(w)
            self._deletes = index
        return self._deletes

    def corrections(self, term: str) -> set[str]:
        """Vocabulary words one edit away from `term` (for terms of 4+ letters)."""
        if len(term) < 4:
            return set()
        index = self._deletion_index()
        found: set[str] = set(index.get(term, ()))
        for v in _deletions(term):
            found |= index.get(v, set())
            if v in self._vocab:
                found.add(v)
        return found

    # -- the search -----------------------------------------------------------
    def search(self, query: str | Query, limit: int | None = None) -> list[Hit]:
        q = parse_query(query, self.kb) if isinstance(query, str) else query
        candidates = [d for d in self.docs if d.kind in q.kinds and _passes(d, q.filters)]
        terms = list(q.terms)
        hits: list[Hit] = []
        if not terms:
            for d in candidates:
                hits.append(Hit(d.kind, d.id, d.title, _base_score(d), d.record))
        else:
            alternatives = [self._alternatives(t, candidates) for t in terms]
            for d in candidates:
                score = 0.0
                spans: list[tuple[int, int]] = []
                for options in alternatives:
                    best = 0.0
                    for variant, penalty in options:
                        for weight, text in d.fields:
                            if variant in text:
                                s = weight * penalty * (1.5 if _word_start(text, variant) else 1.0)
                                best = max(best, s)
                    if best == 0.0:
                        break
                    score += best
                else:
                    for variant, _ in alternatives_spans(alternatives):
                        spans += _find_all(d.title.lower(), variant)
                    hits.append(Hit(d.kind, d.id, d.title, score + _base_score(d), d.record, _merge(spans)))
        hits.sort(key=lambda h: (-h.score, h.title.lower()))
        return hits[:limit] if limit else hits

    def _alternatives(self, term: str, candidates: list[_Doc]) -> list[tuple[str, float]]:
        """The term itself, and when it matches nothing, its one-edit corrections."""
        for d in candidates:
            for _, text in d.fields:
                if term in text:
                    return [(term, 1.0)]
        return [(w, 0.6) for w in sorted(self.corrections(term))] or [(term, 1.0)]


def alternatives_spans(alternatives: list[list[tuple[str, float]]]) -> Iterable[tuple[str, float]]:
    for options in alternatives:
        yield from options


def _passes(d: _Doc, filters: dict[str, tuple[str, ...]]) -> bool:
    for key, values in filters.items():
        if key == "kind":
            continue
        if key in FRAMEWORK_KEYS:
            have = d.attrs.get("fw", frozenset())
            if not any(f"{key}:{v}".lower() in have or any(h.startswith(f"{key}:{v}".lower()) for h in have) for v in values):
                return False
            continue
        have = d.attrs.get(key)
        if have is None or not any(v in have for v in values):
            return False
    return True


def _base_score(d: _Doc) -> float:
    # among equal matches, more severe controls first
    sev = getattr(d.record, "severity", None)
    return (len(SEVERITY_RANK) - SEVERITY_RANK[sev]) * 0.01 if sev in SEVERITY_RANK else 0.0


def _word_start(text: str, term: str) -> bool:
    i = text.find(term)
    return i == 0 or (i > 0 and not text[i - 1].isalnum())


def _find_all(text: str, term: str) -> list[tuple[int, int]]:
    out, start = [], 0
    while term:
        i = text.find(term, start)
        if i < 0:
            break
        out.append((i, i + len(term)))
        start = i + len(term)
    return out


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return tuple(merged)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
