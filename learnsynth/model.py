"""The model artifact: what ``profile`` learns and ``sample`` draws from.

A :class:`Model` is data, not code. It turns into two files: ``model.json`` (structure and every
parameter, readable by a reviewer) and ``arrays.npz`` (correlation matrices, loaded with
``allow_pickle=False``). The store adds ``manifest.json`` with hashes. Parsing is strict: an unknown
key, a missing key or an unknown kind is an :class:`~learnsynth.errors.ArtifactError`.

What a model holds, per column: its kind, null rate and
- numbers and datetimes: a fitted marginal with *protected* bounds (never the real min/max);
  and, when a categorical largely explains the number (a species' hindfoot length), its
  quantiles within each of that column's categories of enough rows (:class:`NumericConditional`);
- categoricals and booleans: categories shared by at least k rows (the rest merged into a rare
  token) and their weights; and, when another column nearly determines it (a species' genus, an
  injury severity's outcome), the conditional probabilities of its categories given that
  column's category or point mass (:class:`Conditional`), from cells of at least k rows only;
- PII columns: only the PII kind, locale and a format descriptor;
- keys: the shape of the identifier (e.g. ``99-999999``), never a value; a foreign key also
  names the parent key it references (``details["references"]``) and whether it is its table's
  primary relationship (``details["primary"]``);
- free text: nothing but the null rate and a coarse length profile;
- a reference table (declared public in the config): its rows as they are (:class:`Reference`);
  a foreign key into it is a categorical over its keys (``details["references"]``);
- per relationship, a hidden integer column in the parent table (``details["role"] ==
  "children"``): how many child rows each parent row has, fitted into the parent's copula and
  never written (:func:`children_column`).

Schema version 3 adds relationships (:class:`~learnsynth.profile.relations.Relationship`,
parsed strictly and checked against the tables); version 4 adds reference tables. Version-2
and version-3 artifacts load.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
from scipy import special

from learnsynth.artifact import canonical_json, read_npz_bytes, write_npz_bytes
from learnsynth.errors import ArtifactError
from learnsynth.profile.copula import CopulaBlock, conditional_rank, interval_ranks, to_normal
from learnsynth.profile.kinds import KINDS
from learnsynth.profile.marginals import NumericMarginal
from learnsynth.profile.relations import Relationship

__all__ = ["SCHEMA_VERSION", "ColumnModel", "Conditional", "Model", "NumericConditional",
           "Reference", "TableModel", "children_column", "conditional_uniforms", "key_count",
           "parent_keys", "table_from_files", "table_to_files"]

SCHEMA_VERSION = 4  # 2: conditional categoricals ("given"); 3: relationships, keys, child counts;
READABLE_VERSIONS = (2, 3, 4)  # 4: reference tables
NUMERIC_KINDS = ("integer", "continuous", "datetime")
CATEGORY_KINDS = ("categorical", "boolean")


def _strict(d: Mapping[str, Any], required: set[str], optional: set[str], what: str) -> None:
    if not isinstance(d, Mapping):
        raise ArtifactError(f"{what} must be a JSON object, got {type(d).__name__}.")
    keys = set(d)
    missing = required - keys
    unknown = keys - required - optional
    if missing:
        raise ArtifactError(f"{what} lacks required key(s) {sorted(missing)}.")
    if unknown:
        raise ArtifactError(f"{what} has unknown key(s) {sorted(unknown)}; refusing to load it.")


def key_count(parent: ColumnModel) -> int:
    """How many keys a column offers as a parent: its categories, or its atoms + other + null."""
    if parent.kind in CATEGORY_KINDS:
        return len(parent.categories)
    if parent.marginal is not None and parent.marginal.atoms:
        return len(parent.marginal.atoms) + 2
    return 0


def parent_keys(parent: ColumnModel, u: np.ndarray, u_null: np.ndarray | None) -> np.ndarray:
    """Each sampled row's key in ``parent``, from the parent's copula uniforms.

    A categorical's key is its category index (the interval ``u`` falls in); a number's key is
    the index of the point mass it drew, then one key for "any other value" and one for null.
    """
    if parent.kind in CATEGORY_KINDS:
        edges = np.cumsum(parent.weights)[:-1]
        return np.searchsorted(edges / max(float(np.sum(parent.weights)), 1e-300), u,
                               side="right").astype(np.int64)
    if parent.marginal is None:
        raise ArtifactError(f"Column {parent.name!r} cannot be a conditional parent.")
    n_atoms = len(parent.marginal.atoms)
    atom = parent.marginal.atom_of_uniform(u)
    keys = np.where(atom >= 0, atom, n_atoms)
    if u_null is not None:
        keys = np.where(u_null >= 1 - parent.null_rate, n_atoms + 1, keys)
    return keys.astype(np.int64)


@dataclass(frozen=True)
class Conditional:
    """A categorical drawn given another column: ``probabilities[key][i]`` = P(category i | key).

    Keys are the parent's categories in order, or its point masses in order followed by "other
    value" and "null" (:func:`key_count`). Each row was estimated from cells shared by at least k
    rows (rarer cells dropped, the rest renormalised); a parent key with no such cell holds the
    column's own weights.
    """

    column: str
    probabilities: tuple[tuple[float, ...], ...]

    def draw(self, keys: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Category index of each row: the conditional quantile of ``u`` in its key's row.

        Row ``k``'s cumulative probabilities are shifted to ``[k, k + 1]`` and flattened, so one
        ``searchsorted`` serves every key (no loop over keys).
        """
        probs = np.asarray(self.probabilities, dtype=float)
        n_keys, n_cats = probs.shape
        cum = np.cumsum(probs, axis=1)
        cum = cum / cum[:, -1:]
        flat = (cum + np.arange(n_keys)[:, None]).reshape(-1)
        idx = np.searchsorted(flat, keys + np.clip(u, 0.0, 1.0 - 1e-12), side="right")
        return np.clip(idx - keys * n_cats, 0, n_cats - 1)

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "probabilities": [list(r) for r in self.probabilities]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], n_cats: int, what: str) -> Conditional:
        _strict(d, {"column", "probabilities"}, set(), f"conditional of {what}")
        rows = d["probabilities"]
        ok = isinstance(d["column"], str) and isinstance(rows, list) and len(rows) > 0
        parsed: list[tuple[float, ...]] = []
        for row in rows if ok else []:
            if not isinstance(row, list) or len(row) != n_cats or not all(
                    isinstance(p, (int, float)) and not isinstance(p, bool) and 0.0 <= p <= 1.0
                    for p in row) or abs(sum(row) - 1.0) > 1e-6:
                ok = False
                break
            parsed.append(tuple(float(p) for p in row))
        if not ok:
            raise ArtifactError(
                f"The conditional of {what} must name its parent column and hold one row of "
                f"{n_cats} probabilities in [0, 1] summing to 1 per parent key. The model is "
                "damaged: refit it.")
        return cls(str(d["column"]), tuple(parsed))


