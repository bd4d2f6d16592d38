"""The text of the interposer: an outer component that imports what the guest imports, wraps each
traced function (see `corewrap`), hands the guest per-interface shim instances holding the wrappers, and
re-exports the guest's exports. The guest itself is an empty placeholder here, replaced by its bytes
after assembly (see `assemble`), so a large guest is never printed or parsed as text.
"""

from __future__ import annotations

from wasi_playground.core.trace.component import corewrap
from wasi_playground.core.trace.component.model import NAMED_KINDS, Ty
from wasi_playground.core.trace.component.plan import Func, Interface, Plan
from wasi_playground.core.trace.component.wittext import Scope

RECORDER = "trace-recorder"
RUN_INTERFACE = "wasi:cli/run@"
CLOCK_INTERFACE = "wasi:clocks/monotonic-clock@"
PLACEHOLDER = "(component $guest)"


def outer_text(plan: Plan) -> str:
    lines: list[str] = ["(component $outer"]
    outer = Scope()
    resource_ids: dict[str, str] = {}
    for k, iface in enumerate(plan.interfaces):
        lines += _import(k, iface, resource_ids, outer)
    lines += _clock(plan)
    traced = [f for f in plan.funcs if not f.untraced]
    lines.append(f'(import "{RECORDER}" (instance $rec (export "config" (func (result string)))'
                 ' (export "flush" (func (param "records" string) (param "memory" string)'
                 ' (param "start" u32)))))')
    wrapper = corewrap.WrapperModule(len(plan.funcs))
    drop_ids = {key: f"$drop{n}" for n, key in enumerate(resource_ids)}
    for func in traced:
        wrapper.add(func, drop_ids)
    lines += [corewrap.memory_module(wrapper.heap_base), "(core instance $mem (instantiate $memory))",
              '(alias core export $mem "memory" (core memory $m))',
              '(alias core export $mem "realloc" (core func $realloc))',
              "(core func $now (canon lower (func $clock-now)))",
              '(alias export $rec "config" (func $config-f))',
              "(core func $config (canon lower (func $config-f) (memory $m) (realloc $realloc)))",
              '(alias export $rec "flush" (func $flush-f))',
              "(core func $flush (canon lower (func $flush-f) (memory $m) string-encoding=latin1+utf16))"]
    host_exports = ['(export "now" (func $now))', '(export "config" (func $config))',
                    '(export "flush" (func $flush))']
    for func in traced:
        j, k = func.index, plan.interfaces.index(_iface_of(plan, func))
        lines += [f'(alias export $i{k} "{func.name}" (func $h{j}))',
                  f"(core func $low{j} (canon lower (func $h{j}) (memory $m) (realloc $realloc)))"]
        host_exports.append(f'(export "low{j}" (func $low{j}))')
    drop_imports = []
    for key in sorted(wrapper.drops):
        n = drop_ids[key][5:]
        lines.append(f"(core func $cdrop{n} (canon resource.drop {resource_ids[key]}))")
        host_exports.append(f'(export "drop{n}" (func $cdrop{n}))')
        drop_imports.append(f'(import "h" "drop{n}" (func $drop{n} (param i32)))')
    lines += [wrapper.text(drop_imports), "(core instance $h " + " ".join(host_exports) + ")",
              '(core instance $w (instantiate $wrapper (with "m" (instance $mem)) (with "h" (instance $h))))']
    lines += [f'(alias core export $w "pr-{r}" (core func $pr-{r}))' for r in corewrap.POST_RETURNS]
    for func in traced:
        j = func.index
        results = corewrap.lift_results(func)
        post_return = f"$pr-{results[0] if results else 'none'}"
        lines += [f"(type $ft{j} {outer.func(func.params, func.result)})",
                  f'(alias core export $w "w{j}" (core func $cw{j}))',
                  f"(func $lift{j} (type $ft{j}) (canon lift (core func $cw{j}) (memory $m) "
                  f"(realloc $realloc) (post-return (core func {post_return}))))"]
    for k, iface in enumerate(plan.interfaces):
        lines += _shim(k, iface, resource_ids, outer)
    lines.append(PLACEHOLDER)
    withs = " ".join(f'(with "{iface.name}" (instance $wrapped{k}))'
                     for k, iface in enumerate(plan.interfaces))
    lines.append(f"(instance $g (instantiate $guest {withs}))")
    for e, (export, kind) in enumerate(plan.exports):
        if export.startswith(RUN_INTERFACE) and kind == "instance":
            lines += _run_export(export)
        else:
            lines += [f'(alias export $g "{export}" ({kind} $ge{e}))', f'(export "{export}" ({kind} $ge{e}))']
    return "\n  ".join(lines) + ")\n"


