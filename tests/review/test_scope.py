"""Scope, applicability (any/all/variant), implied services, legacy and default-on items."""

from __future__ import annotations

from review_kb import ids, make

from tui.checklist.states import ItemState
from tui.kb.knowledge import KnowledgeBase


def test_every_item_says_its_scope_and_every_shipped_control_states_one(kb: KnowledgeBase) -> None:
    cl = make(kb, "ec2", "s3")
    assert {i.scope for i in cl.items} == {"baseline", "workload"}
    unstated = [c.id for c in kb.controls.values() if c.owner != "aws" and not c.scope]
    assert not unstated


def test_the_baseline_turns_on_the_detective_services_for_every_project(kb: KnowledgeBase) -> None:
    base = {i.id for i in make(kb, "s3").items if i.scope == "baseline"}
    for cid in ("detection.guardduty-enabled", "detection.config-recorder", "detection.security-hub",
                "detection.cloudtrail-multi-region", "iam.root-mfa"):
        assert cid in base, cid


def test_a_baseline_service_paired_with_a_workload_one_needs_both(kb: KnowledgeBase) -> None:
    assert "detection.guardduty-rds-protection" not in ids(make(kb, "s3"))
    assert "detection.guardduty-rds-protection" in ids(make(kb, "rds"))


def test_applies_all_needs_every_service(kb: KnowledgeBase) -> None:
    c = kb.controls["data.cloudfront-origin-access-control"]
    assert c.applies == "all" and set(c.services) >= {"cloudfront", "s3"}
    assert c.id not in ids(make(kb, "s3"))
    assert c.id not in ids(make(kb, "cloudfront"))
    assert c.id in ids(make(kb, "cloudfront", "s3"))


def test_variants_scope_load_balancer_and_engine_items(kb: KnowledgeBase) -> None:
    alb = ids(make(kb, "elb.alb"))
    clb = ids(make(kb, "elb.classic"))
    classic_only = {c.id for c in kb.controls.values() if c.services == ("elb.classic",)}
    assert classic_only and not classic_only & alb and classic_only <= clb
    assert "data.elb-tls-security-policy" in alb  # the parent's and ALB's items reach an ALB project
    assert "network.elb-exposure-review" in alb and "network.elb-exposure-review" in clb
    assert "resilience.rds-aurora-backtrack" not in ids(make(kb, "rds.postgresql"))
    assert "resilience.rds-aurora-backtrack" in ids(make(kb, "rds.aurora-mysql"))
    assert "data.rds-no-public-access" in ids(make(kb, "rds.postgresql"))


def test_a_parent_named_alone_takes_its_default_variant_and_says_so(kb: KnowledgeBase) -> None:
    cl = make(kb, "elb")
    assert "data.elb-tls-security-policy" in ids(cl)
    assert cl.use is not None and cl.use.why["elb.alb"] == "taken for elb"
    assert any("elb is taken as elb.alb" in n for n in cl.use.notes)
    assert not any(i.id.startswith("data.elb-clb") for i in cl.items)
    rds = make(kb, "rds")
    assert rds.use is not None and any(n.startswith("rds: no variant named") for n in rds.use.notes)
    assert "resilience.rds-aurora-backtrack" not in ids(rds)


def test_implied_services_bring_node_hardening(kb: KnowledgeBase) -> None:
    cl = make(kb, "eks")
    assert cl.use is not None and cl.use.why["ec2"] == "implied by eks"
    assert {"compute.ec2-imdsv2", "data.ebs-volume-encryption"} <= ids(cl)
    assert "compute.ec2-imdsv2" not in ids(make(kb, "eks.fargate"))


def test_legacy_items_only_for_an_existing_estate(kb: KnowledgeBase) -> None:
    legacy = kb.controls["network.waf-classic-retire"]
    assert legacy.legacy is not None and legacy.legacy.since.isoformat() == "2025-09-30"
    assert legacy.id not in ids(make(kb, "wafv2"))
    assert legacy.id in ids(make(kb, "wafv2", estate=True))


def test_items_on_by_default_are_confirmations_counted_apart(kb: KnowledgeBase) -> None:
    cl = make(kb, "s3", "ec2")
    confirm = [i for i in cl.items if i.confirm]
    assert confirm and all(i.control is not None and i.control.default for i in confirm)
    p = cl.progress()
    assert p.to_confirm == len(confirm) and p.counts["open"] == len(cl.items) - len(confirm)
    assert "to confirm (on by default)" in p.summary()
    heads = [k for k, _ in cl.groups("rank")]
    assert heads.index("workload") < heads.index("workload-confirm")  # work first, confirmations after


def test_a_sub_check_takes_its_parents_decision_unless_decided_itself(kb: KnowledgeBase) -> None:
    cl = make(kb, "s3")
    kid = next(i for i in cl.items if i.parent)
    cl = make(kb, "s3", items={kid.parent: ItemState("done")})
    assert cl.item(kid.id).status == "done" and cl.item(kid.id).status_from == kid.parent  # type: ignore[union-attr]
    cl = make(kb, "s3", items={kid.parent: ItemState("done"), kid.id: ItemState("in-progress")})
    assert cl.item(kid.id).status == "in-progress" and not cl.item(kid.id).status_from  # type: ignore[union-attr]


def test_an_inherited_baseline_is_not_the_teams_to_answer(kb: KnowledgeBase) -> None:
    own = make(kb, "s3")
    inherited = make(kb, "s3", baseline="acme-landing-zone")
    assert inherited.baseline_inherited and not own.baseline_inherited
    assert {i.scope for i in inherited.gated()} == {"workload"}
    assert {i.scope for i in own.gated()} == {"baseline", "workload"}


def test_exports_count_progress_as_the_app_does(kb: KnowledgeBase) -> None:
    import datetime as dt

    from tui.checklist.exports import export

    cl = make(kb, "ec2", "elb.alb", "rds.postgresql", "s3")
    heads = [i for i in cl.items if i.scope == "workload" and not i.parent]
    subs = sum(1 for i in cl.items if i.scope == "workload" and i.parent)
    line = f"workload: 0/{len(heads)} resolved (0%)"
    now = dt.datetime(2026, 12, 3, tzinfo=dt.timezone.utc)
    for fmt in ("md", "html"):
        text = export(cl, fmt, now)
        assert line in text and f"· {subs} sub-checks" in text, fmt
        assert f"0/{len(cl.items)} resolved" not in text, fmt  # not every sub-check as an item of its own