@dataclass(frozen=True)
class NumericConditional:
    """A number drawn given a categorical column: its quantiles within each category.

    ``quantiles[key]`` is ``(probabilities, uniforms)``: knots of the quantile function of the
    number's *marginal uniform* (its CDF value under the stored marginal) among the rows of the
    parent's category ``key``, from probability 0 to 1, each inner knot the mean of at least k
    rows' uniforms; None for a category with too few rows, whose numbers follow the copula
    alone. Sampling turns the number's copula
    uniform into its rank within the row's category (:func:`conditional_rank`: increasing, so the
    number keeps its associations with the other columns), reads that rank off the category's
    knots, and lets the marginal map the result to a value, so point masses, rounding and the
    protected bounds stay the marginal's.
    """

    column: str
    quantiles: tuple[tuple[tuple[float, ...], tuple[float, ...]] | None, ...]

    _cache: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def uniforms(self, z: np.ndarray, keys: np.ndarray, edges: np.ndarray,
                 rho: float) -> np.ndarray:
        """Marginal uniforms of rows whose copula normal scores are ``z`` and whose parent drew
        ``keys``, category ``j`` owning ``[edges[j], edges[j + 1]]`` of the parent's uniform;
        ``rho`` is the latent correlation of the two.

        Vectorised: the within-category rank is read off a table built once per model, and the
        knots of all categories are laid end to end (category j's on ``[2j, 2j + 1]``) so a
        single ``np.interp`` serves every row.
        """
        z = np.asarray(z, dtype=float)
        key = ("ranks", float(rho), np.asarray(edges, dtype=float).tobytes())
        if key not in self._cache:
            self._cache.clear()
            self._cache[key] = interval_ranks(np.asarray(edges, dtype=float), rho)
        v = conditional_rank(z, keys, self._cache[key])
        xp, fp, has = self._flat
        out = np.interp(v + 2.0 * keys, xp, fp)
        alone = ~has[keys]  # a category without quantiles: the copula's own uniform
        if alone.any():
            out[alone] = special.ndtr(z[alone])
        return np.clip(out, 1e-9, 1.0 - 1e-9)

    @cached_property
    def _flat(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        xs = [np.asarray(q[0]) + 2.0 * j for j, q in enumerate(self.quantiles) if q is not None]
        fs = [np.asarray(q[1]) for q in self.quantiles if q is not None]
        has = np.array([q is not None for q in self.quantiles])
        return (np.concatenate(xs) if xs else np.zeros(1), np.concatenate(fs) if fs
                else np.zeros(1), has)

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "quantiles": [
            None if q is None else [list(q[0]), list(q[1])] for q in self.quantiles]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], what: str) -> NumericConditional:
        _strict(d, {"column", "quantiles"}, set(), f"conditional of {what}")
        rows = d["quantiles"]
        ok = isinstance(d["column"], str) and isinstance(rows, list) and len(rows) > 0
        parsed: list[tuple[tuple[float, ...], tuple[float, ...]] | None] = []
        for row in rows if ok else []:
            if row is None:
                parsed.append(None)
                continue
            knots = _knots(row)
            if knots is None:
                ok = False
                break
            parsed.append(knots)
        if not ok:
            raise ArtifactError(
                f"The conditional of {what} must name its parent column and hold, per parent "
                "category, null or [probabilities, quantiles]: two lists of the same length >= 2 "
                "in [0, 1], probabilities increasing from 0 to 1, quantiles non-decreasing. The "
                "model is damaged: refit it.")
        return cls(str(d["column"]), tuple(parsed))