def _clock(plan: Plan) -> list[str]:
    """`$clock-now`: wasmtime's monotonic clock, for the records' times (never traced, never denied)."""
    for k, iface in enumerate(plan.interfaces):
        if iface.name.startswith(CLOCK_INTERFACE):
            return [f'(alias export $i{k} "now" (func $clock-now))']
    return [f'(import "{CLOCK_INTERFACE}0.2.0" (instance $clock (export "now" (func (result u64)))))',
            '(alias export $clock "now" (func $clock-now))']


def _run_export(name: str) -> list[str]:
    """`wasi:cli/run` through a small component that flushes the ring when `run` returns (a component of
    its own, because the outer component may not be re-entered while its own code is on the stack)."""
    return [
        '(alias core export $w "flush-all" (core func $flush-all))',
        "(func $flush-lifted (canon lift (core func $flush-all)))",
        f'(alias export $g "{name}" (instance $guest-run))',
        '(alias export $guest-run "run" (func $guest-run-f))',
        """(component $runner
    (import "run" (func $run (result (result))))
    (import "flush" (func $flush))
    (core func $run-low (canon lower (func $run)))
    (core func $flush-low (canon lower (func $flush)))
    (core module $m
      (import "g" "run" (func $run (result i32)))
      (import "g" "flush" (func $flush))
      (func (export "run") (result i32) (local i32) (local.set 0 (call $run)) (call $flush) (local.get 0)))
    (core instance $i (instantiate $m (with "g" (instance (export "run" (func $run-low))
                                                        (export "flush" (func $flush-low))))))
    (alias core export $i "run" (core func $run-core))
    (func $r (result (result)) (canon lift (core func $run-core)))
    (export "run" (func $r)))""",
        "(instance $runner-i (instantiate $runner (with \"run\" (func $guest-run-f)) "
        "(with \"flush\" (func $flush-lifted))))",
        '(alias export $runner-i "run" (func $run-f))',
        '(instance $run-instance (export "run" (func $run-f)))',
        f'(export "{name}" (instance $run-instance))']


def _iface_of(plan: Plan, func: Func) -> Interface:
    return next(i for i in plan.interfaces if func in i.funcs)


def nested_named(iface: Interface) -> list[Ty]:
    """Records, variants, enums and flags the interface's types and functions use without exporting
    them (the parts of a type it `use`s from another interface), innermost first."""
    own = {ty for _, ty in iface.types}
    found: list[Ty] = []

    def walk(ty: Ty | None) -> None:
        if ty is None:
            return
        for _, inner in ty.items:
            walk(inner)
        if ty.kind in NAMED_KINDS and ty not in own and ty not in found:
            found.append(ty)

    for _, ty in iface.types:
        for _, inner in ty.items:
            walk(inner)
    for func in iface.funcs:
        for _, ty in func.params:
            walk(ty)
        walk(func.result)
    return found


