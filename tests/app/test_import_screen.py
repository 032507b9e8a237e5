"""From the Checklist screen: point at infrastructure code, see the services, accept them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input, Label, SelectionList

from tui.app.app import OwnitApp
from tui.app.screens.import_iac import ImportServices
from tui.checklist.project import load_project
from tui.checklist.store import ProjectFile
from tui.iac.detect import detect_format
from tui.kb.knowledge import KnowledgeBase

IAC = Path(__file__).resolve().parents[1] / "fixtures" / "iac"


def test_detect_format() -> None:
    assert detect_format(IAC / "tf") == "terraform"
    assert detect_format(IAC / "plan" / "plan.json") == "terraform"
    assert detect_format(IAC / "sam") == "cloudformation"
    assert detect_format(IAC / "cdk.out") == "cloudformation"
    assert detect_format(IAC / "cdk.out" / "AppStack.template.json") == "cloudformation"


async def wait_for_scan(app: OwnitApp, pilot) -> ImportServices:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, ImportServices)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_detected_services_are_shown_then_added(make_app: Callable[..., OwnitApp], tmp_path: Path,
                                                      fixture_kb: KnowledgeBase) -> None:
    path = tmp_path / "p.yaml"
    ProjectFile.create(path, "p", ["ec2"], fixture_kb)
    app = make_app(project=path)
    async with app.run_test(size=(120, 40)) as pilot:  # EC2 is in the project already: listed, not ticked
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ImportServices)
        template = tmp_path / "app.yaml"
        template.write_text(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n"
            "  Fn: {Type: AWS::Serverless::Function, Properties: {Handler: a.b, Runtime: python3.12}}\n"
            "  Api: {Type: AWS::Serverless::Api, Properties: {StageName: prod}}\n"
            "  Table: {Type: AWS::Serverless::SimpleTable}\n"
            "  Box: {Type: AWS::EC2::Instance, Properties: {ImageId: !Ref Ami}}\n")
        modal.query_one(Input).value = str(template)
        await pilot.press("enter")
        modal = await wait_for_scan(app, pilot)
        listing = modal.query_one(SelectionList)
        assert listing.option_count == 2 and listing.selected == ["lambda"]  # EC2 listed, not ticked
        # the fixture KB knows Lambda and EC2; the API and table types are listed as unclaimed
        summary = str(modal.query_one("#import-summary", Label).render())
        assert "2 service(s) in 1 file(s)" in summary and "2 resource(s) of types no service claims" in summary
        assert load_project(path).project.services == ("ec2",)  # nothing written before Add
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_project(path).project.services == ("ec2", "lambda")


async def test_a_bad_path_is_reported_inline(make_app: Callable[..., OwnitApp], tmp_path: Path,
                                             fixture_kb: KnowledgeBase) -> None:
    path = tmp_path / "p.yaml"
    ProjectFile.create(path, "p", ["ec2"], fixture_kb)
    app = make_app(project=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "nowhere")
        await pilot.press("enter")
        modal = await wait_for_scan(app, pilot)
        assert "no such file or directory" in str(modal.query_one("#import-summary", Label).render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportServices)
        assert load_project(path).project.services == ("ec2",)


async def test_project_stack_shows_every_service_and_its_line(make_app: Callable[..., OwnitApp], tmp_path: Path,
                                                              fixture_kb: KnowledgeBase) -> None:
    from textual.widgets import DataTable

    from tui.app.screens.project_stack import ProjectStack

    path = tmp_path / "p.yaml"
    ProjectFile.create(path, "p", ["ec2", "rds", "s3"], fixture_kb)
    app = make_app(project=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ProjectStack)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 15 and len(table.columns) == 4
        assert str(table.get_cell("guest-os", "ec2")).endswith("CUSTOMER ▔")  # EC2's line sits under guest-os
        assert str(table.get_cell("guest-os", "rds")) == "░ AWS"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ProjectStack)


async def test_conditional_services_warnings_and_data_sources_are_shown(make_app: Callable[..., OwnitApp],
                                                                        tmp_path: Path, fixture_kb: KnowledgeBase) -> None:
    path = tmp_path / "p.yaml"
    ProjectFile.create(path, "p", ["ec2"], fixture_kb)
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "main.tf").write_text(
        'variable "enabled" {}\n'
        'resource "aws_lambda_function" "fn" {\n  count = var.enabled ? 1 : 0\n  function_name = "f"\n}\n'
        'data "aws_caller_identity" "me" {}\n'
        'data "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'
        'module "gone" {\n  source = "./missing"\n}\n')
    app = make_app(project=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        modal = app.screen
        modal.query_one(Input).value = str(infra)
        await pilot.press("enter")
        modal = await wait_for_scan(app, pilot)
        listing = modal.query_one(SelectionList)
        labels = {str(listing.get_option_at_index(i).value): str(listing.get_option_at_index(i).prompt)
                  for i in range(listing.option_count)}
        assert "only when a condition holds" in labels["lambda"]
        summary = str(modal.query_one("#import-summary", Label).render())
        assert "data source(s) read, not created" in summary
        assert "warning(s); first: main.tf:10:1: module 'gone'" in summary  # located, within what was scanned