def _knots(row: Any) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
    """``[probabilities, quantiles]`` as two tuples, or None if malformed."""
    if not isinstance(row, list) or len(row) != 2:
        return None
    p, q = row
    if not isinstance(p, list) or not isinstance(q, list) or len(p) != len(q) or len(p) < 2:
        return None
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and 0.0 <= x <= 1.0
               for x in (*p, *q)):
        return None
    if p[0] != 0.0 or p[-1] != 1.0 or any(b <= a for a, b in zip(p, p[1:], strict=False)) \
            or any(b < a for a, b in zip(q, q[1:], strict=False)):
        return None
    return tuple(float(x) for x in p), tuple(float(x) for x in q)


def conditional_uniforms(table: TableModel, col: ColumnModel,
                         uniforms: Mapping[tuple[str, str], np.ndarray]) -> np.ndarray:
    """The uniforms a number's marginal reads: its copula uniforms, or, for a number stored as
    conditional on a categorical (:class:`NumericConditional`), those mapped through the
    quantiles of the category each row's parent drew."""
    if not isinstance(col.given, NumericConditional):
        return uniforms[(col.name, "value")]
    normal = getattr(uniforms, "normal", None)  # the sampler's draws keep the normal scores
    z = normal((col.name, "value")) if normal is not None \
        else to_normal(uniforms[(col.name, "value")])
    parent = table.column(col.given.column)
    keys = parent_keys(parent, uniforms[(parent.name, "value")], None)
    weights = np.asarray(parent.weights, dtype=float)
    edges = np.concatenate(([0.0], np.cumsum(weights) / max(float(weights.sum()), 1e-300)))
    rho = 0.0
    for block in table.blocks:
        dims = [tuple(d) for d in block.dims]
        if (col.name, "value") in dims and (parent.name, "value") in dims:
            rho = float(block.corr[dims.index((col.name, "value")),
                                   dims.index((parent.name, "value"))])
    return col.given.uniforms(z, keys, edges, rho)


