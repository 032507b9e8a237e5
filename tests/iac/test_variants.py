"""Load-balancer types and RDS engine families found by property, on the shipped knowledge base.

An ELBv2 load balancer is an ALB unless its Type (load_balancer_type) says
network or gateway; a Classic Load Balancer is known by its resource type; an
RDS instance or cluster is the family its Engine names. A value the template
computes (a Ref, a Terraform variable) names no family, so the resource stays
with the parent service.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.iac.cloudformation import import_cloudformation
from tui.iac.terraform import import_terraform
from tui.kb import load_kb
from tui.kb.knowledge import KnowledgeBase


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb(include_user=False, use_cache=False)


def cfn(kb: KnowledgeBase, tmp_path: Path, resources: dict[str, object]) -> list[str]:
    t = tmp_path / "template.json"
    t.write_text(json.dumps({"Parameters": {"Engine": {"Type": "String"}, "LbType": {"Type": "String"}},
                             "Resources": resources}))
    return import_cloudformation(kb, [t]).service_ids()


def tf(kb: KnowledgeBase, tmp_path: Path, body: str) -> list[str]:
    folder = tmp_path / "tf"
    folder.mkdir(exist_ok=True)
    (folder / "main.tf").write_text(body)
    return import_terraform(kb, [folder]).service_ids()


def lb(props: dict[str, object] | None = None) -> dict[str, object]:
    r: dict[str, object] = {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"}
    if props is not None:
        r["Properties"] = props
    return r


# -- load balancers: CloudFormation --------------------------------------------------
@pytest.mark.parametrize(("props", "expected"), [
    (None, "elb.alb"),  # no Properties at all: the default type
    ({"Scheme": "internal"}, "elb.alb"),  # Type left out: application
    ({"Type": "application"}, "elb.alb"),
    ({"Type": "network"}, "elb.nlb"),
    ({"Type": "gateway"}, "elb.gwlb"),
    ({"Type": {"Ref": "LbType"}}, "elb"),  # a parameter: the parent only
])
def test_cfn_elbv2_type(kb: KnowledgeBase, tmp_path: Path, props: dict[str, object] | None, expected: str) -> None:
    assert cfn(kb, tmp_path, {"Lb": lb(props)}) == [expected]


def test_cfn_classic_load_balancer(kb: KnowledgeBase, tmp_path: Path) -> None:
    res = {"Clb": {"Type": "AWS::ElasticLoadBalancing::LoadBalancer",
                   "Properties": {"Listeners": [{"LoadBalancerPort": "443", "InstancePort": "80", "Protocol": "HTTPS"}]}}}
    assert cfn(kb, tmp_path, res) == ["elb.classic"]


def test_cfn_listeners_and_target_groups_go_with_their_load_balancers(kb: KnowledgeBase, tmp_path: Path) -> None:
    res = {
        "Alb": lb({"Type": "application"}),
        "Nlb": lb({"Type": "network"}),
        "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Port": 443}},
        "Targets": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": 80}},
    }
    assert cfn(kb, tmp_path, res) == ["elb.alb", "elb.nlb"]  # no bare "elb" left over
    # a listener alone (its load balancer lives in another stack) is just ELB
    only = {"Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Port": 443}}}
    assert cfn(kb, tmp_path, only) == ["elb"]


# -- load balancers: Terraform ---------------------------------------------------------
@pytest.mark.parametrize(("rtype", "setting", "expected"), [
    ("aws_lb", "", "elb.alb"),  # load_balancer_type defaults to application
    ("aws_lb", 'load_balancer_type = "application"', "elb.alb"),
    ("aws_lb", 'load_balancer_type = "network"', "elb.nlb"),
    ("aws_lb", 'load_balancer_type = "gateway"', "elb.gwlb"),
    ("aws_alb", "", "elb.alb"),  # aws_alb is the older name of aws_lb
    ("aws_alb", 'load_balancer_type = "network"', "elb.nlb"),
    ("aws_lb", "load_balancer_type = var.lb_type", "elb"),  # a variable: the parent only
])
def test_tf_lb_type(kb: KnowledgeBase, tmp_path: Path, rtype: str, setting: str, expected: str) -> None:
    body = f'resource "{rtype}" "this" {{\n  name = "web"\n  {setting}\n}}\n'
    assert tf(kb, tmp_path, body) == [expected]


def test_tf_classic_elb_and_its_policies(kb: KnowledgeBase, tmp_path: Path) -> None:
    body = (
        'resource "aws_elb" "web" {\n  name = "web"\n  availability_zones = ["eu-west-1a"]\n}\n'
        'resource "aws_lb_ssl_negotiation_policy" "p" {\n  name = "p"\n  load_balancer = aws_elb.web.id\n  lb_port = 443\n}\n'
        'resource "aws_load_balancer_policy" "q" {\n  load_balancer_name = aws_elb.web.name\n  policy_name = "q"\n  policy_type_name = "x"\n}\n'
    )
    assert tf(kb, tmp_path, body) == ["elb.classic"]


def test_tf_plan_json_carries_the_resolved_type(kb: KnowledgeBase, tmp_path: Path) -> None:
    plan = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [
        {"address": "aws_lb.n", "type": "aws_lb", "values": {"load_balancer_type": "network"}},
        {"address": "aws_lb.a", "type": "aws_lb", "values": {"load_balancer_type": "application"}},
        {"address": "aws_lb_listener.l", "type": "aws_lb_listener", "values": {"port": 443}},
        {"address": "aws_db_instance.o", "type": "aws_db_instance", "values": {"engine": "oracle-se2-cdb"}},
    ]}}}
    p = tmp_path / "plan.json"
    p.write_text(json.dumps(plan))
    r = import_terraform(kb, [p])
    assert r.service_ids() == ["elb.alb", "elb.nlb", "rds.oracle"]


# -- RDS engine families: CloudFormation ------------------------------------------------
@pytest.mark.parametrize(("rtype", "engine", "expected"), [
    ("AWS::RDS::DBCluster", "aurora-mysql", "rds.aurora-mysql"),
    ("AWS::RDS::DBCluster", "aurora", "rds.aurora-mysql"),  # plain aurora: Aurora MySQL 5.6-compatible
    ("AWS::RDS::DBInstance", "aurora-mysql", "rds.aurora-mysql"),
    ("AWS::RDS::DBCluster", "aurora-postgresql", "rds.aurora-postgresql"),
    ("AWS::RDS::DBInstance", "aurora-postgresql", "rds.aurora-postgresql"),
    ("AWS::RDS::DBInstance", "postgres", "rds.postgresql"),
    ("AWS::RDS::DBCluster", "postgres", "rds.postgresql"),  # Multi-AZ DB cluster
    ("AWS::RDS::DBInstance", "mysql", "rds.mysql"),
    ("AWS::RDS::DBCluster", "mysql", "rds.mysql"),
    ("AWS::RDS::DBInstance", "mariadb", "rds.mariadb"),
    ("AWS::RDS::DBInstance", "oracle-ee", "rds.oracle"),
    ("AWS::RDS::DBInstance", "oracle-se2-cdb", "rds.oracle"),
    ("AWS::RDS::DBInstance", "sqlserver-ex", "rds.sqlserver"),
    ("AWS::RDS::DBInstance", "sqlserver-web", "rds.sqlserver"),
    ("AWS::RDS::DBInstance", "db2-se", "rds.db2"),
    ("AWS::RDS::DBInstance", "MySQL", "rds.mysql"),  # engine names are case-insensitive
    ("AWS::RDS::DBInstance", "custom-oracle-ee", "rds.custom"),  # RDS Custom, not RDS for Oracle
])
def test_cfn_engine_family(kb: KnowledgeBase, tmp_path: Path, rtype: str, engine: str, expected: str) -> None:
    assert cfn(kb, tmp_path, {"Db": {"Type": rtype, "Properties": {"Engine": engine}}}) == [expected]


@pytest.mark.parametrize("engine", [{"Ref": "Engine"}, {"Fn::If": ["Prod", "postgres", "mysql"]}, None])
def test_cfn_computed_or_missing_engine_stays_rds(kb: KnowledgeBase, tmp_path: Path, engine: object) -> None:
    props = {"DBSnapshotIdentifier": "snap"} if engine is None else {"Engine": engine}
    assert cfn(kb, tmp_path, {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": props}}) == ["rds"]


def test_cfn_short_form_ref_engine_stays_rds(kb: KnowledgeBase, tmp_path: Path) -> None:
    t = tmp_path / "t.yaml"
    t.write_text("Parameters:\n  Engine: {Type: String}\nResources:\n"
                 "  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: !Ref Engine\n")
    assert import_cloudformation(kb, [t]).service_ids() == ["rds"]


def test_cfn_two_engine_families_and_shared_rds_resources(kb: KnowledgeBase, tmp_path: Path) -> None:
    res = {
        "Subnets": {"Type": "AWS::RDS::DBSubnetGroup", "Properties": {"SubnetIds": ["a", "b"]}},
        "Orders": {"Type": "AWS::RDS::DBCluster", "Properties": {"Engine": "aurora-postgresql"}},
        "Ledger": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "sqlserver-se"}},
    }
    assert cfn(kb, tmp_path, res) == ["rds.aurora-postgresql", "rds.sqlserver"]


# -- RDS engine families: Terraform ---------------------------------------------------------
@pytest.mark.parametrize(("rtype", "engine", "expected"), [
    ("aws_db_instance", '"postgres"', "rds.postgresql"),
    ("aws_db_instance", '"mysql"', "rds.mysql"),
    ("aws_db_instance", '"mariadb"', "rds.mariadb"),
    ("aws_db_instance", '"oracle-ee"', "rds.oracle"),
    ("aws_db_instance", '"sqlserver-se"', "rds.sqlserver"),
    ("aws_db_instance", '"db2-ae"', "rds.db2"),
    ("aws_rds_cluster", '"aurora-mysql"', "rds.aurora-mysql"),
    ("aws_rds_cluster", '"aurora"', "rds.aurora-mysql"),
    ("aws_rds_cluster", '"aurora-postgresql"', "rds.aurora-postgresql"),
    ("aws_rds_cluster", '"postgres"', "rds.postgresql"),
    ("aws_rds_cluster_instance", '"aurora-postgresql"', "rds.aurora-postgresql"),
    ("aws_db_instance", "var.engine", "rds"),  # a variable: the parent only
    ("aws_rds_cluster", "local.engine", "rds"),
])
def test_tf_engine_family(kb: KnowledgeBase, tmp_path: Path, rtype: str, engine: str, expected: str) -> None:
    body = f'resource "{rtype}" "db" {{\n  engine = {engine}\n}}\n'
    assert tf(kb, tmp_path, body) == [expected]


def test_tf_db_instance_without_engine_stays_rds(kb: KnowledgeBase, tmp_path: Path) -> None:
    body = 'resource "aws_db_instance" "replica" {\n  replicate_source_db = "primary"\n  instance_class = "db.t4g.micro"\n}\n'
    assert tf(kb, tmp_path, body) == ["rds"]


# -- the knowledge base side of it ------------------------------------------------------------
def test_variant_records(kb: KnowledgeBase) -> None:
    assert kb.services["elb"].default_variant == "elb.alb"
    assert kb.services["rds"].default_variant is None
    for sid in ("elb.alb", "elb.nlb", "elb.gwlb", "elb.classic"):
        assert kb.services[sid].variant_of == "elb" and kb.services[sid].inherits_parent
    families = [s for s in kb.services.values() if s.variant_of == "rds" and s.inherits_parent]
    assert {s.id for s in families} == {
        "rds.aurora-mysql", "rds.aurora-postgresql", "rds.postgresql", "rds.mysql",
        "rds.mariadb", "rds.oracle", "rds.sqlserver", "rds.db2"}
    assert not kb.services["rds.custom"].inherits_parent  # a deployment option with its own ownership
    for alias, sid in {"alb": "elb.alb", "nlb": "elb.nlb", "gwlb": "elb.gwlb", "clb": "elb.classic",
                       "postgres": "rds.postgresql", "aurora-mysql": "rds.aurora-mysql", "aurora": "rds"}.items():
        assert kb.service_id(alias) == sid


def test_registry_module_names_resolve_to_variants(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "mods"
    folder.mkdir()
    (folder / "main.tf").write_text('module "web" {\n  source = "terraform-aws-modules/alb/aws"\n}\n')
    r = import_terraform(kb, [folder])
    assert r.modules == [{"name": "web", "source": "terraform-aws-modules/alb/aws", "services": ["elb.alb"]}]


def test_a_fargate_capacity_provider_strategy_is_ecs_on_fargate(kb: KnowledgeBase, tmp_path: Path) -> None:
    """Services and clusters that name FARGATE or FARGATE_SPOT providers, not a launch type, are Fargate
    (an EC2 reading would bring instance hardening into a design with no instances)."""
    strategy = [{"CapacityProvider": "FARGATE", "Weight": 1}, {"CapacityProvider": "FARGATE_SPOT", "Weight": 3}]
    assert cfn(kb, tmp_path, {
        "Cluster": {"Type": "AWS::ECS::Cluster"},
        "Svc": {"Type": "AWS::ECS::Service", "Properties": {"Cluster": {"Ref": "Cluster"}, "CapacityProviderStrategy": strategy}},
    }) == ["ecs.fargate"]
    assert tf(kb, tmp_path, """
resource "aws_ecs_cluster" "c" { name = "c" }
resource "aws_ecs_cluster_capacity_providers" "c" {
  cluster_name       = aws_ecs_cluster.c.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
}
resource "aws_ecs_service" "s" {
  name    = "s"
  cluster = aws_ecs_cluster.c.id
  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 3
  }
  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}
""") == ["ecs.fargate"]
    assert cfn(kb, tmp_path, {"Cluster": {"Type": "AWS::ECS::Cluster"}}) == ["ecs"]  # no evidence: the parent
