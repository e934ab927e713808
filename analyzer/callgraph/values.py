"""Abstract values of the points-to analysis: small tuples of strings, hashable and sortable.

A value set is a frozenset of these. Keeping them plain tuples (not classes) makes the
fixpoint cheap and the output deterministic (sets are sorted by `repr` where order matters).

    ("fn", node_id)               a function or lambda of the project
    ("bm", node_id, recv)         a method bound to a receiver value
    ("cls", node_id)              a class of the project
    ("inst", node_id)             an instance of a project class (one per class)
    ("mod", module)               a project module (or namespace package)
    ("ext", qualname, kind)       something outside the project; kind says how it was reached:
                                  "path" (imported name or its attribute), "inst" (made by
                                  calling a path), "member" (attribute of an instance),
                                  "result" (returned by calling a member), "rmember"
    ("bi", name)                  a builtin function or class
    ("obj", site, kind)           a container made at `site` (dict/list/tuple/set/args/kwargs)
    ("gen", node_id)              the generator a generator function returns
    ("const", type, text)         a str/int/bool literal (keys of dicts and lists)
    ("super", class_id, recv)     `super()` inside a method of class_id
    ("globals", module)           `globals()` of a module
"""

from __future__ import annotations

Value = tuple
Values = frozenset

EMPTY: frozenset = frozenset()


def const(value: object) -> Value | None:
    """The abstract constant for a literal usable as a key, or None."""
    if isinstance(value, bool):
        return ("const", "bool", str(value))
    if isinstance(value, int):
        return ("const", "int", str(value))
    if isinstance(value, str):
        return ("const", "str", value)
    return None


def is_const(v: Value) -> bool:
    return v[0] == "const"


def is_callable(v: Value) -> bool:
    """Values that run project code when called (passed as callbacks)."""
    return v[0] in ("fn", "bm")


def ext_name(v: Value) -> str | None:
    return v[1] if v[0] == "ext" else None


def sort_key(v: Value) -> str:
    return repr(v)


def type_names(vals: frozenset) -> frozenset[str]:
    """What a value set may hold, as types: class node ids or external qualnames."""
    out = set()
    for v in vals:
        if v[0] == "inst" or (v[0] == "ext" and v[2] != "path") or v[0] == "ext":
            out.add(v[1])
    return frozenset(out)
