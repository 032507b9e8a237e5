"""Import services from real-shaped infrastructure code, on the shipped knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.iac.cloudformation import import_cloudformation, read_template
from tui.iac.terraform import import_terraform
from tui.kb import load_kb
from tui.kb.knowledge import KnowledgeBase

IAC = Path(__file__).resolve().parents[1] / "fixtures" / "iac"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb(include_user=False, use_cache=False)


def test_sam_function_api_table(kb: KnowledgeBase) -> None:
    r = import_cloudformation(kb, [IAC / "sam"])
    assert r.service_ids() == ["apigateway", "dynamodb", "iam", "lambda"]  # SAM makes the role of a function without Role
    assert r.unknown == [] and r.custom == []


def test_sam_image_function_is_lambda_container(kb: KnowledgeBase, tmp_path: Path) -> None:
    t = tmp_path / "template.yaml"
    t.write_text("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {PackageType: Image, ImageUri: x}\n")
    assert import_cloudformation(kb, [t]).service_ids() == ["iam", "lambda.container"]


def test_cdk_out_with_nested_stack(kb: KnowledgeBase) -> None:
    r = import_cloudformation(kb, [IAC / "cdk.out"])
    # the cluster of a Fargate-only app is ECS on Fargate, not ECS on EC2
    # an ELBv2 load balancer without Type is an ALB; Engine postgres is RDS for PostgreSQL
    assert r.service_ids() == ["ecs.fargate", "elb.alb", "kms", "rds.postgresql", "secretsmanager"]
    assert sorted(Path(f).name for f in r.files) == ["AppStack.template.json", "AppStackData1234ABCD.nested.template.json"]
    assert r.unknown == []


def test_every_short_form_tag(kb: KnowledgeBase) -> None:
    doc = read_template(IAC / "cfn" / "every-tag.yaml")
    res = doc["Resources"]
    assert res["Subnet"]["Properties"]["VpcId"] == {"Ref": "Vpc"}
    assert res["Subnet"]["Properties"]["CidrBlock"] == {"Fn::Select": [0, {"Fn::Cidr": [{"Fn::GetAtt": ["Vpc", "CidrBlock"]}, 4, 8]}]}
    assert res["Data"]["Properties"]["Size"] == {"Fn::If": ["IsProd", 100, 20]}
    assert doc["Conditions"]["IsDev"] == {"Fn::Not": [{"Condition": "IsProd"}]}
    r = import_cloudformation(kb, [IAC / "cfn" / "every-tag.yaml"])
    assert r.service_ids() == ["ebs", "ec2", "s3", "sns", "vpc"]
    assert r.custom == [("Custom::Seeder", "every-tag.yaml:Hook")]


def test_terraform_folder_with_local_and_registry_modules(kb: KnowledgeBase) -> None:
    r = import_terraform(kb, [IAC / "tf"])
    assert r.service_ids() == ["iam", "lambda", "rds.postgresql", "s3", "vpc"]
    assert r.modules == [{"name": "network", "source": "terraform-aws-modules/vpc/aws", "services": ["vpc"]}]
    # the subnet group goes with the engine family it serves
    assert any(a.endswith("aws_db_instance.this") for a in r.services["rds.postgresql"])
    assert any(a.endswith("aws_db_subnet_group.this") for a in r.services["rds.postgresql"])
    assert not any(t.startswith("random_") for t, _ in r.unknown)


def test_terraform_plan_with_child_modules(kb: KnowledgeBase) -> None:
    r = import_terraform(kb, [IAC / "plan" / "plan.json"])
    assert r.service_ids() == ["cloudfront", "ecs.fargate", "kms", "rds.aurora-postgresql", "s3"]
    assert "module.storage.module.keys.aws_kms_key.this" in r.services["kms"]


def test_eks_auto_mode_detected_by_nested_boolean(kb: KnowledgeBase, tmp_path: Path) -> None:
    t = tmp_path / "eks.json"
    t.write_text('{"Resources": {"C": {"Type": "AWS::EKS::Cluster", "Properties": {"ComputeConfig": {"Enabled": true}}}}}')
    assert import_cloudformation(kb, [t]).service_ids() == ["eks.auto"]
    tf = tmp_path / "tf"
    tf.mkdir()
    (tf / "main.tf").write_text('resource "aws_eks_cluster" "c" {\n  name = "c"\n  compute_config {\n    enabled = true\n  }\n}\n')
    assert import_terraform(kb, [tf]).service_ids() == ["eks.auto"]


HOSTILE = {
    "alias-bomb.yaml": lambda: "Resources:\n  a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 12)),
    "python-tag.yaml": lambda: "Resources:\n  X:\n    Type: !!python/object/apply:os.system [echo pwned]\n",
    "deep.json": lambda: '{"Resources": ' + "[" * 200_000 + "]" * 200_000 + "}",
    "deep.yaml": lambda: "Resources: " + "[" * 100_000 + "]" * 100_000 + "\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_templates_end_in_a_clear_error(kb: KnowledgeBase, tmp_path: Path, name: str) -> None:
    import time

    from tui.kb.errors import DataError

    path = tmp_path / name
    path.write_text(HOSTILE[name]())
    start = time.perf_counter()
    with pytest.raises(DataError) as exc:
        import_cloudformation(kb, [path])
    assert time.perf_counter() - start < 10
    p = exc.value.problems[0]
    assert p.path == str(path) and p.line >= 1 and p.column >= 1 and p.message


def test_invalid_utf8_and_oversized_templates(kb: KnowledgeBase, tmp_path: Path) -> None:
    from tui.kb.errors import DataError

    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"Resources:\n  X: {Type: \"AWS::S3::Bucket\xff\"}\n")
    with pytest.raises(DataError) as exc:
        import_cloudformation(kb, [bad])
    assert str(exc.value.problems[0]).endswith(":2:29: not valid UTF-8 (byte 0xff)")
    big = tmp_path / "big.json"
    with big.open("w") as fh:
        fh.write('{"Resources": {"A": {"Type": "AWS::S3::Bucket", "Properties": {"x": "')
        fh.write("a" * (50 * 1024 * 1024))
        fh.write('"}}}}')
    with pytest.raises(DataError) as exc:
        import_cloudformation(kb, [big])
    assert "the limit is" in exc.value.problems[0].message


def test_a_folder_skips_non_templates_without_failing(kb: KnowledgeBase, tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}')
    (tmp_path / "notes.yaml").write_text("just: a config\n")
    (tmp_path / "broken.yaml").write_text("a: [\n")
    (tmp_path / "t.yaml").write_text("Resources:\n  B: {Type: AWS::S3::Bucket}\n")
    r = import_cloudformation(kb, [tmp_path])
    assert r.service_ids() == ["s3"]
    assert sorted(Path(f).name for f, _ in r.skipped) == ["broken.yaml", "notes.yaml"]


def test_ec2_and_fargate_services_in_one_cluster_keep_both(kb: KnowledgeBase, tmp_path: Path) -> None:
    t = tmp_path / "t.json"
    t.write_text('{"Resources": {"C": {"Type": "AWS::ECS::Cluster"},'
                 ' "A": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "FARGATE"}},'
                 ' "B": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "EC2"}}}}')
    assert import_cloudformation(kb, [t]).service_ids() == ["ecs", "ecs.fargate"]
