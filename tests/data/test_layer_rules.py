"""One rule per layer (data/README.md, "How each layer's owner is decided"): the part of
each rule a machine can check, and per-layer sources for owners that are not the usual one."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from tui.kb import load_kb
from tui.kb.knowledge import KnowledgeBase
from tui.kb.model import LAYER_IDS
from tui.kb.validate import is_aws_url

NTP = "network-traffic-protection"
SSE = "server-side-encryption"

# The owner each category usually has on the lower nine layers (as in test_knowledge_base).
USUAL = {
    "infrastructure": [("aws",)] * 6 + [("customer",)] * 3,
    "container": [("aws",)] * 6 + [("aws", "shared"), ("shared",), ("customer",)],
    "abstracted": [("aws",)] * 8 + [("customer",)],
}
CUSTOMER_LAYERS = ("network-config", "iam", "client-side-encryption", "customer-data")

NOTHING_TO_CHOOSE = re.compile(r"nothing for the customer to choose", re.I)
AWS_DOES_NOTHING = re.compile(r"AWS does nothing on the path", re.I)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb(include_user=False, use_cache=False)


def unusual_layers(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(service, layer) pairs whose owner is not the category's usual one."""
    out = []
    for s in kb.services.values():
        for layer, usual in zip(LAYER_IDS[:9], USUAL[s.category], strict=True):
            if s.layers[layer].owner not in usual:
                out.append((s.id, layer))
        out += [(s.id, layer) for layer in CUSTOMER_LAYERS if s.layers[layer].owner != "customer"]
        if s.layers[NTP].owner != "shared":
            out.append((s.id, NTP))
    return out


def test_traffic_protection_follows_the_rule(kb: KnowledgeBase) -> None:
    """aws: only when the customer has nothing to choose on the path; customer: only when AWS
    does nothing on it; both say so in the note and cite the page. shared says both halves."""
    wrong = []
    for s in kb.services.values():
        o = s.layers[NTP]
        if o.owner == "aws" and not (NOTHING_TO_CHOOSE.search(o.note) and o.sources):
            wrong.append((s.id, "aws without 'nothing for the customer to choose' and sources"))
        if o.owner == "customer" and not (AWS_DOES_NOTHING.search(o.note) and o.sources):
            wrong.append((s.id, "customer without 'AWS does nothing on the path' and sources"))
        if o.owner == "shared" and not (o.aws and o.customer):
            wrong.append((s.id, "shared without both halves"))
    assert wrong == []


def test_tls_only_managed_services_are_shared_unless_noted(kb: KnowledgeBase) -> None:
    """Abstracted and container services (whose APIs accept only TLS) are shared, apart from
    the few whose note and sources say why not."""
    odd = sorted(s.id for s in kb.services.values() if s.category != "infrastructure" and s.layers[NTP].owner != "shared")
    assert odd == ["backup", "dlm", "elb.gwlb"]


def test_the_outliers_of_issue_14_say_what_is_specific(kb: KnowledgeBase) -> None:
    """The services issue 14 found decided three ways: each half now names the service's own
    endpoint, setting or connector, not TLS 1.2 and a VPC endpoint alone."""
    for sid in ("athena", "kinesis", "aoss", "lakeformation", "cloudshell", "ecr", "batch", "ecs", "ecs.fargate",
                "elasticbeanstalk", "datapipeline", "imagebuilder"):
        o = kb.services[sid].layers[NTP]
        assert o.owner == "shared", sid
        assert "current SDKs" not in o.customer and len(o.customer) > 80, sid


# NTP customer halves still copied across unrelated services (issue 14 item 2): the list
# may only shrink; a service rewritten with its own words leaves it.
BOILERPLATE_LEFT = {
    "access-analyzer", "account", "auditmanager", "cloudformation", "cloudwatch", "codedeploy", "codepipeline",
    "comprehend", "controltower", "detective", "fms", "inspector2", "macie2", "organizations", "rekognition",
    "resource-explorer-2", "securityhub", "securitylake", "servicecatalog", "ssm-incidents", "textract",
    "trustedadvisor", "wellarchitected",
}


def test_no_new_boilerplate_traffic_halves(kb: KnowledgeBase) -> None:
    by_text: dict[str, set[str]] = defaultdict(set)
    for s in kb.services.values():
        if s.layers[NTP].customer:
            by_text[s.layers[NTP].customer].add(s.id)
    copied = {sid for ids in by_text.values() if len({i.split(".")[0] for i in ids}) > 1 for sid in ids}
    assert copied <= BOILERPLATE_LEFT, sorted(copied - BOILERPLATE_LEFT)
    assert not BOILERPLATE_LEFT - copied, f"rewritten, drop from BOILERPLATE_LEFT: {sorted(BOILERPLATE_LEFT - copied)}"


def test_server_side_encryption_follows_the_rule(kb: KnowledgeBase) -> None:
    """aws: the service encrypts what it stores with no key choice, or stores nothing of
    yours; customer: your own resources hold the data. Either way a note says which."""
    assert not [s.id for s in kb.services.values() if s.layers[SSE].owner != "shared" and not s.layers[SSE].note]


# Layers whose unusual owner does not yet cite its specific page (issue 14 item 3). The
# list may only shrink: add the page to the layer's `sources` and drop the line.
PENDING_SOURCES: set[tuple[str, str]] = set()


def test_every_unusual_owner_cites_its_page(kb: KnowledgeBase) -> None:
    unusual = unusual_layers(kb)
    missing = [(sid, layer) for sid, layer in unusual if not kb.services[sid].layers[layer].sources]
    assert set(missing) <= PENDING_SOURCES, sorted(set(missing) - PENDING_SOURCES)
    done = PENDING_SOURCES - set(missing)
    assert not done, f"sourced now, drop from PENDING_SOURCES: {sorted(done)}"
    for s in kb.services.values():
        for layer in LAYER_IDS:
            assert all(is_aws_url(u) for u in s.layers[layer].sources), (s.id, layer)


def test_layer_sources_reach_show_and_json(kb: KnowledgeBase) -> None:
    from tui.kb.markdown import service_markdown
    from tui.kb.serialize import record_dict

    s = kb.services["ecs"]
    url = s.layers[NTP].sources[0]
    assert f"source: <{url}>" in service_markdown(kb, s)
    assert record_dict("service", s)["layers"][NTP]["sources"] == [url]
