"""The shipped knowledge base: coverage, references and the facts a reviewer relies on."""

from __future__ import annotations

from collections import Counter

import pytest

from tui.kb import load_kb
from tui.kb.crossref import coverage_problems
from tui.kb.knowledge import KnowledgeBase
from tui.kb.model import LAYER_IDS
from tui.kb.search import SearchIndex
from tui.kb.validate import is_aws_url


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb(include_user=False, use_cache=False)


def test_minimum_coverage(kb: KnowledgeBase) -> None:
    assert len(kb.services) >= 100
    assert len(kb.controls) >= 400
    assert len(kb.tools) >= 30
    for fw in ("fsbp", "cis", "wa", "ccm"):
        mapped, excused, total = kb.coverage(fw)
        assert total and mapped + excused == total, fw
    assert len(kb.frameworks["fsbp"].requirements) == 286
    assert len(kb.frameworks["cis"].requirements) == 70
    assert len(kb.frameworks["wa"].requirements) == 57
    assert len(kb.frameworks["ccm"].requirements) == 65


def test_every_catalog_id_is_mapped_or_excused(kb: KnowledgeBase) -> None:
    assert coverage_problems(kb) == []


def test_every_service_gives_all_fifteen_layers(kb: KnowledgeBase) -> None:
    for s in kb.services.values():
        assert list(s.layers) == list(LAYER_IDS) or set(s.layers) == set(LAYER_IDS), s.id
        for layer, o in s.layers.items():
            if o.owner == "shared":
                assert o.aws and o.customer, (s.id, layer)
        assert s.layers["customer-data"].owner == "customer", s.id
        assert s.layers["iam"].owner == "customer", s.id


def test_every_record_is_sourced_on_aws_docs(kb: KnowledgeBase) -> None:
    for group in (kb.services, kb.controls, kb.tools, kb.layers):
        for r in group.values():
            assert r.sources and all(is_aws_url(u) for u in r.sources), r.id


def test_iac_prefixes_are_unique_to_one_service(kb: KnowledgeBase) -> None:
    for attr in ("cloudformation", "terraform"):
        owners = Counter(p for s in kb.services.values() for p in getattr(s, attr))
        assert [p for p, n in owners.items() if n > 1] == [], attr


def test_no_two_controls_share_a_title(kb: KnowledgeBase) -> None:
    titles = Counter(c.title.strip().lower() for c in kb.controls.values())
    assert [t for t, n in titles.items() if n > 1] == []


def test_shared_and_aws_controls_say_what_aws_does(kb: KnowledgeBase) -> None:
    for c in kb.controls.values():
        if c.owner in ("aws", "shared"):
            assert c.aws.strip(), c.id
        if c.owner == "aws":
            assert c.evidence, f"{c.id}: an AWS-owned control points at its Artifact evidence"


# Service names as the Security Hub FSBP list and Prowler's checks spell them: each must resolve.
REFERENCE_SERVICE_NAMES = """
accessanalyzer account acm acmpca amplify apigateway apigatewayv2 appstream appsync athena autoscaling
awslambda backup batch bedrock cloudformation cloudfront cloudtrail cloudwatch codeartifact codebuild
codecommit codepipeline cognito config datapipeline datasync directconnect directoryservice dlm dms
documentdb drs dynamodb ec2 ecr ecs efs eks elasticache elasticbeanstalk elb elbv2 emr eventbridge
firehose fms fsx glacier glue guardduty iam inspector2 kafka kinesis kms lightsail macie memorydb mq
neptune networkfirewall opensearch organizations rds redshift resourceexplorer2 rolesanywhere route53
s3 sagemaker secretsmanager securityhub servicecatalog ses shield sns sqs ssm ssmincidents stepfunctions
storagegateway transfer trustedadvisor vpc waf wafv2 wellarchitected workspaces es msk
""".split()


@pytest.mark.parametrize("name", REFERENCE_SERVICE_NAMES)
def test_reference_service_names_resolve(kb: KnowledgeBase, name: str) -> None:
    assert kb.service_id(name) is not None, f"no service or alias '{name}'"


