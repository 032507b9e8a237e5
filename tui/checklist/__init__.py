"""Project files, checklists and exports. Never imports Textual."""
