"""The fields of every record kind: one declaration drives validation and the
JSON Schemas shipped in data/schema/ (so the two can never disagree)."""

from __future__ import annotations

from dataclasses import dataclass

from tui.kb import model as m


@dataclass(frozen=True)
class F:
    """One field: its type, whether it is required, and its allowed values."""

    type: str  # str | text | id | url | date | bool | enum | list | map | layers | frameworks | record
    required: bool = False
    enum: tuple[str, ...] = ()
    item: str = "str"  # for list: str | id | url | enum | iac_match | requirement; for record: its SUBRECORDS key
    doc: str = ""


ID = F("id", True, doc="lower-case id, stable forever once published")
SOURCES = F("list", True, item="url", doc="AWS documentation URLs this record was checked against")
CHECKED = F("date", True, doc="date last checked against its sources (YYYY-MM-DD)")

LAYER = {
    "id": F("enum", True, m.LAYER_IDS),
    "name": F("str", True),
    "usual_owner": F("enum", True, (*m.OWNERS, "depends")),
    "summary": F("text", True),
    "description": F("text", True),
    "examples": F("list"),
    "sources": SOURCES,
    "checked": CHECKED,
}

LAYER_ENTRY = {
    "owner": F("enum", True, m.OWNERS),
    "note": F("text", doc="why the owner is not the usual one for the category"),
    "aws": F("text", doc="what AWS does (required when shared)"),
    "customer": F("text", doc="what the customer does (required when shared)"),
    "sources": F("list", item="url", doc="the AWS pages that say this layer's owner (required when it is not the category's usual one)"),
}

IAC_MATCH = {
    "type": F("str", True, doc="CloudFormation type or Terraform resource type"),
    "property": F("str", True),
    "equals": F("str", True),
    "prefix": F("bool", doc="equals is a prefix of the value (oracle- matches oracle-ee, oracle-se2...)"),
    "default": F("bool", doc="the rule also matches when the property is absent (the type's default value)"),
}

IMPLIED_BY = {
    "resources": F("list", True, doc="resource types the rule reads (AWS::Serverless::Function, AWS::Lambda::EventSourceMapping ...)"),
    "event": F("str", doc="an event type (Events.*.Type) that makes SAM create or use this service"),
    "property": F("str", doc="a dotted path under Properties (under the event's Properties when 'event' is given)"),
    "absent": F("bool", doc="the rule matches when the property is absent (no Role -> SAM creates an IAM role)"),
    "equals": F("str", doc="the rule matches only this value of the property (case-insensitive)"),
    "arn": F("str", doc="the rule matches when the property is an ARN of this namespace (arn:aws:sqs:... for sqs)"),
}

LEGACY = {
    "since": F("date", True, doc="the date the feature closed to new builds (or its support ended)"),
    "why": F("text", True, doc="what is legacy and what replaced it"),
}

PRIORITY = {
    "level": F("enum", True, m.SEVERITIES, doc="the design-review priority"),
    "why": F("text", True, doc="why it differs from the severity (which follows Security Hub)"),
}

SERVICE = {
    "id": ID,
    "name": F("str", True),
    "short": F("str", True),
    "group": F("enum", True, m.SERVICE_GROUPS),
    "category": F("enum", True, m.CATEGORIES),
    "variant_of": F("id"),
    "aliases": F("list", item="id"),
    "summary": F("text", True),
    "docs": F("url", True, doc="the service's 'Security in ...' chapter"),
    "cloudformation": F("list", doc="CloudFormation type prefixes, e.g. AWS::S3::"),
    "terraform": F("list", doc="Terraform resource-type prefixes, e.g. aws_s3_"),
    "iac_match": F("list", item="iac_match"),
    "terraform_modules": F("list", doc="registry modules that create this service (terraform-aws-modules/eks/aws)"),
    "implied_by": F("list", item="implied_by", doc="SAM events and properties, and ARNs in other resources, that create or use this service"),
    "implies": F("list", item="id", doc="services a design with this one also uses (EKS on EC2 nodes -> ec2, ebs, vpc)"),
    "inherits_parent": F("bool", doc="a variant (engine family, load-balancer type) to which the parent's controls apply"),
    "default_variant": F("id", doc="the variant meant when a project names this service alone (elb -> elb.alb)"),
    "own_controls_note": F("text", doc="why the service has fewer than two controls of its own (only where that is "
                                       "so); the page that shows it is in sources"),
    "layers": F("layers", True),
    "sources": SOURCES,
    "checked": CHECKED,
}