def test_everyday_services_and_deployment_options(kb: KnowledgeBase) -> None:
    for sid in ("ec2", "ebs", "vpc", "s3", "rds", "dynamodb", "lambda", "ecs", "ecs.fargate", "eks", "eks.fargate",
                "elb", "cloudfront", "apigateway", "kms", "iam", "acm", "rds.custom", "lightsail", "lambda.container"):
        assert sid in kb.services, sid
    assert kb.service("fargate").id == "ecs.fargate"
    assert kb.service("opensearch").id == "es"


def test_the_responsibility_line_climbs(kb: KnowledgeBase) -> None:
    line = {s: kb.services[s].responsibility_line() for s in ("ec2", "rds", "s3", "lambda")}
    assert LAYER_IDS[line["ec2"]] == "guest-os"
    assert line["ec2"] < line["rds"] < line["s3"]
    assert line["rds"] < line["lambda"]


def test_model_nuances(kb: KnowledgeBase) -> None:
    assert kb.services["ec2"].owner("guest-os") == "customer"
    assert kb.services["rds"].owner("guest-os") == "aws" and kb.services["rds"].owner("platform") == "shared"
    assert kb.services["rds.custom"].owner("guest-os") != "aws"
    assert kb.services["lambda.container"].owner("platform") != "aws"
    assert kb.services["s3"].owner("server-side-encryption") == "shared"
    assert kb.services["acm"].owner("network-traffic-protection") == "shared"
    for sid in kb.services:
        for layer in ("physical", "virtualization"):
            if sid not in ("outposts", "snowball", "greengrass", "storagegateway", "directconnect", "vpn"):
                assert kb.services[sid].owner(layer) == "aws", (sid, layer)


# The study note ownit grew from: every concept findable by a search.
SEED_CONCEPTS = [
    "SSE-S3", "SSE-KMS", "SSE-C", "client-side", "EBS", "RDS", "DynamoDB", "KMS", "rotation",
    "IAM user", "group", "role", "trust", "federat", "HTTPS", "TLS", "ACM", "certificate", "Inspector",
    "Security Hub", "Shield Standard", "Shield Advanced", "GuardDuty", "Artifact", "security group",
    "patch", "root", "MFA", "encryption in transit", "at rest", "data centre", "hypervisor",
]


@pytest.mark.parametrize("concept", SEED_CONCEPTS)
def test_seed_concepts_are_findable(kb: KnowledgeBase, concept: str) -> None:
    index = SearchIndex(kb)
    found = index.search(f"kind:control,tool,service,layer {concept}")
    assert found, concept


def test_seed_layers_and_tools_exist(kb: KnowledgeBase) -> None:
    for tool in ("inspector", "security-hub", "shield-standard", "shield-advanced", "guardduty", "kms", "acm", "iam", "artifact"):
        assert tool in kb.tools, tool
    assert {"physical", "hardware", "global-infrastructure", "network-infrastructure", "virtualization"} <= set(kb.layers)


# The owner each category usually has on the lower nine layers (data/README.md); a layer
# that departs from it must say why in a note.
USUAL = {
    "infrastructure": [("aws",)] * 6 + [("customer",)] * 3,
    "container": [("aws",)] * 6 + [("aws", "shared"), ("shared",), ("customer",)],
    "abstracted": [("aws",)] * 8 + [("customer",)],
}


def test_every_unusual_owner_says_why(kb: KnowledgeBase) -> None:
    missing = []
    for s in kb.services.values():
        for layer, usual in zip(LAYER_IDS[:9], USUAL[s.category], strict=True):
            o = s.layers[layer]
            if o.owner not in usual and not o.note:
                missing.append((s.id, layer, o.owner))
        for layer in ("network-config", "iam", "customer-data"):
            if s.layers[layer].owner != "customer" and not s.layers[layer].note:
                missing.append((s.id, layer, s.layers[layer].owner))
    assert missing == []


