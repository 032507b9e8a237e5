"""The Textual app: one screen a file in screens/, one widget a file in widgets/."""
