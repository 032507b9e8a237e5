"""Checks across records: every reference resolves, every name is unique."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tui.kb.errors import Problem, did_you_mean
from tui.kb.knowledge import KnowledgeBase
from tui.kb.model import LAYER_IDS, Origin

# a verify command shows state and changes nothing: `aws SERVICE VERB-...` with a reading verb
READ_ONLY = re.compile(r"^aws [a-z0-9-]+ (get|describe|list|head|lookup|search|batch-get|query|scan|simulate|view"
                       r"|generate-credential-report|ls)\b")


def _p(origin: Origin | None, message: str) -> Problem:
    o = origin or Origin("<unknown>", 1, 1)
    return Problem(o.path, o.line, o.column, message)


def check_references(kb: KnowledgeBase) -> list[Problem]:
    problems: list[Problem] = []
    problems += _layers(kb)
    problems += _services(kb)
    problems += _controls(kb)
    problems += _tools(kb)
    return problems


def _layers(kb: KnowledgeBase) -> Iterable[Problem]:
    missing = [layer for layer in LAYER_IDS if layer not in kb.layers]
    if missing and kb.layers:
        first = next(iter(kb.layers.values()))
        yield _p(first.origin, f"the knowledge base does not describe layer(s): {', '.join(missing)}")


def _services(kb: KnowledgeBase) -> Iterable[Problem]:
    names: dict[str, str] = {}
    prefixes: dict[tuple[str, str], str] = {}
    for s in kb.services.values():
        for alias in (s.id, *s.aliases):
            low = alias.lower()
            owner = names.get(low)
            if owner is not None and owner != s.id:
                yield _p(s.origin, f"alias '{alias}' of service '{s.id}' is already used by service '{owner}'")
            names.setdefault(low, s.id)
        for kind, plist in (("CloudFormation", s.cloudformation), ("Terraform", s.terraform)):
            for prefix in plist:
                other = prefixes.get((kind, prefix))
                if other is not None and other != s.id:
                    yield _p(s.origin, f"{kind} prefix '{prefix}' of service '{s.id}' is already claimed by service '{other}'")
                prefixes.setdefault((kind, prefix), s.id)
        if s.variant_of and s.variant_of not in kb.services:
            yield _p(s.origin, f"service '{s.id}' is a variant of unknown service '{s.variant_of}'{did_you_mean(s.variant_of, kb.services)}")
        if s.inherits_parent and not s.variant_of:
            yield _p(s.origin, f"service '{s.id}' inherits its parent's controls but names no parent in 'variant_of'")
        for sid in s.implies:
            if sid not in kb.services or sid == s.id:
                yield _p(s.origin, f"service '{s.id}' implies unknown service '{sid}'{did_you_mean(sid, kb.services)}")
        for rule in s.implied_by:
            if not rule.event and not rule.property:
                yield _p(s.origin, f"service '{s.id}': an 'implied_by' rule names an 'event', a 'property' or both")
            if rule.absent and not rule.property:
                yield _p(s.origin, f"service '{s.id}': an 'implied_by' rule with 'absent' names the 'property' that is absent")
            if rule.arn and (not rule.property or rule.absent):
                yield _p(s.origin, f"service '{s.id}': an 'implied_by' rule with 'arn' names the 'property' holding the ARN")
            for rtype in rule.resources:
                if not rtype.startswith("AWS::"):
                    yield _p(s.origin, f"service '{s.id}': 'implied_by' resource '{rtype}' is not a CloudFormation type (AWS::...)")
        if s.default_variant:
            v = kb.services.get(s.default_variant)
            if v is None or v.variant_of != s.id:
                yield _p(s.origin, f"service '{s.id}': default variant '{s.default_variant}' is not one of its variants")
    for sid in kb.meta.get("baseline_services", ()):
        if sid not in kb.services:
            yield Problem("kb.yaml", 1, 1, f"baseline service '{sid}' is not a service{did_you_mean(sid, kb.services)}")


def _controls(kb: KnowledgeBase) -> Iterable[Problem]:
    titles: dict[str, str] = {}
    # each catalog's ids once, not once per control (quadratic at 10x the data)
    catalogs = {fw: {r.id for r in f.requirements} for fw, f in kb.frameworks.items()}
    for c in kb.controls.values():
        for sid in c.services:
            if sid != "all" and sid not in kb.services:
                yield _p(c.origin, f"control '{c.id}' names unknown service '{sid}'{did_you_mean(sid, kb.services)}")
        if "all" in c.services and len(c.services) > 1:
            yield _p(c.origin, f"control '{c.id}' is account-wide ('all'): list no other services")
        for tid in c.tools:
            if tid not in kb.tools:
                yield _p(c.origin, f"control '{c.id}' names unknown tool '{tid}'{did_you_mean(tid, kb.tools)}")
        for fw, ids in c.frameworks.items():
            if fw not in kb.frameworks:
                continue  # a framework without a catalog (an overlay's own) is not checked
            catalog = catalogs[fw]
            for rid in ids:
                if rid not in catalog:
                    yield _p(c.origin, f"control '{c.id}' cites {fw} '{rid}', which is not in the {fw} catalog{did_you_mean(rid, catalog)}")
        if "prowler" in kb.frameworks and c.prowler:
            checks = catalogs["prowler"]
            for check in c.prowler:
                if check not in checks:
                    yield _p(c.origin, f"control '{c.id}' names unknown Prowler check '{check}'{did_you_mean(check, checks)}")
        if c.parent is not None:
            parent = kb.controls.get(c.parent)
            if parent is None:
                yield _p(c.origin, f"control '{c.id}' names unknown parent '{c.parent}'{did_you_mean(c.parent, kb.controls)}")
            elif parent.parent is not None:
                yield _p(c.origin, f"control '{c.id}': its parent '{c.parent}' is itself a sub-check (one level only)")
            elif parent.review_scope != c.review_scope:
                yield _p(c.origin, f"control '{c.id}' is {c.review_scope} but its parent '{c.parent}' is {parent.review_scope}")
            elif (parent.owner == "aws") != (c.owner == "aws"):
                yield _p(c.origin, f"control '{c.id}' and its parent '{c.parent}' must both be items or both inherited")
        if c.applies == "all" and len(c.services) < 2:
            yield _p(c.origin, f"control '{c.id}' applies when 'all' its services are used: list two or more")
        if c.verify and (not c.verify.startswith("aws ") or "`" in c.verify or "\n" in c.verify.strip()):
            yield _p(c.origin, f"control '{c.id}': 'verify' is one AWS CLI command on one line, starting with 'aws '")
        elif c.verify and not READ_ONLY.match(c.verify):
            yield _p(c.origin, f"control '{c.id}': 'verify' must only read (get-, describe-, list-, head-, batch-get-, "
                               "simulate-...), never change anything")
        key = c.title.strip().lower()
        if key in titles and titles[key] != c.id:
            yield _p(c.origin, f"control '{c.id}' has the same title as control '{titles[key]}'")
        titles.setdefault(key, c.id)


def _tools(kb: KnowledgeBase) -> Iterable[Problem]:
    for t in kb.tools.values():
        if t.service and t.service not in kb.services:
            yield _p(t.origin, f"tool '{t.id}' names unknown service '{t.service}'{did_you_mean(t.service, kb.services)}")


def coverage_problems(kb: KnowledgeBase, frameworks: Iterable[str] = ("fsbp", "cis", "wa", "ccm")) -> list[Problem]:
    """Catalog ids that no control cites and that carry no `unmapped` reason."""
    out = []
    for fw in frameworks:
        framework = kb.frameworks.get(fw)
        if framework is None:
            continue
        for r in framework.requirements:
            if not kb.citing(fw, r.id) and not r.unmapped:
                out.append(_p(framework.origin, f"{fw} '{r.id}' is cited by no control and has no 'unmapped' reason"))
    return out
