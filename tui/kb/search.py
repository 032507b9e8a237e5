"""Search as you type: `owner:customer service:s3 layer:iam domain:data free words`.

The index is built once per knowledge base. A query is parsed into filters
(exact, on structured fields) and free terms (every term must match; AND).
A term matches a record when it is a substring of one of its words' fields;
when it matches nothing at all, a one-edit typo of a vocabulary word is
accepted instead ("encrpyt" finds "encrypt"). Hits are ranked by where the
terms matched (title and id first, a match at the start of a word counting
half again) and carry the spans matched in the title so a face can highlight them.

Speed (bench/run.py types a query letter by letter at 1x, 10x and 100x the
shipped knowledge base): each field is a column of lower-case texts tested
with C-level `map`/`compress` passes instead of a Python loop per document;
a term typed one letter longer only re-tests what the shorter one matched;
documents are numbered in title order so ranking is two stable sorts of
numbers; and `search` returns a lazy sequence that builds a Hit only when
it is read, so a broad query never builds thousands of objects per key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from typing import Any, overload

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
    attrs: dict[str, Iterable[str]]


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
        self._numbers: dict[str, list[int]] | None = None  # record id -> document numbers, built on first use
        for c in kb.controls.values():  # the hot loop at 100x: tuples, not sets; framework ids read on demand
            self.docs.append(_Doc("control", c.id, c.title, c, [
                (W_TITLE, c.title.lower()),
                (W_ID, c.id),
                (W_REF, " ".join((*c.tools, *c.prowler, *c.config_rules, *(i for ids in c.frameworks.values() for i in ids))).lower()),
                (W_BODY, f"{c.customer} {c.aws} {c.layer} {c.domain}".lower()),
            ], {
                "owner": (c.owner,), "layer": (c.layer,), "domain": (c.domain,), "phase": (c.phase,),
                "severity": (c.severity,), "service": c.services, "tool": c.tools,
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
        # Documents are numbered in title order, so sorting numbers sorts by title; each
        # field is a column of texts (title, id, references, body) scanned in C (see _matching).
        self.docs.sort(key=lambda d: d.title.lower())
        self._texts: list[list[str]] = [[], [], [], []]
        self._starts: list[list[str]] = [[], [], [], []]  # the same texts in word-start form (_ws_form)
        forms: dict[str, tuple[str, str]] = {}  # overlays and variants repeat texts: share them
        for d in self.docs:
            for column, starts, text in zip(self._texts, self._starts, _slots(d.fields)):
                shared = forms.get(text)
                if shared is None:
                    shared = forms[text] = (text, _ws_form(text))
                column.append(shared[0])
                starts.append(shared[1])
        self._titles = [d.title.lower() for d in self.docs]
        self._base = [_base_score(d) for d in self.docs]
        self._by_kind: dict[str, set[int]] = {}
        self._by_attr: dict[str, dict[str, set[int]]] = {}
        for n, d in enumerate(self.docs):
            self._by_kind.setdefault(d.kind, set()).add(n)
            for key, values in d.attrs.items():
                for v in values:
                    self._by_attr.setdefault(key, {}).setdefault(v, set()).add(n)
        self._unique_texts = list(forms)
        self._words: set[str] | None = None  # the vocabulary, built on the first typo
        self._deletes: dict[str, set[str]] | None = None  # built on the first typo
        # the last few terms' matches per field: typing "enc" after "en" scans only what "en" matched
        self._recent: dict[str, tuple[set[int], list[set[int]]]] = {}
        # the running score totals of recent queries' leading words, and the last filters' documents
        self._prefixes: dict[tuple[Any, ...], tuple[dict[int, float], set[int], list[str]]] = {}
        self._sized = 0
        self._filters_for: tuple[Any, set[int]] = (None, set())

    # -- typo tolerance -------------------------------------------------------
    @property
    def _vocab(self) -> set[str]:
        if self._words is None:
            self._words = set()
            for text in self._unique_texts:
                self._words.update(_WORD.findall(text))
        return self._words

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
    def search(self, query: str | Query, limit: int | None = None) -> Sequence[Hit]:
        """Hits best first: a sequence that builds each Hit only when it is read, so a
        broad query costs a sort of numbers, not thousands of objects per keystroke."""
        q = parse_query(query, self.kb) if isinstance(query, str) else query
        fkey = tuple(sorted(q.filters.items()))
        candidates = self._filtered(q, fkey)
        variants: list[str] = []
        if not q.terms:
            order = sorted(candidates)
            order.sort(key=self._base.__getitem__, reverse=True)
            scores: Any = self._base
        else:
            total: dict[int, float] | None = None
            for i, term in enumerate(q.terms):
                # typing refines the last word: the words before it scored the same last keystroke
                key = (fkey, q.terms[: i + 1])
                known = self._prefixes.get(key)
                if known is None:
                    options = self._alternatives(term, candidates)
                    found = self._term_scores(options, candidates)
                    total = found if total is None else {n: total[n] + s for n, s in found.items() if n in total}
                    known = self._prefixes[key] = (total, set(total), [v for v, _ in options])
                    self._sized += len(total)
                total, candidates = known[0], known[1]
                variants += known[2]
                if not total:
                    break
            if self._sized > PREFIX_CACHE_HITS:
                self._prefixes.clear()
                self._sized = 0
            assert total is not None
            # best score first; among equals the more severe control, then the title (the numbering)
            order = sorted(total)
            order.sort(key=self._base.__getitem__, reverse=True)
            order.sort(key=total.__getitem__, reverse=True)
            base = self._base
            scores = _Plus(total, base)
        if limit:
            order = order[:limit]
        return HitList(self, order, scores, tuple(variants))

    def _filtered(self, q: Query, fkey: tuple[Any, ...]) -> set[int]:
        """The documents the filters allow; the same set object while the filters stay (see _matching)."""
        if self._filters_for[0] == fkey:
            return self._filters_for[1]
        out: set[int] = set()
        for kind in q.kinds:
            out |= self._by_kind.get(kind, set())
        for key, values in q.filters.items():
            if key == "kind":
                continue
            if key in FRAMEWORK_KEYS:
                out = {n for n in out if _passes(self.docs[n], {key: values})}
                continue
            by_value = self._by_attr.get(key, {})
            allowed: set[int] = set()
            for v in values:
                allowed |= by_value.get(v, set())
            out &= allowed
        self._filters_for = (fkey, out)
        return out

    def _matching(self, term: str, candidates: set[int]) -> list[set[int]]:
        """Per field, the candidates whose text contains `term`: one C-level pass per field,
        over what the same term, or the term one letter shorter (typing), matched last time."""
        for known, exact in ((term, True), (term[:-1], False)):
            seen = self._recent.get(known) if known else None
            if seen is not None and (seen[0] is candidates or candidates <= seen[0]):
                if exact:
                    return seen[1] if seen[0] is candidates else [s & candidates for s in seen[1]]
                pools = [s if seen[0] is candidates else s & candidates for s in seen[1]]
                break
        else:
            pools = [candidates] * len(self._texts)
        sets = []
        for column, pool in zip(self._texts, pools):
            numbers = list(pool)
            sets.append(set(compress(numbers, map(str.__contains__, map(column.__getitem__, numbers), repeat(term)))))
        if len(self._recent) > 64:
            self._recent.clear()
        self._recent[term] = (candidates, sets)
        return sets

    def _term_scores(self, options: list[tuple[str, float]], candidates: set[int]) -> dict[int, float]:
        """Each candidate's best score for one term: field weight x penalty x 1.5 at a word start."""
        buckets: list[tuple[float, list[int]]] = []
        for variant, penalty in options:
            start = _ws_form(variant)  # a word start is a non-alphanumeric character (or none) before the term
            for column, weight, found in zip(self._starts, SLOT_WEIGHTS, self._matching(variant, candidates)):
                if not found:
                    continue
                found_list = list(found)
                buckets.append((weight * penalty, found_list))
                at_start = list(compress(found_list, map(str.__contains__, map(column.__getitem__, found_list), repeat(start))))
                if at_start:
                    buckets.append((weight * penalty * 1.5, at_start))
        best: dict[int, float] = {}
        for score, numbers in sorted(buckets, key=lambda b: b[0]):  # higher scores overwrite lower ones
            best.update(dict.fromkeys(numbers, score))
        return best

    def _alternatives(self, term: str, candidates: set[int]) -> list[tuple[str, float]]:
        """The term itself, and when it matches nothing, its one-edit corrections."""
        if any(self._matching(term, candidates)):
            return [(term, 1.0)]
        return [(w, 0.6) for w in sorted(self.corrections(term))] or [(term, 1.0)]

    def numbers_of(self, doc_id: str) -> list[int]:
        """The document numbers of a record id (a service and a tool may share one)."""
        if self._numbers is None:
            self._numbers = {}
            for n, d in enumerate(self.docs):
                self._numbers.setdefault(d.id, []).append(n)
        return self._numbers.get(doc_id, [])

    def hit(self, number: int, score: float, variants: tuple[str, ...]) -> Hit:
        d = self.docs[number]
        title = self._titles[number]
        spans: list[tuple[int, int]] = []
        for v in variants:
            spans += _find_all(title, v)
        return Hit(d.kind, d.id, d.title, score, d.record, _merge(spans))


