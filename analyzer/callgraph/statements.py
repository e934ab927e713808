"""Statements and names: running a scope body in order (blocks, branches and their join,
loops, `try`, `with`, `match`, `raise`, `return`) and binding what it assigns.

Local names are flow-sensitive in the `Frame` (a later assignment replaces an earlier one,
branches join) and summarised in `State` under the scope that owns them (`global` and
`nonlocal` honoured); attribute, item, tuple and starred targets are written through.
`lookup` resolves a name as Python does: local, enclosing functions, module, builtins,
then the star imports of outside modules.
"""

from __future__ import annotations

from analyzer import ir
from analyzer.callgraph import values as V
from analyzer.callgraph.core import EMPTY, Frame, _locstr
from analyzer.callgraph.names import BUILTIN_NAMES


class StatementsMixin:
    """Runs statements and binds names, attributes, items and destructured targets."""

    # ------------------------------------------------------------------ statements

    def block(self, fr: Frame, body: tuple[ir.Stmt, ...]) -> None:
        for s in body:
            self.stmt(fr, s)

    def stmt(self, fr: Frame, s: ir.Stmt) -> None:
        if isinstance(s, ir.ExprStmt):
            self.ev(fr, s.value)
        elif isinstance(s, ir.Assign):
            self.assign_stmt(fr, s)
        elif isinstance(s, ir.Return):
            if s.value is not None:
                vals = self.ev(fr, s.value)
                if fr.fid is not None:
                    self.state.add(("r", fr.fid), vals)
        elif isinstance(s, ir.Define):
            self.define(fr, s.scope)
        elif isinstance(s, ir.ImportStmt):
            for i in s.bindings:
                self.bind_import(fr, fr.facts.imports[i])
        elif isinstance(s, ir.If):
            self.ev(fr, s.test)
            self.branches(fr, [s.body, s.orelse])
        elif isinstance(s, ir.While):
            self.ev(fr, s.test)
            self.loop(fr, lambda: self.block(fr, s.body))
            self.block(fr, s.orelse)
        elif isinstance(s, ir.For):
            els = self.elements(fr, self.ev(fr, s.iter), s.is_async)

            def body() -> None:
                self.assign(fr, s.target, els, None)
                self.block(fr, s.body)

            self.loop(fr, body)
            self.block(fr, s.orelse)
        elif isinstance(s, ir.With):
            for item in s.items:
                vals = self.ev(fr, item.context)
                entered = self.enter(fr, vals, s.is_async, item.context)
                if item.target is not None:
                    self.assign(fr, item.target, entered, None)
            self.block(fr, s.body)
        elif isinstance(s, ir.Try):
            self.try_stmt(fr, s)
        elif isinstance(s, ir.Match):
            subj = self.ev(fr, s.subject)
            blocks = []
            for c in s.cases:
                for v in c.values:
                    self.ev(fr, v)
                for name in c.captures:
                    self.bind_name(fr, name, subj)
                if c.guard is not None:
                    self.ev(fr, c.guard)
                blocks.append(c.body)
            if not any(c.is_wildcard for c in s.cases):
                blocks.append(())
            self.branches(fr, blocks)
        elif isinstance(s, ir.Raise):
            if s.exc is not None:
                vals = self.ev(fr, s.exc)
                if not isinstance(s.exc, ir.Call):
                    for v in sorted(vals, key=V.sort_key):
                        if v[0] == "cls":
                            self.construct(fr, v[1], [], {}, None, None, self.site(fr, None, s.loc))
            if s.cause is not None:
                self.ev(fr, s.cause)
        elif isinstance(s, ir.Delete):
            for t in s.targets:
                if not isinstance(t, ir.Name):
                    self.ev(fr, t)

    def branches(self, fr: Frame, blocks: list[tuple[ir.Stmt, ...]]) -> None:
        start_env, start_dyn = dict(fr.env), dict(fr.dyn)
        envs, dyns = [], []
        for b in blocks:
            fr.env, fr.dyn = dict(start_env), dict(start_dyn)
            self.block(fr, b)
            envs.append(fr.env)
            dyns.append(fr.dyn)
        fr.env = _join(envs)
        fr.dyn = {}
        for d in dyns:
            fr.dyn.update(d)

    def loop(self, fr: Frame, run) -> None:
        before = dict(fr.env)
        fr.depth += 1
        run()
        if fr.depth <= self.opt.loop_depth:
            fr.env = _join([before, fr.env])
            run()
        fr.env = _join([before, fr.env])
        fr.depth -= 1

    def try_stmt(self, fr: Frame, s: ir.Try) -> None:
        start = dict(fr.env)
        self.block(fr, s.body)
        after_body = dict(fr.env)
        self.block(fr, s.orelse)
        outs = [fr.env]
        for h in s.handlers:
            fr.env = _join([start, after_body])
            if h.type is not None:
                types = self.ev(fr, h.type)
                if h.name:
                    insts = set()
                    for v in types:
                        if v[0] == "cls":
                            insts.add(("inst", v[1]))
                        elif v[0] == "ext":
                            insts.add(("ext", v[1], "inst"))
                        elif v[0] == "obj":
                            for t in self.all_items(v):
                                if t[0] == "cls":
                                    insts.add(("inst", t[1]))
                    self.bind_name(fr, h.name, frozenset(insts))
            self.block(fr, h.body)
            outs.append(fr.env)
        fr.env = _join(outs)
        self.block(fr, s.finalbody)

    def assign_stmt(self, fr: Frame, s: ir.Assign) -> None:
        if s.value is None:
            if s.annotation is not None and len(s.targets) == 1:
                types = self.types(fr, s.annotation)
                t = s.targets[0]
                if isinstance(t, ir.Name) and fr.scope.kind == "class":
                    # A declared field (dataclass, pydantic, plain annotation): instances hold it.
                    self.state.add(("f", ("inst", fr.node), t.id), types)
                    self.state.add(("fk", ("inst", fr.node)), {("k", t.id)})
                elif types:
                    self.assign(fr, t, types, None)
            return
        vals = self.ev(fr, s.value)
        if s.annotation is not None:
            vals = vals | self.types(fr, s.annotation)
        if s.op is not None:
            for t in s.targets:
                if isinstance(t, ir.Name):
                    vals = vals | self.lookup(fr, t.id)
                    break
            if s.op == "|":
                vals = vals | self.compose(fr, "|", self.ev(fr, s.targets[0]), vals)
        for t in s.targets:
            self.assign(fr, t, vals, s.value, weak=s.op is not None)

    # ------------------------------------------------------------------ binding

    def name_skey(self, fr: Frame, name: str) -> str:
        if name in self.global_decl[fr.node]:
            return self.gkey(fr.facts.path)
        if name in self.nonlocal_decl[fr.node]:
            p = self.parent.get(fr.node)
            while p is not None:
                ps = self.scopes[p][1]
                if ps.kind in ("function", "lambda") and name in self.locals[p]:
                    return p
                p = self.parent.get(p)
        return fr.skey

    def bind_name(self, fr: Frame, name: str, vals: frozenset, weak: bool = False) -> None:
        if weak and name in fr.env:
            vals = vals | fr.env[name]
        fr.env[name] = vals
        fr.dyn.pop(name, None)
        skey = self.name_skey(fr, name)
        self.state.add(("v", skey, name), vals)
        if skey.endswith("::<module>"):
            self.state.add(("names", skey), {("k", name)})

    def assign(
        self,
        fr: Frame,
        target: ir.Expr,
        vals: frozenset,
        rhs: ir.Expr | None,
        weak: bool = False,
    ) -> None:
        if isinstance(target, ir.Name):
            self.bind_name(fr, target.id, vals, weak)
            if rhs is not None:
                key = self.lookup_key(fr, rhs)
                if key is not None:
                    fr.dyn[target.id] = key
        elif isinstance(target, ir.Attr):
            for o in self.ev(fr, target.value):
                self.set_attr(o, target.attr, vals)
        elif isinstance(target, ir.Subscript):
            objs = self.ev(fr, target.value)
            keys = self.ev(fr, target.index)
            for o in objs:
                if o[0] == "obj":
                    self.write_item(o, keys, vals, fr)
        elif isinstance(target, ir.Seq):
            self.destructure(fr, target.elts, vals)
        elif isinstance(target, ir.Starred):
            self.assign(fr, target.value, vals, None)

    def destructure(self, fr: Frame, targets: tuple[ir.Expr, ...], vals: frozenset) -> None:
        star = next((i for i, t in enumerate(targets) if isinstance(t, ir.Starred)), None)
        n = len(targets)
        parts: list[set] = [set() for _ in targets]
        for o in vals:
            if o[0] == "obj":
                fields = self.fields(o)
                idx = [int(f[5:]) for f in fields if f.startswith("#int:")]
                length = max(idx) + 1 if idx else 0
                rest = self.state.get(("f", o, "#*"))
                for i in range(n):
                    if star is not None and i == star:
                        for j in range(i, max(i, length - (n - 1 - i))):
                            parts[i] |= self.state.get(("f", o, f"#int:{j}"))
                        parts[i] |= rest
                        continue
                    j = i if star is None or i < star else length - (n - i)
                    parts[i] |= self.state.get(("f", o, f"#int:{j}")) | rest
            elif o[0] == "ext":
                for i in range(n):
                    parts[i].add(("ext", o[1], "result"))
            else:
                els = self.elements(fr, frozenset([o]), False)
                for i in range(n):
                    parts[i] |= els
        for i, t in enumerate(targets):
            if star is not None and i == star:
                site = ("obj", f"{fr.node}:star:{_locstr(t)}", "list")
                self.state.add(("f", site, "#*"), parts[i])
                self.state.add(("fk", site), {("k", "#*")})
                self.assign(
                    fr, t.value if isinstance(t, ir.Starred) else t, frozenset([site]), None
                )
            else:
                self.assign(fr, t, frozenset(parts[i]), None)

    # ------------------------------------------------------------------ names

    def lookup(self, fr: Frame, name: str) -> frozenset:
        hit = fr.env.get(name)
        if hit is not None:
            return hit
        node = fr.node
        path = fr.facts.path
        if name in self.locals[node] and name not in self.global_decl[node]:
            if name not in self.nonlocal_decl[node]:
                return self.state.get(("v", fr.skey, name))
        p = self.parent.get(node)
        while p is not None:
            ps = self.scopes[p][1]
            if ps.kind == "module":
                break
            if ps.kind != "class" and name in self.locals[p]:
                return self.state.get(("v", p, name))
            p = self.parent.get(p)
        g = self.state.get(("v", self.gkey(path), name))
        if g or name in self.module_names[path]:
            return g
        if name in BUILTIN_NAMES:
            return frozenset([("bi", name)])
        stars = self.star_ext.get(path)
        if stars:
            return frozenset([("ext", f"{stars[0]}.{name}", "path")])
        return EMPTY


def _join(envs: list[dict[str, frozenset]]) -> dict[str, frozenset]:
    if len(envs) == 1:
        return dict(envs[0])
    out: dict[str, frozenset] = {}
    for env in envs:
        for k, v in env.items():
            old = out.get(k)
            out[k] = v if old is None else old | v
    return out