def _import(k: int, iface: Interface, resource_ids: dict[str, str], outer: Scope) -> list[str]:
    local = Scope()
    body: list[str] = []
    for n, (name, key) in enumerate(iface.resources):
        if key in resource_ids:
            body += [f"(alias outer $outer {resource_ids[key]} (type $a{n}))",
                     f'(export "{name}" (type $r{n} (eq $a{n})))']
        else:
            body.append(f'(export "{name}" (type $r{n} (sub resource)))')
        local.resources[key] = f"$r{n}"
    for c, ty in enumerate(t for t in nested_named(iface) if t in outer.named):
        body.append(f"(alias outer $outer {outer.named[ty]} (type $n{c}))")
        local.named[ty] = f"$n{c}"
    for m, (name, ty) in enumerate(iface.types):
        body += [f"(type $d{m} {local.render(ty, expand=True)})",
                 f'(export "{name}" (type $t{m} (eq $d{m})))']
        local.named.setdefault(ty, f"$t{m}")
    for func in iface.funcs:
        body += [f"(type $f{func.index} {local.func(func.params, func.result)})",
                 f'(export "{func.name}" (func (type $f{func.index})))']
    if iface.name.startswith(CLOCK_INTERFACE) and not any(f.name == "now" for f in iface.funcs):
        body.append('(export "now" (func (result u64)))')  # for the records' times
    lines = [f'(import "{iface.name}" (instance $i{k}\n    ' + "\n    ".join(body) + "))"]
    for name, key in iface.resources:
        if key not in resource_ids:
            resource_ids[key] = f"$R{len(resource_ids)}"
            lines.append(f'(alias export $i{k} "{name}" (type {resource_ids[key]}))')
        outer.resources.setdefault(key, resource_ids[key])
    for m, (name, ty) in enumerate(iface.types):
        if ty not in outer.named:
            lines.append(f'(alias export $i{k} "{name}" (type $o{k}x{m}))')
            outer.named[ty] = f"$o{k}x{m}"
    return lines


def _shim(k: int, iface: Interface, resource_ids: dict[str, str], outer: Scope) -> list[str]:
    inner, exported = Scope(), Scope()
    body: list[str] = []
    withs: list[str] = []
    for n, (_name, key) in enumerate(iface.resources):
        body.append(f'(import "r{n}" (type $sr{n} (sub resource)))')
        inner.resources[key] = f"$sr{n}"
        withs.append(f'(with "r{n}" (type {resource_ids[key]}))')
    for c, ty in enumerate(t for t in nested_named(iface) if t in outer.named):
        body += [f"(type $snd{c} {inner.render(ty, expand=True)})",
                 f'(import "n{c}" (type $sn{c} (eq $snd{c})))']
        inner.named[ty] = exported.named[ty] = f"$sn{c}"
        withs.append(f'(with "n{c}" (type {outer.named[ty]}))')
    for m, (_name, ty) in enumerate(iface.types):
        body += [f"(type $sd{m} {inner.render(ty, expand=True)})",
                 f'(import "t{m}" (type $st{m} (eq $sd{m})))']
        inner.named.setdefault(ty, f"$st{m}")
        withs.append(f'(with "t{m}" (type {outer.named[ty]}))')
    for func in iface.funcs:
        j = func.index
        body += [f"(type $sft{j} {inner.func(func.params, func.result)})",
                 f'(import "f{j}" (func $sf{j} (type $sft{j})))']
        withs.append(f'(with "f{j}" (func {"$h" if func.untraced else "$lift"}{j}))')
    for n, (name, key) in enumerate(iface.resources):
        body.append(f'(export $er{n} "{name}" (type $sr{n}))')
        exported.resources[key] = f"$er{n}"
    for m, (name, ty) in enumerate(iface.types):
        body.append(f'(export $et{m} "{name}" (type $st{m}))')
        exported.named.setdefault(ty, f"$et{m}")
    for func in iface.funcs:
        j = func.index
        body += [f"(type $eft{j} {exported.func(func.params, func.result)})",
                 f'(export "{func.name}" (func $sf{j}) (func (type $eft{j})))']
    lines = [f"(component $shim{k}\n    " + "\n    ".join(body) + ")"]
    untraced = [f'(alias export $i{k} "{f.name}" (func $h{f.index}))' for f in iface.funcs if f.untraced]
    return lines + untraced + [f"(instance $wrapped{k} (instantiate $shim{k} {' '.join(withs)}))"]
