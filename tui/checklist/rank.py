"""The rank model: the order in which a design review should take a project's items.

A planning review has one meeting. It takes first what an attacker would reach
first and what would hurt most. An item's score is:

1. **priority**: the control's design-review priority (`priority.level` when
   the knowledge base overrides Security Hub's severity, with why; else the
   severity): critical 60, high 45, medium 25, low 10, informational 0;
2. plus its **strongest factor**, in this order of weight:
   - *exposure* (30): it guards an internet entry point the design has
     (CloudFront, API Gateway, a load balancer, AppSync, Cognito, Lambda
     function URLs, S3...) on a layer an attacker meets there (network paths,
     traffic protection, identity, the application), or it says in its title
     that it keeps something off the public internet;
   - *identity* (20): who and what can act (the IAM layer or domain);
   - *sensitive data* (15): it protects a data store the design has
     (databases, storage, secrets, keys);
   - *blast radius* (10): it spans the whole account or three or more of the
     project's services;
   and 3 for each further factor (a factor adds weight, it never outweighs a
   whole priority level on its own);
3. plus the **phase**: 5 for plan, 3 for build (a planning review settles
   design decisions before build settings, and those before operations).

Ties go to the higher severity, then the id. A cluster (a parent and its
sub-checks) ranks by its highest-scoring member. Items on by default
("confirm it was not turned off") come after every item that needs work.
Each item keeps its reasons, so a reviewer sees why it stands where it does.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.kb.knowledge import KnowledgeBase
from tui.kb.model import SEVERITY_RANK, Control

LEVEL_POINTS = {"critical": 60, "high": 45, "medium": 25, "low": 10, "informational": 0}
EXPOSURE, IDENTITY, DATA, BLAST, EXTRA_FACTOR = 30, 20, 15, 10, 3
PHASE_POINTS = {"plan": 5, "build": 3, "operate": 0}
PUBLIC_WORDS = ("public", "internet")

# services whose endpoints face the internet in a typical design
ENTRY_POINTS = frozenset({
    "cloudfront", "apigateway", "elb", "elb.alb", "elb.nlb", "elb.classic", "appsync", "cognito-idp",
    "lambda", "lambda.container", "s3", "globalaccelerator", "apprunner", "amplify", "lightsail", "transfer",
    "wafv2", "shield", "route53", "iot", "verifiedaccess",
})
EXPOSED_LAYERS = frozenset({"network-config", "network-traffic-protection", "iam", "application"})
DATA_GROUPS = frozenset({"Database", "Storage"})
DATA_SERVICES = frozenset({"secretsmanager", "kms", "ssm"})


@dataclass(frozen=True)
class Score:
    points: int
    reasons: tuple[str, ...]


def score(c: Control, used_by: list[str], kb: KnowledgeBase) -> Score:
    """The control's score for a project that uses `used_by` of its services ('all' = account-wide)."""
    level = c.level
    reasons = [f"{level} priority" + (" (design review)" if c.priority else "")]
    factors: list[int] = []
    exposed = [s for s in used_by if s in ENTRY_POINTS]
    if c.layer in EXPOSED_LAYERS and (exposed or any(w in c.title.lower() for w in PUBLIC_WORDS)):
        factors.append(EXPOSURE)
        reasons.append("internet exposure" + (": " + ", ".join(exposed) if exposed else ""))
    if c.layer == "iam" or c.domain == "iam":
        factors.append(IDENTITY)
        reasons.append("identity")
    stores = [s for s in used_by if s in DATA_SERVICES or (s in kb.services and kb.services[s].group in DATA_GROUPS)]
    if stores and c.domain in ("data", "resilience", "iam", "network"):
        factors.append(DATA)
        reasons.append("sensitive data: " + ", ".join(stores))
    if "all" in used_by or len(used_by) >= 3:
        factors.append(BLAST)
        reasons.append("account-wide" if "all" in used_by else f"spans {len(used_by)} services")
    points = LEVEL_POINTS.get(level, 0) + PHASE_POINTS.get(c.phase, 0)
    if factors:
        points += max(factors) + EXTRA_FACTOR * (len(factors) - 1)
    return Score(points, tuple(reasons))


def order_key(c: Control, s: Score, confirm: bool) -> tuple[int, int, int, str]:
    """Sort key: work before confirmations, then the score (high first), the severity, the id."""
    return (1 if confirm else 0, -s.points, SEVERITY_RANK.get(c.severity, 9), c.id)
