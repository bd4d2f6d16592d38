"""The text of the interposer: an outer component that imports what the guest imports, wraps each
traced function (see `corewrap`), hands the guest per-interface shim instances holding the wrappers, and
re-exports the guest's exports. The guest itself is an empty placeholder here, replaced by its bytes
after assembly (see `assemble`), so a large guest is never printed or parsed as text.
"""

from __future__ import annotations

from wasi_playground.core.trace.component import corewrap
from wasi_playground.core.trace.component.model import Ty
from wasi_playground.core.trace.component.plan import Func, Interface, Plan
from wasi_playground.core.trace.component.wittext import Scope

RECORDER = "trace-recorder"
PLACEHOLDER = "(component $guest)"


def outer_text(plan: Plan) -> str:
    lines: list[str] = ["(component $outer"]
    outer = Scope()
    resource_ids: dict[str, str] = {}
    for k, iface in enumerate(plan.interfaces):
        lines += _import(k, iface, resource_ids, outer)
    traced = [f for f in plan.funcs if not f.untraced]
    lines += _recorder(traced)
    wrapper = corewrap.WrapperModule()
    drop_ids = {key: f"$drop{n}" for n, key in enumerate(resource_ids)}
    for func in traced:
        wrapper.add(func, drop_ids)
    lines += [corewrap.memory_module(wrapper.heap_base), "(core instance $mem (instantiate $memory))",
              '(alias core export $mem "memory" (core memory $m))',
              '(alias core export $mem "realloc" (core func $realloc))']
    host_exports: list[str] = []
    for func in traced:
        j, k = func.index, plan.interfaces.index(_iface_of(plan, func))
        lines += [f'(alias export $i{k} "{func.name}" (func $h{j}))',
                  f"(core func $low{j} (canon lower (func $h{j}) (memory $m) (realloc $realloc)))",
                  f'(alias export $rec "pre{j}" (func $prf{j}))',
                  f"(core func $pre{j} (canon lower (func $prf{j}) (memory $m) (realloc $realloc)))",
                  f'(alias export $rec "post{j}" (func $pof{j}))',
                  f"(core func $post{j} (canon lower (func $pof{j}) (memory $m) (realloc $realloc)))"]
        host_exports += [f'(export "{name}{j}" (func ${name}{j}))' for name in ("low", "pre", "post")]
    drop_imports = []
    for key in sorted(wrapper.drops):
        n = drop_ids[key][5:]
        lines.append(f"(core func $cdrop{n} (canon resource.drop {resource_ids[key]}))")
        host_exports.append(f'(export "drop{n}" (func $cdrop{n}))')
        drop_imports.append(f'(import "h" "drop{n}" (func $drop{n} (param i32)))')
    lines += [wrapper.text(drop_imports), "(core instance $h " + " ".join(host_exports) + ")",
              '(core instance $w (instantiate $wrapper (with "m" (instance $mem)) (with "h" (instance $h))))']
    lines += [f'(alias core export $w "pr-{r}" (core func $pr-{r}))' for r in ("none", "i32", "i64", "f32", "f64")]
    for func in traced:
        j = func.index
        post_return = corewrap.lift_results(func)
        lines += [f"(type $ft{j} {outer.func(func.params, func.result)})",
                  f'(alias core export $w "w{j}" (core func $cw{j}))',
                  f"(func $lift{j} (type $ft{j}) (canon lift (core func $cw{j}) (memory $m) (realloc $realloc) "
                  f"(post-return (core func $pr-{post_return[0] if post_return else 'none'}))))"]
    for k, iface in enumerate(plan.interfaces):
        lines += _shim(k, iface, resource_ids, outer)
    lines.append(PLACEHOLDER)
    withs = " ".join(f'(with "{iface.name}" (instance $wrapped{k}))' for k, iface in enumerate(plan.interfaces))
    lines.append(f"(instance $g (instantiate $guest {withs}))")
    for n, (name, kind) in enumerate(plan.exports):
        lines += [f'(alias export $g "{name}" ({kind} $ge{n}))', f'(export "{name}" ({kind} $ge{n}))']
    return "\n  ".join(lines) + ")\n"


def _iface_of(plan: Plan, func: Func) -> Interface:
    return next(i for i in plan.interfaces if func in i.funcs)


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
    for m, (name, ty) in enumerate(iface.types):
        body += [f"(type $d{m} {local.render(ty, expand=True)})", f'(export "{name}" (type $t{m} (eq $d{m})))']
        local.named.setdefault(ty, f"$t{m}")
    for func in iface.funcs:
        body += [f"(type $f{func.index} {local.func(func.params, func.result)})",
                 f'(export "{func.name}" (func (type $f{func.index})))']
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


def _recorder(traced: list[Func]) -> list[str]:
    scope = Scope()
    body: list[str] = []
    for func in traced:
        params = [(n, t.without_resources()) for n, t in func.params]
        post: list[tuple[str, Ty]] = []
        if func.result is not None:
            post.append(("result", func.result.without_resources()))
            if corewrap.result_mode(func) == "ret" and corewrap.post_padding(func.result):
                post.append(("pad", Ty("tuple", tuple(("", Ty("u8"))
                                                       for _ in range(corewrap.post_padding(func.result))))))
        for _, ty in params + post:
            scope.declare(ty, body, "")
        body += [f'(export "pre{func.index}" {scope.func(params, Ty("u32"))})',
                 f'(export "post{func.index}" {scope.func(post, None)})']
    return [f'(import "{RECORDER}" (instance $rec\n    ' + "\n    ".join(body) + "))"]


def _shim(k: int, iface: Interface, resource_ids: dict[str, str], outer: Scope) -> list[str]:
    inner, exported = Scope(), Scope()
    body: list[str] = []
    withs: list[str] = []
    for n, (_name, key) in enumerate(iface.resources):
        body.append(f'(import "r{n}" (type $sr{n} (sub resource)))')
        inner.resources[key] = f"$sr{n}"
        withs.append(f'(with "r{n}" (type {resource_ids[key]}))')
    for m, (_name, ty) in enumerate(iface.types):
        body += [f"(type $sd{m} {inner.render(ty, expand=True)})", f'(import "t{m}" (type $st{m} (eq $sd{m})))']
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