@dataclass(frozen=True)
class ColumnModel:
    """One column of a table model; which fields are set depends on ``kind``."""

    name: str
    kind: str
    null_rate: float
    details: dict[str, Any] = field(default_factory=dict)
    marginal: NumericMarginal | None = None
    categories: tuple[Any, ...] = ()
    weights: tuple[float, ...] = ()
    given: Conditional | NumericConditional | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "kind": self.kind, "null_rate": self.null_rate,
            "details": self.details,
        }
        if self.marginal is not None:
            out["marginal"] = self.marginal.to_dict()
        if self.kind in CATEGORY_KINDS:
            out["categories"] = list(self.categories)
            out["weights"] = list(self.weights)
        if self.given is not None:
            out["given"] = self.given.to_dict()
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], where: str) -> ColumnModel:
        what = f"Column {d.get('name')!r} of {where}"
        _strict(d, {"name", "kind", "null_rate", "details"},
                {"marginal", "categories", "weights", "given"}, what)
        if d["kind"] not in KINDS:
            raise ArtifactError(f"{what} has unknown kind {d['kind']!r}.")
        marginal = NumericMarginal.from_dict(d["marginal"]) if "marginal" in d else None
        if d["kind"] in NUMERIC_KINDS and marginal is None:
            raise ArtifactError(f"{what} is {d['kind']} but has no marginal.")
        cats = tuple(d.get("categories", ()))
        weights = tuple(float(w) for w in d.get("weights", ()))
        if len(cats) != len(weights):
            raise ArtifactError(f"{what} has {len(cats)} categories but {len(weights)} weights.")
        given: Conditional | NumericConditional | None = None
        if "given" in d:
            if d["kind"] in NUMERIC_KINDS and isinstance(d["given"], Mapping) \
                    and "probabilities" in d["given"]:
                raise ArtifactError(f"{what} is {d['kind']} but has a conditional table of "
                                    "category probabilities.")
            if d["kind"] in NUMERIC_KINDS:
                given = NumericConditional.from_dict(d["given"], what)
            elif d["kind"] not in CATEGORY_KINDS:
                raise ArtifactError(f"{what} is {d['kind']} but has a conditional table.")
            else:
                given = Conditional.from_dict(d["given"], len(cats), what)
        return cls(str(d["name"]), str(d["kind"]), float(d["null_rate"]), dict(d["details"]),
                   marginal, cats, weights, given)


REFERENCE_TYPES = ("integer", "float", "boolean", "string", "datetime")


@dataclass(frozen=True)
class Reference:
    """The rows of a reference table, kept as they are (the user declared them public).

    ``values`` holds one list per column (column-major, ``None`` for null): integers, finite
    floats, booleans, strings, or datetimes as ISO text (``types`` entry ``datetime``, or
    ``datetime:<zone>`` for times stored in UTC and shown in that zone). Built by
    :func:`learnsynth.relational.reference.reference_of`.
    """

    columns: tuple[str, ...]
    types: tuple[str, ...]
    values: tuple[tuple[Any, ...], ...]

    @property
    def n_rows(self) -> int:
        return len(self.values[0]) if self.values else 0

    def to_dict(self) -> dict[str, Any]:
        return {"columns": list(self.columns), "types": list(self.types),
                "values": [list(v) for v in self.values]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], what: str) -> Reference:
        _strict(d, {"columns", "types", "values"}, set(), f"reference rows of {what}")
        columns, types, values = d["columns"], d["types"], d["values"]
        ok = (isinstance(columns, list) and isinstance(types, list) and isinstance(values, list)
              and len(columns) == len(types) == len(values) and len(set(map(str, columns)))
              == len(columns) and all(isinstance(c, str) for c in columns)
              and all(isinstance(t, str) and t.split(":", 1)[0] in REFERENCE_TYPES
                      for t in types)
              and all(isinstance(v, list) for v in values)
              and len({len(v) for v in values}) <= 1)
        if not ok:
            raise ArtifactError(f"The reference rows of {what} must list columns, their types "
                                f"({', '.join(REFERENCE_TYPES)}) and one equally long list of "
                                "values per column. The model is damaged: refit it.")
        return cls(tuple(columns), tuple(types), tuple(tuple(v) for v in values))


