"""The rank model: documented factors, contiguous ranks, clusters, and what an architect raises first."""

from __future__ import annotations

import pytest
from review_kb import make

from tui.checklist.builder import build_checklist
from tui.checklist.designs import DESIGNS, design_project
from tui.checklist.rank import EXPOSURE, IDENTITY, LEVEL_POINTS, score
from tui.kb.knowledge import KnowledgeBase


def test_ranks_run_from_one_within_each_scope_and_sub_checks_share_their_parents(kb: KnowledgeBase) -> None:
    cl = make(kb, "ec2", "elb.alb", "rds.postgresql", "s3", "cloudfront")
    for scope in ("workload", "baseline"):
        heads = cl.top_level(cl.scope_items(scope))
        assert [i.rank for i in heads] == list(range(1, len(heads) + 1))
    for it in cl.items:
        if it.parent:
            parent = cl.item(it.parent)
            assert parent is not None and parent.rank == it.rank and parent.scope == it.scope


def test_work_comes_before_confirmations_and_scores_never_rise_down_the_list(kb: KnowledgeBase) -> None:
    cl = make(kb, "apigateway", "lambda", "dynamodb", "s3")
    heads = cl.top_level(cl.scope_items("workload"))
    groups = [h.confirm_group for h in heads]
    assert groups == sorted(groups)  # False (work) first, then True (confirm)


def test_the_factors_add_as_documented(kb: KnowledgeBase) -> None:
    api = kb.controls["iam.apigateway-authorization"]
    s = score(api, ["apigateway"], kb)
    assert api.level == "critical"
    assert s.points == LEVEL_POINTS["critical"] + EXPOSURE + 3 + 3  # exposure, +3 for identity, +3 for build
    assert "identity" in s.reasons and any(r.startswith("internet exposure") for r in s.reasons)
    quiet = score(api, [], kb)
    assert quiet.points == LEVEL_POINTS["critical"] + IDENTITY + 3


def test_priority_overrides_severity_where_it_misleads_and_says_why(kb: KnowledgeBase) -> None:
    root = kb.controls["application.cloudfront-default-root-object"]
    assert root.severity == "critical" and root.priority is not None and root.priority.level == "low" and root.priority.why
    auth = kb.controls["iam.apigateway-authorization"]
    assert auth.severity == "medium" and auth.level in ("critical", "high")
    cl = make(kb, "cloudfront", "apigateway", "s3")
    assert cl.item(auth.id).rank == 1  # type: ignore[union-attr]
    assert score(root, ["cloudfront"], kb).points < score(kb.controls["data.cloudfront-viewer-https"], ["cloudfront"], kb).points


FIRST = {
    "three-tier-web": {"compute.ec2-imdsv2", "data.rds-no-public-access", "data.elb-tls-security-policy"},
    "serverless-api": {"iam.apigateway-authorization", "iam.lambda-execution-role-least-privilege"},
    "container-platform": {"network.eks-private-endpoint", "data.rds-no-public-access"},
}


@pytest.mark.parametrize("name", list(DESIGNS))
def test_the_reference_designs_fit_one_meeting(kb: KnowledgeBase, name: str) -> None:
    cl = build_checklist(design_project(name, kb), kb)
    work = cl.top_level(cl.scope_items("workload"))
    base = cl.top_level(cl.scope_items("baseline"))
    assert len(work) <= 60 and len(base) <= 50, (len(work), len(base))
    top = {i.id for i in work[:25]} | {k.id for i in work[:25] for k in cl.children(i.id)}
    assert FIRST[name] <= top, FIRST[name] - top
