"""Relationships between tables: which child column points at which parent key.

A :class:`Relationship` says that every non-null value of ``child.child_key`` should be a value
of ``parent.parent_key`` (a column unique in the parent). Relationships come from a database's
catalog (foreign key constraints), from the profile config (``relationships:``) or from
detection (name match plus value inclusion plus parent key uniqueness); the profile lists them
with their source so the user can confirm or override them.

A relationship marked ``fill_after`` breaks a cycle or a self-reference: it is left out of the
parent-before-child order, and its foreign key is filled once every table is generated (it must
be nullable in the sense that a row may be written before its parent exists).

The artifact stores relationships as JSON objects (:meth:`Relationship.to_dict`), parsed
strictly (:meth:`Relationship.from_dict`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from learnsynth.errors import ArtifactError

__all__ = ["SOURCES", "Relationship"]

SOURCES = ("catalog", "config", "detected")


@dataclass(frozen=True)
class Relationship:
    """``child.child_key`` references ``parent.parent_key`` (single-column keys)."""

    parent: str
    parent_key: str
    child: str
    child_key: str
    source: str = "config"
    fill_after: bool = False

    @property
    def label(self) -> str:
        """``child.child_key → parent.parent_key``, for messages and reports."""
        return f"{self.child}.{self.child_key} → {self.parent}.{self.parent_key}"

    def to_dict(self) -> dict[str, Any]:
        return {"parent": self.parent, "parent_key": self.parent_key, "child": self.child,
                "child_key": self.child_key, "source": self.source,
                "fill_after": self.fill_after}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], where: str = "model") -> Relationship:
        """Strict parse: exactly the keys of :meth:`to_dict`, names as strings, a known source."""
        keys = {"parent", "parent_key", "child", "child_key", "source", "fill_after"}
        if not isinstance(d, Mapping) or set(d) != keys:
            raise ArtifactError(f"A relationship of {where} must be an object with exactly the "
                                f"keys {sorted(keys)}; the model is damaged: refit it.")
        names = [d["parent"], d["parent_key"], d["child"], d["child_key"]]
        if not all(isinstance(n, str) and n for n in names) or d["source"] not in SOURCES \
                or not isinstance(d["fill_after"], bool):
            raise ArtifactError(f"A relationship of {where} has a malformed field "
                                f"({d!r}); the model is damaged: refit it.")
        return cls(*names, source=d["source"], fill_after=d["fill_after"])
