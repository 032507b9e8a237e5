"""The command-line faces of the domain, one module per group of commands."""
