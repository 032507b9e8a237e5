"""Each import rule of issue 13 on a small template of our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.iac.cloudformation import import_cloudformation
from tui.iac.terraform import import_terraform
from tui.kb import load_kb
from tui.kb.knowledge import KnowledgeBase

# the event types the AWS SAM developer guide documents (sam-property-function-eventsource)
SAM_EVENTS = {"AlexaSkill", "Api", "CloudWatchEvent", "CloudWatchLogs", "Cognito", "DocumentDB", "DynamoDB",
              "EventBridgeRule", "HttpApi", "IoTRule", "Kinesis", "MQ", "MSK", "S3", "Schedule", "ScheduleV2",
              "SelfManagedKafka", "SNS", "SQS"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb(include_user=False, use_cache=False)


def cfn(kb: KnowledgeBase, tmp_path: Path, text: str, name: str = "t.yaml"):  # type: ignore[no-untyped-def]
    t = tmp_path / name
    t.write_text(text)
    return import_cloudformation(kb, [t])


def tf(kb: KnowledgeBase, tmp_path: Path, files: dict[str, str], **kw):  # type: ignore[no-untyped-def]
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return import_terraform(kb, [tmp_path], **kw)


def test_every_documented_sam_event_type_is_in_the_knowledge_base(kb: KnowledgeBase) -> None:
    covered = {r.event for s in kb.services.values() for r in s.implied_by if r.event}
    assert SAM_EVENTS <= covered


FN = "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n"


def test_sam_events_and_properties_imply_services(kb: KnowledgeBase, tmp_path: Path) -> None:
    r = cfn(kb, tmp_path, FN + "      Role: arn:aws:iam::1:role/r\n      DeploymentPreference: {Type: AllAtOnce}\n"
            "      Events:\n        A: {Type: Api, Properties: {Path: /, Method: get}}\n"
            "        S: {Type: Schedule, Properties: {Schedule: rate(1 hour)}}\n"
            "        Q: {Type: SQS, Properties: {Queue: arn:aws:sqs:eu-west-1:1:q}}\n"
            "        K: {Type: MSK, Properties: {Stream: !Ref ClusterArn, Topics: [t]}}\n")
    assert r.service_ids() == ["apigateway", "codedeploy", "events", "kafka", "lambda", "sqs"]
    assert "t.yaml:F.Events.A" in r.services["apigateway"]


def test_a_function_without_role_gets_an_iam_role_even_under_a_condition(kb: KnowledgeBase, tmp_path: Path) -> None:
    assert "iam" in cfn(kb, tmp_path, FN + "      Handler: x\n").service_ids()
    assert "iam" not in cfn(kb, tmp_path, FN + "      Role: !Ref R\n").service_ids()
    assert "iam" in cfn(kb, tmp_path, FN + "      Role: !If [C, !Ref R, !Ref AWS::NoValue]\n").service_ids()


def test_globals_reach_the_implicit_api(kb: KnowledgeBase, tmp_path: Path) -> None:
    r = cfn(kb, tmp_path, "Globals:\n  Api:\n    Domain: {DomainName: x, CertificateArn: y, Route53: {HostedZoneId: z}}\n"
            + FN + "      Role: r\n      Events:\n        A: {Type: Api, Properties: {Path: /, Method: get}}\n")
    assert "route53" in r.service_ids()


def test_sam_resource_types(kb: KnowledgeBase, tmp_path: Path) -> None:
    r = cfn(kb, tmp_path, "Resources:\n  W: {Type: AWS::Serverless::WebSocketApi}\n  G: {Type: AWS::Serverless::GraphQLApi, Properties: {Logging: false}}\n"
            "  C: {Type: AWS::Serverless::Connector}\n  A: {Type: AWS::Serverless::Application, Properties: {Location: {ApplicationId: x, SemanticVersion: 1}}}\n")
    assert r.service_ids() == ["apigateway", "appsync", "iam"]
    assert r.nested == [{"address": "t.yaml:A", "type": "AWS::Serverless::Application",
                         "template": "serverless application x", "followed": False}]


def test_an_event_source_mapping_uses_the_service_of_its_arn(kb: KnowledgeBase, tmp_path: Path) -> None:
    r = cfn(kb, tmp_path, "Resources:\n  M:\n    Type: AWS::Lambda::EventSourceMapping\n"
            "    Properties: {EventSourceArn: !Sub 'arn:${AWS::Partition}:kinesis:eu-west-1:1:stream/s', FunctionName: f}\n")
    assert r.service_ids() == ["kinesis", "lambda"]


def test_foreach_counts_each_logical_template_once(kb: KnowledgeBase, tmp_path: Path) -> None:
    r = cfn(kb, tmp_path, "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Topics:\n    - Name\n    - [a, b]\n"
            "    - Topic${Name}: {Type: AWS::SNS::Topic}\n  Fn::ForEach::Outer:\n    - X\n    - [1]\n"
            "    - Fn::ForEach::Inner:\n        - Y\n        - [2]\n        - Q${X}${Y}: {Type: AWS::SQS::Queue}\n")
    assert r.service_ids() == ["sns", "sqs"]
    assert r.services["sns"] == ["t.yaml:Fn::ForEach::Topics/Topic${Name}"]


def test_rules_intrinsics_and_unknown_tags(kb: KnowledgeBase, tmp_path: Path) -> None:
    r = cfn(kb, tmp_path, "Rules:\n  R:\n    Assertions:\n      - Assert: !Contains [[a], !ValueOf [P, Tag]]\n"
            "      - Assert: !EachMemberIn [!ValueOfAll [T, Tag], !RefAll T]\n"
            "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Policy: !Rain::Embed policy.json\n")
    assert r.service_ids() == ["s3"]
    assert len(r.warnings) == 1 and r.warnings[0][0].endswith("t.yaml:10:15") and "Rain::Embed" in r.warnings[0][1]


def test_nested_stack_followed_when_local(kb: KnowledgeBase, tmp_path: Path) -> None:
    (tmp_path / "child.yaml").write_text("Resources:\n  Q: {Type: AWS::SQS::Queue}\n")
    r = cfn(kb, tmp_path, "Resources:\n  C: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: ./child.yaml}}\n"
            "  D: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: 'https://s3.amazonaws.com/b/x.yaml'}}\n", "parent.yaml")
    assert r.service_ids() == ["sqs"]
    assert [n["followed"] for n in r.nested] == [True, False]


def test_one_bad_template_among_good_ones_is_a_warning(kb: KnowledgeBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("Resources:\n  B: {Type: AWS::S3::Bucket}\n")
    bad.write_text("Resources: [\n")
    assert main(["import", "cloudformation", str(good), str(bad), "--json", "--no-user-data"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["services"] == ["s3"] and out["warnings"][0]["where"].startswith(str(bad))
    assert main(["import", "cloudformation", str(bad), "--no-user-data"]) == 1


# -- Terraform ------------------------------------------------------------------------
VPC = ('variable "create_db" {\n  default = false\n}\nvariable "names" {\n  default = {}\n}\nvariable "x" {}\n'
       'resource "aws_vpc" "v" {}\n'
       'resource "aws_db_instance" "d" {\n  count = var.create_db ? 1 : 0\n  engine = "postgres"\n}\n'
       'resource "aws_sqs_queue" "q" {\n  for_each = var.names\n}\n'
       'resource "aws_sns_topic" "t" {\n  count = var.x ? 1 : 0\n}\n')


def test_count_and_for_each_resolved_from_defaults(kb: KnowledgeBase, tmp_path: Path) -> None:
    r = tf(kb, tmp_path, {"main.tf": VPC})
    assert r.service_ids() == ["sns", "vpc"]
    assert r.conditional_ids() == ["sns"]
    assert any(a.endswith("aws_db_instance.d") for a in r.not_created)


def test_var_file_changes_the_answer(kb: KnowledgeBase, tmp_path: Path) -> None:
    (tmp_path / "vars").mkdir()
    vf = tmp_path / "vars" / "prod.tfvars"
    vf.write_text('create_db = true\nnames = {a = 1}\nx = false\n')
    r = tf(kb, tmp_path / "src", {"main.tf": VPC}, var_files=[vf])
    assert r.service_ids() == ["rds.postgresql", "sqs", "vpc"] and r.conditional_ids() == []


def test_module_arguments_and_missing_module_folder(kb: KnowledgeBase, tmp_path: Path) -> None:
    r = tf(kb, tmp_path, {
        "main.tf": 'module "db" {\n  source = "./db"\n  create = false\n}\nmodule "gone" {\n  source = "./nope"\n}\n'
                   'resource "aws_s3_bucket" "b" {}\n',
        "db/main.tf": 'variable "create" {\n  default = true\n}\nresource "aws_dynamodb_table" "t" {\n  count = var.create ? 1 : 0\n}\n'})
    assert r.service_ids() == ["s3"]
    assert any("module 'gone'" in m for _, m in r.warnings)


def test_data_sources_apart_and_meta_ones_silent(kb: KnowledgeBase, tmp_path: Path) -> None:
    r = tf(kb, tmp_path, {"main.tf": 'data "aws_iam_policy_document" "p" {}\ndata "aws_caller_identity" "me" {}\n'
                                     'data "aws_region" "r" {}\nresource "aws_s3_bucket" "b" {}\n'})
    assert r.service_ids() == ["s3"] and r.unknown == []
    assert [t for t, _ in r.data_sources] == ["aws_iam_policy_document"]


def test_registry_module_implies_what_it_creates(kb: KnowledgeBase, tmp_path: Path) -> None:
    r = tf(kb, tmp_path, {"main.tf": 'module "eks" {\n  source = "terraform-aws-modules/eks/aws"\n}\n'
                                     'module "off" {\n  source = "terraform-aws-modules/sqs/aws"\n  count = 0\n}\n'})
    assert r.service_ids() == ["ec2", "eks", "iam", "kms", "logs", "vpc"]


def test_dynamic_block_counts_for_refinements(kb: KnowledgeBase, tmp_path: Path) -> None:
    r = tf(kb, tmp_path, {"main.tf": 'resource "aws_eks_cluster" "c" {\n  dynamic "compute_config" {\n'
                                     '    for_each = [1]\n    content {\n      enabled = true\n    }\n  }\n}\n'})
    assert r.service_ids() == ["eks.auto"]


def test_tf_json_state_heredoc_and_a_bad_file(kb: KnowledgeBase, tmp_path: Path) -> None:
    r = tf(kb, tmp_path, {
        "a.tf.json": json.dumps({"resource": {"aws_sqs_queue": {"q": {"name": "q"}}}}),
        "b.tf": 'resource "aws_iam_policy" "p" {\n  policy = <<EOF\n{}\nEOF   \n}\n',
        "c.tf": 'resource "aws_s3_bucket" {{{\n'})
    assert r.service_ids() == ["iam", "sqs"]
    assert len(r.warnings) == 1 and r.warnings[0][0].startswith(str(tmp_path / "c.tf"))
    state = tmp_path / "s" / "terraform.tfstate"
    state.parent.mkdir()
    state.write_text(json.dumps({"version": 4, "resources": [
        {"mode": "managed", "type": "aws_kms_key", "name": "k", "instances": [{"attributes": {}}]},
        {"mode": "data", "type": "aws_iam_policy_document", "name": "d", "instances": []}]}))
    s = import_terraform(kb, [state])
    assert s.service_ids() == ["kms"] and len(s.data_sources) == 1


def test_conditional_services_are_marked_in_the_project_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "main.tf").write_text(VPC)
    project = tmp_path / "p.yaml"
    assert main(["import", "terraform", str(src), "-o", str(project), "--no-user-data"]) == 0
    text = project.read_text()
    assert "conditional" in text and "sns" in text.split("services:")[0]
    assert "rds" not in text.split("services:")[1]
    assert main(["validate", str(project), "--no-user-data"]) == 0
