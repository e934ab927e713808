"""Walking the IR: the sub-expressions of an expression, the expressions and nested blocks
of a statement, every call of a scope, and dotted names.

The dataclasses are `analyzer.ir`'s; these helpers read them without changing them and are
reached as `ir.walk_expr` and so on (rule packs use them that way), so `ir` stays the one
module a reader of the IR needs to import.
"""

from __future__ import annotations

from analyzer.ir import (
    Assign,
    Attr,
    Await,
    BinOp,
    BoolOp,
    Call,
    Comp,
    Compare,
    Const,
    Delete,
    Dict,
    Expr,
    ExprStmt,
    For,
    FString,
    If,
    IfExp,
    Lambda,
    Match,
    Name,
    NamedExpr,
    Raise,
    Return,
    Scope,
    Seq,
    Slice,
    Starred,
    Stmt,
    Subscript,
    Try,
    UnaryOp,
    Unknown,
    While,
    With,
    Yield,
)


def iter_child_exprs(e: Expr) -> tuple[Expr, ...]:
    """Direct sub-expressions of `e` (not descending into lambda bodies: those are scopes)."""
    f = _CHILDREN.get(type(e))
    return f(e) if f is not None else _child_exprs(e)


def _child_exprs(e: Expr) -> tuple[Expr, ...]:
    """`iter_child_exprs` for a type `_CHILDREN` does not list by name (a subclass): the
    entry of its nearest listed base, else no children."""
    for klass in type(e).__mro__[1:]:
        f = _CHILDREN.get(klass)
        if f is not None:
            return f(e)
    return ()


def _comp_children(e: Comp) -> tuple[Expr, ...]:
    out: list[Expr] = []
    for g in e.generators:
        out += [g.iter, g.target, *g.ifs]
    if e.key is not None:
        out.append(e.key)
    out.append(e.elt)
    return tuple(out)


# Each expression class's direct children, by exact type: one dict probe instead of a
# chain of isinstance tests, on the path every stage walks most.
_CHILDREN = {
    Name: lambda e: (),
    Const: lambda e: (),
    Lambda: lambda e: (),
    Attr: lambda e: (e.value,),
    Call: lambda e: (e.func, *[a.value for a in e.args]),
    Subscript: lambda e: (e.value, e.index),
    Slice: lambda e: tuple(x for x in (e.lower, e.upper, e.step) if x is not None),
    FString: lambda e: e.parts,
    Seq: lambda e: e.elts,
    Dict: lambda e: (*[k for k in e.keys if k is not None], *e.values),
    Starred: lambda e: (e.value,),
    Await: lambda e: (e.value,),
    BinOp: lambda e: (e.left, e.right),
    BoolOp: lambda e: e.values,
    UnaryOp: lambda e: (e.operand,),
    Compare: lambda e: (e.left, *e.comparators),
    IfExp: lambda e: (e.test, e.body, e.orelse),
    Comp: _comp_children,
    Yield: lambda e: () if e.value is None else (e.value,),
    NamedExpr: lambda e: (e.target, e.value),
    Unknown: lambda e: e.children,
}


def walk_expr(e: Expr):
    """All expressions in `e`, pre-order, `e` first."""
    stack = [e]
    pop, push, extend = stack.pop, stack.append, stack.extend
    children = _CHILDREN.get
    while stack:
        cur = pop()
        yield cur
        f = children(type(cur))
        kids = f(cur) if f is not None else _child_exprs(cur)
        if len(kids) == 1:
            push(kids[0])
        elif kids:
            extend(reversed(kids))


