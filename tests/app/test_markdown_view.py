"""The detail panes' Markdown view: the blocks ownit's records use, literal text, links that open."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tui.app.widgets.markdown_view import MarkdownView

DOC = """# Turn on MFA for the root user

`iam.root-mfa` · **CUSTOMER** · layer **iam**

## What you do
Register an MFA device for the root user, then lock the keys away
so nobody uses them.

- first item that is long enough to wrap onto a second line at this width
- second \\[bold\\]item\\[/bold\\]

```sh
aws iam get-account-summary
```

**Sources**

- <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html>
  - failing: arn:aws:s3:::a-bucket-name-long-enough-to-need-two-lines-at-fifty
"""


class ViewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield MarkdownView(DOC)


def lines(app: App[None]) -> list[str]:
    view = app.query_one(MarkdownView)
    return [strip.text.rstrip() for strip in view.render_lines(view.region.reset_offset)]


async def test_blocks_headings_lists_and_code() -> None:
    app = ViewApp()
    async with app.run_test(size=(50, 30)) as pilot:
        await pilot.pause()
        text = lines(app)
        assert text[0].strip() == "Turn on MFA for the root user"
        assert text[1] == ""  # a blank line under the title block
        assert "iam.root-mfa · CUSTOMER · layer iam" in text[2]
        what = text.index("What you do")
        assert text[what + 1].startswith("Register an MFA device")  # a section heading sits on its text
        assert text[what - 1] == ""
        bullets = [i for i, line in enumerate(text) if line.startswith("• ")]
        assert len(bullets) == 3  # the nested item's bullet is indented
        first = bullets[0]
        assert text[first + 1].startswith("  ") and text[first + 1].strip()  # the wrapped line hangs under it
        assert text[bullets[1]] == "• second [bold]item[/bold]"  # escaped Markdown, literal Rich markup
        assert any(line.strip() == "aws iam get-account-summary" for line in text)
        nested = next(i for i, line in enumerate(text) if line.startswith("  • failing:"))
        arn = "".join(line.strip() for line in text[nested:nested + 3]).replace("• failing:", "")
        assert "arn:aws:s3:::a-bucket-name-long-enough-to-need-two-lines-at-fifty" in arn  # folded, never cut
        assert "…" not in "".join(text)
        view = app.query_one(MarkdownView)
        assert view.size.height == len(text)


async def test_a_link_opens_its_url_on_click() -> None:
    app = ViewApp()
    opened: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
        await pilot.pause()
        y = next(i for i, line in enumerate(lines(app)) if "https://" in line)
        await pilot.click(MarkdownView, offset=(5, y))
        await pilot.pause()
        assert opened == ["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html"]


async def test_update_replaces_the_text_and_a_theme_restyles_it() -> None:
    app = ViewApp()
    async with app.run_test(size=(60, 30)) as pilot:
        view = app.query_one(MarkdownView)
        await pilot.pause()
        view.update("## Only this")
        await pilot.pause()
        assert lines(app)[0] == "Only this" and view.size.height == 1
        before = view.render_lines(view.region.reset_offset)[0]
        app.theme = "textual-light"
        await pilot.pause()
        after = view.render_lines(view.region.reset_offset)[0]
        assert before.text == after.text and list(before) != list(after)  # same words, the theme's colours
