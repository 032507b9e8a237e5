"""Scanner findings read offline and mapped to checklist items (no UI).

- `detect`: which format a file is, from its content (never its name);
- `stream`: JSON documents, arrays and JSON lines read record by record;
- `asff`, `ocsf`, `prowler_csv`, `config`: one reader per format, each yielding `Finding`s;
- `mapper`: check ids (FSBP, Prowler, AWS Config rules) to the knowledge base's controls;
- `collect`: findings of one or more files folded into per-item evidence, with what did not map;
- `model`: the evidence stored in a project file (a leaf module: the checklist reads it).

This package never imports `tui.iac`, and `tui.iac` never imports it.
"""