def stmt_exprs(s: Stmt) -> tuple[Expr, ...]:
    """The expressions a statement evaluates itself (not those of nested blocks)."""
    if isinstance(s, Assign):
        out = list(s.targets)
        if s.value is not None:
            out.append(s.value)
        if s.annotation is not None:
            out.append(s.annotation)
        return tuple(out)
    if isinstance(s, (ExprStmt,)):
        return (s.value,)
    if isinstance(s, Return):
        return () if s.value is None else (s.value,)
    if isinstance(s, (If, While)):
        return (s.test,)
    if isinstance(s, For):
        return (s.target, s.iter)
    if isinstance(s, With):
        out = []
        for it in s.items:
            out.append(it.context)
            if it.target is not None:
                out.append(it.target)
        return tuple(out)
    if isinstance(s, Try):
        return tuple(h.type for h in s.handlers if h.type is not None)
    if isinstance(s, Match):
        out = [s.subject]
        for c in s.cases:
            out += list(c.values)
            if c.guard is not None:
                out.append(c.guard)
        return tuple(out)
    if isinstance(s, Raise):
        return tuple(x for x in (s.exc, s.cause) if x is not None)
    if isinstance(s, Delete):
        return s.targets
    return ()


def child_blocks(s: Stmt) -> tuple[tuple[Stmt, ...], ...]:
    """The nested statement blocks of `s`, in source order."""
    if isinstance(s, (If, While, For)):
        return (s.body, s.orelse)
    if isinstance(s, With):
        return (s.body,)
    if isinstance(s, Try):
        return (s.body, *(h.body for h in s.handlers), s.orelse, s.finalbody)
    if isinstance(s, Match):
        return tuple(c.body for c in s.cases)
    return ()


def walk_stmts(body: tuple[Stmt, ...]):
    """Every statement in `body`, nested blocks included, pre-order (not into Define)."""
    stack = list(reversed(body))
    while stack:
        s = stack.pop()
        yield s
        for block in reversed(child_blocks(s)):
            stack.extend(reversed(block))


# Calls of the scopes asked about, by scope identity: every stage asks for the same
# scopes' calls (langgraph: 100,000 asks for 10,000 scopes). The scope is kept in its entry,
# so an id is never reused while the entry lives.
_SCOPE_CALLS: dict[int, tuple[Scope, tuple[Call, ...]]] = {}
_SCOPE_CALLS_SIZE = 200_000


def scope_calls(scope: Scope) -> tuple[Call, ...]:
    """Every Call evaluated directly in the scope (decorators and defaults excluded)."""
    hit = _SCOPE_CALLS.get(id(scope))
    if hit is not None and hit[0] is scope:
        return hit[1]
    calls = tuple(
        sub
        for s in walk_stmts(scope.body)
        for e in stmt_exprs(s)
        for sub in walk_expr(e)
        if isinstance(sub, Call)
    )
    if len(_SCOPE_CALLS) >= _SCOPE_CALLS_SIZE:
        _SCOPE_CALLS.clear()
    _SCOPE_CALLS[id(scope)] = (scope, calls)
    return calls


def forget_scope_calls() -> None:
    """Drop the memo of `scope_calls` (and the scopes it keeps alive): called when an
    analysis ends, so a process analysing many projects holds none of the last one."""
    _SCOPE_CALLS.clear()


def dotted(e: Expr) -> str | None:
    """`a.b.c` for a Name/Attr chain, else None."""
    parts: list[str] = []
    while isinstance(e, Attr):
        parts.append(e.attr)
        e = e.value
    if isinstance(e, Name):
        parts.append(e.id)
        return ".".join(reversed(parts))
    return None


def reads_member(e: Expr, names: frozenset[str]) -> bool:
    """`e` reads a field named in `names`, as an attribute (`msg.tool_calls`) or a literal
    key (`msg["tool_calls"]`): how SDK response fields are read either way."""
    for x in walk_expr(e):
        if isinstance(x, Attr) and x.attr in names:
            return True
        if isinstance(x, Subscript) and isinstance(x.index, Const) and x.index.value in names:
            return True
    return False


def receiver_chain(e: Expr) -> tuple[Expr, tuple[str, ...]]:
    """Split `x.a.b` into (`x`, ("a", "b")); `x` is the innermost non-attribute expression."""
    attrs: list[str] = []
    while isinstance(e, Attr):
        attrs.append(e.attr)
        e = e.value
    return e, tuple(reversed(attrs))