SLOT_WEIGHTS = (W_TITLE, W_ID, W_REF, W_BODY)
PREFIX_CACHE_HITS = 400_000  # entries over all cached totals before they are dropped (memory, at 100x)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _ws_form(text: str) -> str:
    """`text` with each run of other characters as one \x01, after a leading \x01: a term
    starts a word of a text exactly when _ws_form(term) occurs in _ws_form(text)."""
    return _NOT_ALNUM.sub("\x01", "\x01" + text)


def _slots(fields: list[tuple[float, str]]) -> tuple[str, str, str, str]:
    """A document's fields as (title, id, references, body) texts."""
    slots = ["", "", "", ""]
    for i, (weight, text) in enumerate(fields):
        slot = 0 if i == 0 else {W_ID: 1, W_REF: 2, W_BODY: 3}[weight]
        slots[slot] = text
    return slots[0], slots[1], slots[2], slots[3]


class _Plus:
    """score[n] = term scores + base score, without building a dict for every hit."""

    def __init__(self, terms: dict[int, float], base: list[float]) -> None:
        self.terms, self.base = terms, base

    def __getitem__(self, n: int) -> float:
        return self.terms[n] + self.base[n]


class HitList(Sequence[Hit]):
    """The ranked hits of one search; each Hit (with its title spans) is built on first read."""

    def __init__(self, index: SearchIndex, order: list[int], scores: Any, variants: tuple[str, ...]) -> None:
        self._index, self._order, self._scores, self._variants = index, order, scores, variants
        self._built: dict[int, Hit] = {}

    def __len__(self) -> int:
        return len(self._order)

    def index_of(self, doc_id: str) -> int | None:
        """The position of a record's hit, without building the hits before it (a list keeps its cursor)."""
        for n in self._index.numbers_of(doc_id):
            try:
                return self._order.index(n)
            except ValueError:
                continue
        return None

    def _at(self, i: int) -> Hit:
        hit = self._built.get(i)
        if hit is None:
            n = self._order[i]
            hit = self._built[i] = self._index.hit(n, self._scores[n], self._variants)
        return hit

    @overload
    def __getitem__(self, i: int) -> Hit: ...

    @overload
    def __getitem__(self, i: slice) -> list[Hit]: ...

    def __getitem__(self, i: int | slice) -> Hit | list[Hit]:
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(len(self._order)))]
        if i < 0:
            i += len(self._order)
        if not 0 <= i < len(self._order):
            raise IndexError(i)
        return self._at(i)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, HitList)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"HitList({len(self)} hits)"


def alternatives_spans(alternatives: list[list[tuple[str, float]]]) -> Iterable[tuple[str, float]]:
    for options in alternatives:
        yield from options


def _passes(d: _Doc, filters: dict[str, tuple[str, ...]]) -> bool:
    for key, values in filters.items():
        if key == "kind":
            continue
        if key in FRAMEWORK_KEYS:  # an id or a prefix of one (fsbp:S3 finds S3.1), any case
            have = [i.lower() for i in (getattr(d.record, "frameworks", None) or {}).get(key, ())]
            if not any(h.startswith(v.lower()) for v in values for h in have):
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
