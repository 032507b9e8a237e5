"""The checklist: scope, order, inherited controls, kept items, progress."""

from __future__ import annotations

from tui.checklist.builder import build_checklist
from tui.checklist.filters import Filters
from tui.checklist.states import ItemState, Project
from tui.kb.model import PHASE_RANK, SEVERITY_RANK


def _cl(kb, services=("ec2", "rds", "s3"), items=None):  # type: ignore[no-untyped-def]
    return build_checklist(Project("demo", tuple(services), items or {}), kb)


def test_scope_is_customer_and_shared_for_the_services_plus_account_wide(fixture_kb) -> None:  # type: ignore[no-untyped-def]
    cl = _cl(fixture_kb)
    ids = {i.id for i in cl.items}
    expected = {c.id for c in fixture_kb.controls.values()
                if c.owner != "aws" and (c.account_wide or set(c.services) & {"ec2", "rds", "s3"})}
    assert ids == expected
    assert "compute.lambda-supported-runtime" not in ids and "compute.fargate-platform-version" not in ids
    assert {i.owner for i in cl.items} == {"customer", "shared"}
    assert [c.id for c in cl.inherited] == ["aws.physical-security"]


def test_a_variant_does_not_inherit_its_parents_controls(fixture_kb) -> None:  # type: ignore[no-untyped-def]
    ids = {i.id for i in _cl(fixture_kb, ["ecs.fargate"]).items}
    assert "compute.fargate-platform-version" in ids and "compute.ec2-patch-guest-os" not in ids


def test_groups_top_of_stack_first_then_phase_then_severity(fixture_kb) -> None:  # type: ignore[no-untyped-def]
    cl = _cl(fixture_kb)
    groups = cl.groups("layer")
    assert [g for g, _ in groups] == ["customer-data", "server-side-encryption", "iam", "network-config", "guest-os"]
    for _, members in groups:
        keys = [(PHASE_RANK[i.phase], SEVERITY_RANK[i.severity]) for i in members]
        assert keys == sorted(keys)
    assert [i.id for i in dict(groups)["iam"]][0] == "iam.root-mfa"  # critical before high
    assert cl.items == cl.ordered()
    assert {g for g, _ in cl.groups("domain")} == {i.domain for i in cl.items}


def test_kept_items_and_progress(fixture_kb) -> None:  # type: ignore[no-untyped-def]
    items = {
        "iam.root-mfa": ItemState("done"),
        "iam.user-mfa": ItemState("accepted-risk", note="break-glass only"),
        "data.rds-encryption": ItemState("not-applicable", note="no RDS yet"),
        "compute.lambda-supported-runtime": ItemState("in-progress"),
        "gone.control": ItemState("done", note="old"),
    }
    cl = _cl(fixture_kb, items=items)
    assert {(i.id, i.flag) for i in cl.extra} == {("compute.lambda-supported-runtime", "out-of-scope"),
                                                   ("gone.control", "unknown-control")}
    p = cl.progress()
    assert (p.total, p.counts["done"], p.counts["accepted-risk"], p.resolved) == (len(cl.items), 1, 1, 3)
    assert p.percent == round(300 / len(cl.items), 1)
    assert cl.item("gone.control") is not None and cl.item("gone.control").title == "Unknown control gone.control"
    assert [i.id for i in Filters(open_only=True).apply(cl)] == [i.id for i in cl.items if i.status == "open"]
    assert {i.owner for i in Filters(owner=frozenset({"shared"})).apply(cl)} == {"shared"}
    assert {i.phase for i in Filters(phase=frozenset({"plan"}), layer=frozenset({"customer-data"})).apply(cl)} == {"plan"}


def test_matrix_rows_top_first(fixture_kb) -> None:  # type: ignore[no-untyped-def]
    rows = _cl(fixture_kb).matrix()
    assert rows[0][0] == "customer-data" and rows[-1][0] == "physical"
    assert dict(rows)["guest-os"] == {"ec2": "customer", "rds": "aws", "s3": "aws"}
