"""ownit: who owns this, AWS or us? The AWS shared responsibility model as a tool."""

from __future__ import annotations

__version__ = "0.1.0"