@dataclass(frozen=True)
class TableModel:
    """A table: its columns, row count and copula blocks (dimension names ``[column, role]``).

    A *reference* table (``reference`` set) is copied, not modelled: no columns, no blocks, its
    rows in :class:`Reference`.
    """

    name: str
    n_rows: int
    columns: tuple[ColumnModel, ...]
    blocks: tuple[CopulaBlock, ...]
    reference: Reference | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        """The columns a user sees, in order (hidden count columns left out)."""
        if self.reference is not None:
            return self.reference.columns
        return tuple(c.name for c in self.columns if c.details.get("role") != "children")

    def column(self, name: str) -> ColumnModel:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def hidden(self) -> tuple[str, ...]:
        """Names of the hidden child-count columns (sampled, never written)."""
        return tuple(c.name for c in self.columns if c.details.get("role") == "children")

    def visible(self) -> TableModel:
        """This table without its hidden columns. Its copula blocks are unchanged, so it samples
        the very same rows (the hidden dimensions are drawn and left unused)."""
        if not self.hidden:
            return self
        return replace(self, columns=tuple(c for c in self.columns
                                           if c.details.get("role") != "children"))


def children_column(rel: Relationship) -> str:
    """Name of the hidden column of ``rel.parent`` counting each row's ``rel.child`` rows.

    It starts with a NUL character, which no CSV header, Parquet field or SQL identifier that
    learnsynth reads holds, so it cannot collide with a user's column (fit also checks).
    """
    return f"\x00children({rel.child}.{rel.child_key})"


@dataclass(frozen=True)
class Model:
    """A whole model: tables, relationships between them and the options it was fitted with."""

    tables: tuple[TableModel, ...]
    options: dict[str, Any] = field(default_factory=dict)
    relationships: tuple[Relationship, ...] = ()
    schema_version: int = SCHEMA_VERSION

    def table(self, name: str | None = None, *, hidden: bool = False) -> TableModel:
        """Table ``name`` (default: the first) as users see it: without its hidden children
        count columns, unless ``hidden`` (the relational sampler needs them)."""
        found = self.tables[0] if name is None else next(
            (t for t in self.tables if t.name == name), None)
        if found is None:
            raise KeyError(name)
        return found if hidden else found.visible()

    def to_files(self) -> dict[str, bytes]:
        """``model.json`` and ``arrays.npz``; the same model always gives the same bytes."""
        arrays: dict[str, np.ndarray] = {}
        tables = [_table_doc(t, ti, arrays) for ti, t in enumerate(self.tables)]
        doc = {"schema_version": self.schema_version, "options": self.options,
               "relationships": [r.to_dict() for r in self.relationships], "tables": tables}
        return {"model.json": canonical_json(doc), "arrays.npz": write_npz_bytes(arrays)}

    @classmethod
    def from_files(cls, files: Mapping[str, bytes], where: str = "model") -> Model:
        """Parse verified artifact files strictly."""
        import json

        try:
            doc = json.load(io.BytesIO(files["model.json"]))
        except (KeyError, ValueError) as exc:
            raise ArtifactError(f"model.json of {where} is missing or not JSON: {exc}") from exc
        _strict(doc, {"schema_version", "options", "relationships", "tables"}, set(),
                f"model.json of {where}")
        version = doc["schema_version"]
        if isinstance(version, bool) or version not in READABLE_VERSIONS:
            raise ArtifactError(
                f"model.json of {where} has schema version {version!r}; this learnsynth reads "
                f"versions {', '.join(map(str, READABLE_VERSIONS))}. Upgrade learnsynth or "
                "profile again.")
        if not isinstance(doc["relationships"], list) or (version < 3 and doc["relationships"]):
            raise ArtifactError(f"model.json of {where} has a malformed relationship list (a "
                                f"version-{version} model has none). The model is damaged: "
                                "refit it.")
        arrays = read_npz_bytes(files["arrays.npz"]) if "arrays.npz" in files else {}
        tables = tuple(_table_from_dict(t, arrays, where) for t in doc["tables"])
        if version < 4 and any(t.reference is not None for t in tables):
            raise ArtifactError(f"model.json of {where} holds a reference table, which a "
                                f"version-{version} model cannot. The model is damaged: refit it.")
        rels = tuple(Relationship.from_dict(r, where) for r in doc["relationships"])
        _check_relationships(tables, rels, where)
        return cls(tables, dict(doc["options"]), rels, int(version))


