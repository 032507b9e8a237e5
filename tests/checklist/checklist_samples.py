"""Sample text shared by the checklist tests (a module with a unique name, not conftest)."""

HOSTILE = '<script>alert(1)</script> =HYPERLINK("http://x") [red]red[/red] \x1b[31mred\x1b[0m'
