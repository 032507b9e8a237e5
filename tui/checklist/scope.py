"""Which controls reach a project, and why: services in use, variants, implied services, scope.

A project lists the services its design uses. What the checklist draws from:
- **variants**: a project naming `elb.alb` uses an Application Load Balancer;
  a variant with `inherits_parent` (an engine family, a load-balancer type)
  also takes its parent's controls. A parent named alone with a
  `default_variant` (elb -> elb.alb) is taken to use that variant, and the
  checklist says so.
- **implied services**: EKS on EC2 nodes implies ec2, ebs and vpc, so node
  hardening appears (transitively; each implied service says by what).
- **the baseline**: the services every landing zone runs (`meta.baseline_services`:
  CloudTrail, Config, GuardDuty...). A `baseline` control is matched against
  the project's services plus those; a `workload` control against the
  project's own services only.
- **applicability**: `applies: any` needs one listed service in use, `all`
  every one; `services: [all]` is account-wide.
- **legacy** controls (features closed to new builds) apply only when the
  project says `existing_estate: true`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.checklist.states import Project
from tui.kb.knowledge import KnowledgeBase
from tui.kb.model import Control


@dataclass
class Usage:
    """The services a project's checklist is drawn from, and how each came to be in use."""

    listed: tuple[str, ...]  # as the project file lists them (known ids only)
    workload: frozenset[str]  # listed + variants' parents + default variants + implied
    with_baseline: frozenset[str]  # workload + the baseline services
    why: dict[str, str] = field(default_factory=dict)  # service id -> how it came in ("implied by eks")
    notes: list[str] = field(default_factory=list)  # what a reviewer should know (a default variant taken)

    def uses(self, c: Control) -> bool:
        """True when the control's services are in use (any or all of them; account-wide always)."""
        if c.account_wide:
            return True
        pool = self.with_baseline if c.review_scope == "baseline" else self.workload
        if c.applies == "all":
            return all(s in pool for s in c.services)
        return any(s in pool for s in c.services)

    def used_by(self, c: Control) -> list[str]:
        """The services in use that the control names, in its order ('all' for account-wide)."""
        if c.account_wide:
            return ["all"]
        pool = self.with_baseline if c.review_scope == "baseline" else self.workload
        return [s for s in c.services if s in pool]


def usage(project: Project, kb: KnowledgeBase) -> Usage:
    listed = tuple(s for s in project.services if s in kb.services)
    used: dict[str, str] = {s: "" for s in listed}
    notes: list[str] = []
    queue = list(listed)
    while queue:
        sid = queue.pop(0)
        svc = kb.services[sid]
        if svc.inherits_parent and svc.variant_of and svc.variant_of not in used:
            used[svc.variant_of] = f"the parent of {sid}"
            queue.append(svc.variant_of)
        if svc.default_variant and sid in listed and not any(
            kb.services[v].variant_of == sid for v in listed
        ):
            variant = svc.default_variant
            if variant not in used:
                used[variant] = f"taken for {sid}"
                queue.append(variant)
                names = [v.id for v in kb.services.values() if v.variant_of == sid and v.id != variant]
                notes.append(f"{sid} is taken as {variant} ({kb.services[variant].name}); "
                             f"list {', '.join(names) or 'another variant'} instead if the design uses another")
        variants = [v.id for v in kb.services.values() if v.variant_of == sid and v.inherits_parent]
        if sid in listed and variants and not svc.default_variant and not any(
            kb.services[v].variant_of == sid for v in listed
        ):
            notes.append(f"{sid}: no variant named, so only the items every variant shares are listed; name yours "
                         f"({', '.join(sorted(variants))}) for the items specific to it")
        for implied in svc.implies:
            if implied in kb.services and implied not in used:
                used[implied] = f"implied by {sid}"
                queue.append(implied)
    workload = frozenset(used)
    baseline = frozenset(s for s in kb.meta.get("baseline_services", ()) if s in kb.services)
    return Usage(listed, workload, workload | baseline, {k: v for k, v in used.items() if v}, notes)


def applies(c: Control, use: Usage, project: Project) -> bool:
    """The control belongs on the project's checklist (before owner decides item or inherited)."""
    if c.legacy is not None and not project.existing_estate:
        return False
    return use.uses(c)