CONTROL = {
    "id": ID,
    "title": F("str", True),
    "owner": F("enum", True, m.OWNERS),
    "layer": F("enum", True, m.LAYER_IDS),
    "services": F("list", True, item="id", doc="service ids, or [all] for account-wide"),
    "domain": F("enum", True, m.DOMAINS),
    "phase": F("enum", True, m.PHASES),
    "severity": F("enum", True, m.SEVERITIES),
    "scope": F("enum", enum=m.SCOPES, doc="baseline (the account or landing zone) or workload (the project's own design)"),
    "applies": F("enum", enum=m.APPLIES, doc="any (default): one of the services is used; all: every one of them is"),
    "priority": F("record", item="priority", doc="design-review priority where the severity would mislead"),
    "parent": F("id", doc="the control whose item this one is a sub-check of"),
    "legacy": F("record", item="legacy", doc="only for a feature closed to new builds"),
    "verify": F("text", doc="a read-only AWS CLI command that shows whether it is done"),
    "customer_part": F("enum", enum=m.CUSTOMER_PARTS),
    "default": F("bool", doc="on without the customer doing anything?"),
    "customer": F("text", True, doc="what the customer does"),
    "aws": F("text", doc="what AWS does (required for aws and shared)"),
    "tools": F("list", item="id"),
    "config_rules": F("list", item="id"),
    "frameworks": F("frameworks"),
    "prowler": F("list"),
    "evidence": F("list", item="enum", enum=m.EVIDENCE),
    "sources": SOURCES,
    "checked": CHECKED,
}

TOOL = {
    "id": ID,
    "name": F("str", True),
    "aliases": F("list", item="id"),
    "service": F("id"),
    "summary": F("text", True),
    "what": F("text", True),
    "enablement": F("enum", True, m.ENABLEMENTS),
    "pricing": F("enum", True, m.PRICING),
    "layers": F("list", True, item="enum", enum=m.LAYER_IDS),
    "sources": SOURCES,
    "checked": CHECKED,
}

REQUIREMENT = {
    "id": F("str", True),
    "title": F("str", True),
    "section": F("str"),
    "unmapped": F("text", doc="why no ownit control maps this id"),
    "ssrm": F("map", enum=("iaas", "paas", "saas"), doc="CSA CCM's own owner per model"),
    "nist": F("list"),
}

FRAMEWORK = {
    "id": F("enum", True, (*m.FRAMEWORK_KEYS, "prowler")),
    "name": F("str", True),
    "version": F("str", True),
    "url": F("str", True),
    "requirements": F("list", True, item="requirement"),
    "sources": SOURCES,
    "checked": CHECKED,
}

META = {
    "name": F("str", True),
    "version": F("str", True),
    "model_sources": F("list", item="url"),
    "baseline_services": F("list", item="id", doc="services every account baseline uses (their baseline controls apply to every project)"),
}

KINDS = {
    "layers": LAYER,
    "services": SERVICE,
    "controls": CONTROL,
    "tools": TOOL,
    "frameworks": FRAMEWORK,
}
SUBRECORDS = {"iac_match": IAC_MATCH, "implied_by": IMPLIED_BY, "requirement": REQUIREMENT, "legacy": LEGACY, "priority": PRIORITY}