# controls whose state no read-only AWS CLI command can show, and why
NO_CLI_CHECK = {
    "application.threat-model": "a document the team writes",
    "governance.responsibility-review": "a document the team writes",
    "iam.identity-center-mfa": "IAM Identity Center has no public API that reads its MFA settings",
    "compute.eks-pod-security-standards": "namespace labels live in Kubernetes, not in an AWS API",
    "data.ecr-no-secrets-in-images": "no AWS API reads the contents of image layers",
}


def test_every_item_says_its_scope_and_how_to_verify_it(kb: KnowledgeBase) -> None:
    items = [c for c in kb.controls.values() if c.owner != "aws"]
    assert not [c.id for c in items if c.scope not in ("baseline", "workload")]
    urgent = [c for c in items if c.level in ("critical", "high")]
    missing = [c.id for c in urgent if not c.verify and c.id not in NO_CLI_CHECK]
    assert not missing
    assert all(kb.controls[cid].level in ("critical", "high") and not kb.controls[cid].verify for cid in NO_CLI_CHECK)


def test_design_review_fields_hold_together(kb: KnowledgeBase) -> None:
    for c in kb.controls.values():
        if c.priority:
            assert c.priority.level != c.severity and len(c.priority.why) > 30, c.id
        if c.parent:
            parent = kb.controls[c.parent]
            assert parent.parent is None and parent.review_scope == c.review_scope, c.id
        if c.legacy:
            assert c.legacy.since.year >= 2015 and c.legacy.why, c.id
    assert kb.controls["network.waf-classic-retire"].legacy is not None
    baseline = set(kb.meta["baseline_services"])
    assert {"cloudtrail", "config", "guardduty", "securityhub", "sso", "organizations"} <= baseline
    # a workload control matched only through a baseline service would never reach a project
    assert not [c.id for c in kb.controls.values() if c.owner != "aws" and c.review_scope == "workload"
                and not c.account_wide and set(c.services) <= baseline]
    variants = {s.id for s in kb.services.values() if s.inherits_parent}
    assert {"elb.alb", "elb.nlb", "elb.gwlb", "elb.classic", "rds.aurora-mysql", "rds.postgresql"} <= variants
    assert kb.services["elb"].default_variant == "elb.alb"
    assert {"ec2", "ebs", "vpc"} <= set(kb.services["eks"].implies)


def test_no_sub_check_outranks_its_parent(kb: KnowledgeBase) -> None:
    """A filter by priority must never keep a sub-check while dropping its broader parent."""
    from tui.kb.model import SEVERITY_RANK

    assert not [c.id for c in kb.controls.values()
                if c.parent and SEVERITY_RANK[c.level] < SEVERITY_RANK[kb.controls[c.parent].level]]


def test_every_prowler_check_is_cited_or_excused(kb: KnowledgeBase) -> None:
    """Issue 14 item 7: each Prowler AWS check sits on the control it verifies, or its
    catalog entry in data/frameworks/prowler.yaml says in `unmapped:` why none does."""
    fw = kb.frameworks["prowler"]
    assert len(fw.requirements) == 645
    loose = [r.id for r in fw.requirements if not kb.citing("prowler", r.id) and not r.unmapped]
    assert loose == []
    mapped, excused, total = kb.coverage("prowler")
    assert mapped + excused == total
    assert mapped >= 600, f"only {mapped} of {total} Prowler checks are cited by a control"


def test_every_service_earns_its_place(kb: KnowledgeBase) -> None:
    """Two controls of its own, or a stated reason why the account-wide ones cover it (at most five such)."""
    own = {s: sum(1 for c in kb.controls_for_service(s) if c.owner != "aws") for s in kb.services}
    few = sorted(s for s, n in own.items() if n < 2)
    assert len(few) <= 5, few
    assert not [s for s in few if not kb.services[s].own_controls_note], "a service with few controls says why"
    assert not [s for s, n in own.items() if n >= 2 and kb.services[s].own_controls_note], "the reason is only where true"
