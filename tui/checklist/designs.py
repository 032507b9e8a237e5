"""Three reference designs a planning review meets often (issue 11), for the bench, tests and README.

Each lists the services as a project file would; a variant the knowledge base
does not know yet falls back to its parent, so the designs load on any KB.
"""

from __future__ import annotations

from tui.checklist.states import Project
from tui.kb.knowledge import KnowledgeBase

DESIGNS: dict[str, tuple[str, ...]] = {
    "serverless-api": ("apigateway", "lambda", "dynamodb", "s3", "cognito-idp", "cloudfront", "kms", "secretsmanager"),
    "three-tier-web": ("ec2", "autoscaling", "elb.alb", "rds.postgresql", "s3", "route53", "cloudfront", "wafv2"),
    "container-platform": ("eks", "ecr", "rds", "elasticache", "s3", "iam"),
}


def design_project(name: str, kb: KnowledgeBase) -> Project:
    services = []
    for sid in DESIGNS[name]:
        if sid not in kb.services and "." in sid:
            sid = sid.split(".", 1)[0]
        services.append(sid)
    return Project(name=name, services=tuple(services))
