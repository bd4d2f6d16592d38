"""Component-model text for value and function types, written against a scope of named types.

The component model wants the records, variants, enums, flags and resources that appear in an import or
export to be named there (exported by the instance type, or imported); `Scope` remembers which local
ids name which types so the text refers to them instead of spelling them out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wasi_playground.core.trace.component.model import NAMED_KINDS, PRIMITIVE_KINDS, Ty


@dataclass
class Scope:
    named: dict[Ty, str] = field(default_factory=dict)
    resources: dict[str, str] = field(default_factory=dict)

    def render(self, ty: Ty, expand: bool = False) -> str:
        kind = ty.kind
        if kind in PRIMITIVE_KINDS:
            return kind
        if not expand and ty in self.named:
            return self.named[ty]
        if kind in ("own", "borrow"):
            return f"({kind} {self.resources[ty.resource]})"
        if kind == "list":
            return f"(list {self.render(ty.element)})"
        if kind == "tuple":
            return "(tuple " + " ".join(self.render(t) for _, t in ty.items if t is not None) + ")"
        if kind == "record":
            return "(record " + " ".join(f'(field "{n}" {self.render(t)})' for n, t in ty.items
                                         if t is not None) + ")"
        if kind == "variant":
            return "(variant " + " ".join(
                f'(case "{n}")' if t is None else f'(case "{n}" {self.render(t)})' for n, t in ty.items) + ")"
        if kind in ("enum", "flags"):
            return f"({kind} " + " ".join(f'"{n}"' for n, _ in ty.items) + ")"
        if kind == "option":
            return f"(option {self.render(ty.items[1][1])})"  # type: ignore[arg-type]
        ok, err = ty.items[0][1], ty.items[1][1]
        parts = ["result"] + ([self.render(ok)] if ok is not None else [])
        parts += [f"(error {self.render(err)})"] if err is not None else []
        return "(" + " ".join(parts) + ")"

    def func(self, params: tuple[tuple[str, Ty], ...] | list[tuple[str, Ty]], result: Ty | None) -> str:
        text = "(func" + "".join(f' (param "{n}" {self.render(t)})' for n, t in params)
        return text + (f" (result {self.render(result)})" if result is not None else "") + ")"

    def declare(self, ty: Ty, lines: list[str], prefix: str) -> None:
        """Name `ty` and every named-kind type inside it that has no name yet (for the recorder import)."""
        for _, inner in ty.items:
            if inner is not None:
                self.declare(inner, lines, prefix)
        if ty.kind in NAMED_KINDS and ty not in self.named:
            n = len(self.named)
            lines.append(f"(type $d{prefix}{n} {self.render(ty, expand=True)})")
            lines.append(f'(export "t{n}" (type $e{prefix}{n} (eq $d{prefix}{n})))')
            self.named[ty] = f"$e{prefix}{n}"