def _table_doc(t: TableModel, ti: int, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    """Table ``t`` (the ``ti``-th) as its ``model.json`` entry; its matrices go to ``arrays``."""
    blocks = []
    for bi, block in enumerate(t.blocks):
        key = f"t{ti}.b{bi}.corr"
        arrays[key] = np.ascontiguousarray(block.corr, dtype=np.float64)
        blocks.append({"dims": [list(d) for d in block.dims], "corr": key})
    return {"name": t.name, "n_rows": t.n_rows, "blocks": blocks,
            "columns": [c.to_dict() for c in t.columns],
            **({"reference": t.reference.to_dict()} if t.reference else {})}


def table_to_files(table: TableModel) -> dict[str, bytes]:
    """One table (hidden columns included) in the artifact's formats, JSON and ``.npz``: how the
    sampler hands a table to its worker processes, which parse it without running any code."""
    arrays: dict[str, np.ndarray] = {}
    doc = _table_doc(table, 0, arrays)
    return {"table.json": canonical_json(doc), "arrays.npz": write_npz_bytes(arrays)}


def table_from_files(files: Mapping[str, bytes], where: str = "table") -> TableModel:
    """The table :func:`table_to_files` wrote, parsed as strictly as a stored model."""
    import json

    arrays = read_npz_bytes(files["arrays.npz"])
    return _table_from_dict(json.loads(files["table.json"]), arrays, where)


def _table_from_dict(t: Mapping[str, Any], arrays: Mapping[str, np.ndarray],
                     where: str) -> TableModel:
    what = f"table {t.get('name')!r} of {where}"
    _strict(t, {"name", "n_rows", "blocks", "columns"}, {"reference"}, what)
    columns = tuple(ColumnModel.from_dict(c, what) for c in t["columns"])
    if "reference" in t:
        reference = Reference.from_dict(t["reference"], what)
        if columns or t["blocks"] or t["n_rows"] != reference.n_rows:
            raise ArtifactError(f"The reference {what} must hold its rows alone (no columns, no "
                                "copula) and as many as its row count. The model is damaged: "
                                "refit it.")
        return TableModel(str(t["name"]), int(t["n_rows"]), (), (), reference)
    _check_conditionals(columns, what)
    blocks = []
    for b in t["blocks"]:
        _strict(b, {"dims", "corr"}, set(), f"a copula block of {what}")
        corr = arrays.get(b["corr"])
        dims = tuple(tuple(d) for d in b["dims"])
        if corr is None or corr.shape != (len(dims), len(dims)) or corr.dtype != np.float64:
            raise ArtifactError(f"Copula array {b['corr']!r} of {what} is missing or malformed.")
        blocks.append(CopulaBlock(dims, corr))
    return TableModel(str(t["name"]), int(t["n_rows"]), columns, tuple(blocks))


def _check_conditionals(columns: tuple[ColumnModel, ...], what: str) -> None:
    """Each conditional names another modelled column, not itself conditional, with its keys."""
    by_name = {c.name: c for c in columns}
    for col in columns:
        if col.given is None:
            continue
        parent = by_name.get(col.given.column)
        rows = len(col.given.probabilities) if isinstance(col.given, Conditional) \
            else len(col.given.quantiles)
        numeric_of_number = isinstance(col.given, NumericConditional) and (
            parent is None or parent.kind not in CATEGORY_KINDS)
        if parent is None or parent is col or parent.given is not None or numeric_of_number \
                or key_count(parent) != rows:
            raise ArtifactError(
                f"Column {col.name!r} of {what} is conditional on {col.given.column!r}, which is "
                "not a categorical or point-mass column of the table with as many keys as the "
                "table has rows. The model is damaged: refit it.")


def _check_lookup(rel: Relationship, parent: TableModel, child: TableModel,
                  fail: Any) -> None:
    """A relationship with a reference table: its parent is one (a reference table points at
    reference tables only), the key is among its columns, and a modelled child holds the
    foreign key as a categorical naming that key."""
    if parent.reference is None:
        raise fail(rel, f"reference table {child.name!r} points at the modelled table "
                        f"{parent.name!r}")
    if rel.parent_key not in parent.reference.columns:
        raise fail(rel, f"column {rel.parent_key!r} is not in reference table {parent.name!r}")
    if child.reference is not None:
        if rel.child_key not in child.reference.columns:
            raise fail(rel, f"column {rel.child_key!r} is not in reference table {child.name!r}")
        return
    names = {c.name: c for c in child.columns}
    col = names.get(rel.child_key)
    if col is None or col.kind != "categorical" or col.details.get("references") != {
            "table": rel.parent, "column": rel.parent_key}:
        raise fail(rel, f"column {rel.child}.{rel.child_key} is not a categorical referencing "
                        f"{rel.parent}.{rel.parent_key}")


def _check_relationships(tables: tuple[TableModel, ...], rels: tuple[Relationship, ...],
                         where: str) -> None:
    """Every relationship names tables and key columns of the model, and the parent holds its
    hidden count column; every hidden column belongs to a relationship."""
    by_name = {t.name: t for t in tables}
    labels = {f"{r.child}.{r.child_key}" for r in rels}

    def fail(rel: Relationship, problem: str) -> ArtifactError:
        return ArtifactError(f"Relationship {rel.label} of {where}: {problem}. The model is "
                             "damaged: refit it.")

    for rel in rels:
        parent, child = by_name.get(rel.parent), by_name.get(rel.child)
        if parent is None or child is None:
            missing = rel.parent if parent is None else rel.child
            raise fail(rel, f"table {missing!r} is not in the model")
        if parent.reference is not None or child.reference is not None:
            _check_lookup(rel, parent, child, fail)
            continue
        for table, name in ((parent, rel.parent_key), (child, rel.child_key)):
            if name not in {c.name for c in table.columns}:
                raise fail(rel, f"column {name!r} is not in table {table.name!r}")
            if table.column(name).kind != "key":
                raise fail(rel, f"column {table.name}.{name} is not a key column")
        refs = child.column(rel.child_key).details.get("references")
        if refs != {"table": rel.parent, "column": rel.parent_key}:
            raise fail(rel, f"column {rel.child}.{rel.child_key} does not reference "
                            f"{rel.parent}.{rel.parent_key}")
        hidden = children_column(rel)
        if hidden not in parent.hidden or parent.column(hidden).kind != "integer":
            raise fail(rel, f"table {rel.parent!r} lacks its children count column")
    for table in tables:
        for col in table.columns:
            if col.details.get("role") == "children" and (
                    col.details.get("relationship") not in labels):
                raise ArtifactError(f"Column {col.name!r} of table {table.name!r} of {where} "
                                    "counts children of no relationship of the model. The "
                                    "model is damaged: refit it.")
