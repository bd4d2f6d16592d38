"""The opcode space as data: mnemonic and immediate kind of every instruction we decode.

Tables instead of code so the decoder stays one small loop and a new proposal is a few more rows.
Immediate kinds: "" none, "bt" block type, "lbl" label, "brt" br_table, "fn" function, "ci" type+table,
"ty" type, "loc" local, "glb" global, "tbl" table, "mem" memarg (third field: natural alignment, log2),
"memidx" memory, "i32"/"i64"/"f32"/"f64" constants, "selt" typed select, "heap" heap type, "tt" try_table,
"tag" tag, "data"/"elem" segment, "dm" data+memory, "et" elem+table, "mm"/"tt2" memory/table pairs,
"lane", "memlane", "v128", "shuf", "zero" (reserved byte), "castop" ref.test/cast, "brcast" br_on_cast,
"tyf" type+field, "tyn" type+count, "tyty" two types, "tyd" type+data, "tye" type+elem.
"""

from __future__ import annotations

Op = tuple[str, str, int]


def _table(rows: dict[int, str | tuple[str, str] | tuple[str, str, int]]) -> dict[int, Op]:
    out: dict[int, Op] = {}
    for code, row in rows.items():
        if isinstance(row, str):
            out[code] = (row, "", 0)
        elif len(row) == 2:
            out[code] = (row[0], row[1], 0)
        else:
            out[code] = row
    return out


def _names(first: int, names: str, prefix: str = "") -> dict[int, str]:
    return {first + i: prefix + n for i, n in enumerate(names.split())}


_INT_CMP = "eqz eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u"
_VEC_INT_CMP = _INT_CMP.replace("eqz ", "")
_FLOAT_CMP = "eq ne lt gt le ge"
_INT_ARITH = "clz ctz popcnt add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr"
_FLOAT_ARITH = "abs neg ceil floor trunc nearest sqrt add sub mul div min max copysign"
_CONVERSIONS = (
    "i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u i64.extend_i32_s "
    "i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u f32.convert_i32_s "
    "f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64 f64.convert_i32_s "
    "f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32 i32.reinterpret_f32 "
    "i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64 i32.extend8_s i32.extend16_s i64.extend8_s "
    "i64.extend16_s i64.extend32_s"
)
_MEMORY = [
    ("i32.load", 2), ("i64.load", 3), ("f32.load", 2), ("f64.load", 3), ("i32.load8_s", 0),
    ("i32.load8_u", 0), ("i32.load16_s", 1), ("i32.load16_u", 1), ("i64.load8_s", 0), ("i64.load8_u", 0),
    ("i64.load16_s", 1), ("i64.load16_u", 1), ("i64.load32_s", 2), ("i64.load32_u", 2), ("i32.store", 2),
    ("i64.store", 3), ("f32.store", 2), ("f64.store", 3), ("i32.store8", 0), ("i32.store16", 1),
    ("i64.store8", 0), ("i64.store16", 1), ("i64.store32", 2),
]

SINGLE: dict[int, Op] = _table({
    0x00: "unreachable", 0x01: "nop", 0x02: ("block", "bt"), 0x03: ("loop", "bt"), 0x04: ("if", "bt"),
    0x05: "else", 0x06: ("try", "bt"), 0x07: ("catch", "tag"), 0x08: ("throw", "tag"),
    0x09: ("rethrow", "lbl"),
    0x0A: "throw_ref", 0x0B: "end", 0x0C: ("br", "lbl"), 0x0D: ("br_if", "lbl"), 0x0E: ("br_table", "brt"),
    0x0F: "return", 0x10: ("call", "fn"), 0x11: ("call_indirect", "ci"), 0x12: ("return_call", "fn"),
    0x13: ("return_call_indirect", "ci"), 0x14: ("call_ref", "ty"), 0x15: ("return_call_ref", "ty"),
    0x18: ("delegate", "lbl"), 0x19: "catch_all", 0x1A: "drop", 0x1B: "select", 0x1C: ("select", "selt"),
    0x1F: ("try_table", "tt"), 0x20: ("local.get", "loc"), 0x21: ("local.set", "loc"),
    0x22: ("local.tee", "loc"), 0x23: ("global.get", "glb"), 0x24: ("global.set", "glb"),
    0x25: ("table.get", "tbl"), 0x26: ("table.set", "tbl"),
    0x3F: ("memory.size", "memidx"), 0x40: ("memory.grow", "memidx"),
    0x41: ("i32.const", "i32"), 0x42: ("i64.const", "i64"),
    0x43: ("f32.const", "f32"), 0x44: ("f64.const", "f64"),
    0xD0: ("ref.null", "heap"), 0xD1: "ref.is_null", 0xD2: ("ref.func", "fn"), 0xD3: "ref.eq",
    0xD4: "ref.as_non_null", 0xD5: ("br_on_null", "lbl"), 0xD6: ("br_on_non_null", "lbl"),
    **{0x28 + i: (name, "mem", align) for i, (name, align) in enumerate(_MEMORY)},
    **_names(0x45, _INT_CMP, "i32."), **_names(0x50, _INT_CMP, "i64."),
    **_names(0x5B, _FLOAT_CMP, "f32."), **_names(0x61, _FLOAT_CMP, "f64."),
    **_names(0x67, _INT_ARITH, "i32."), **_names(0x79, _INT_ARITH, "i64."),
    **_names(0x8B, _FLOAT_ARITH, "f32."), **_names(0x99, _FLOAT_ARITH, "f64."),
    **_names(0xA7, _CONVERSIONS),
})

MISC: dict[int, Op] = _table({
    **_names(0, "i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u "
                "i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u"),
    8: ("memory.init", "dm"), 9: ("data.drop", "data"), 10: ("memory.copy", "mm"),
    11: ("memory.fill", "memidx"),
    12: ("table.init", "et"), 13: ("elem.drop", "elem"), 14: ("table.copy", "tt2"), 15: ("table.grow", "tbl"),
    16: ("table.size", "tbl"), 17: ("table.fill", "tbl"), 18: ("memory.discard", "memidx"),
})


def _simd() -> dict[int, Op]:
    rows: dict[int, str | tuple[str, str] | tuple[str, str, int]] = {
        0: ("v128.load", "mem", 4), 1: ("v128.load8x8_s", "mem", 3), 2: ("v128.load8x8_u", "mem", 3),
        3: ("v128.load16x4_s", "mem", 3), 4: ("v128.load16x4_u", "mem", 3), 5: ("v128.load32x2_s", "mem", 3),
        6: ("v128.load32x2_u", "mem", 3), 7: ("v128.load8_splat", "mem", 0),
        8: ("v128.load16_splat", "mem", 1),
        9: ("v128.load32_splat", "mem", 2), 10: ("v128.load64_splat", "mem", 3), 11: ("v128.store", "mem", 4),
        12: ("v128.const", "v128"), 13: ("i8x16.shuffle", "shuf"), 14: "i8x16.swizzle",
        **_names(15, "i8x16.splat i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat"),
        **{21 + i: (n, "lane") for i, n in enumerate(
            "i8x16.extract_lane_s i8x16.extract_lane_u i8x16.replace_lane i16x8.extract_lane_s "
            "i16x8.extract_lane_u i16x8.replace_lane i32x4.extract_lane i32x4.replace_lane "
            "i64x2.extract_lane i64x2.replace_lane f32x4.extract_lane f32x4.replace_lane "
            "f64x2.extract_lane f64x2.replace_lane".split())},
        **_names(35, _VEC_INT_CMP, "i8x16."), **_names(45, _VEC_INT_CMP, "i16x8."),
        **_names(55, _VEC_INT_CMP, "i32x4."), **_names(65, _FLOAT_CMP, "f32x4."),
        **_names(71, _FLOAT_CMP, "f64x2."),
        **_names(77, "v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true"),
        **{84 + i: (f"v128.{kind}{bits}_lane", "memlane", align)
           for i, (kind, bits, align) in enumerate([("load", 8, 0), ("load", 16, 1), ("load", 32, 2),
                                                     ("load", 64, 3), ("store", 8, 0), ("store", 16, 1),
                                                     ("store", 32, 2), ("store", 64, 3)])},
        92: ("v128.load32_zero", "mem", 2), 93: ("v128.load64_zero", "mem", 3),
        94: "f32x4.demote_f64x2_zero", 95: "f64x2.promote_low_f32x4",
        **_names(96, "i8x16.abs i8x16.neg i8x16.popcnt i8x16.all_true i8x16.bitmask i8x16.narrow_i16x8_s "
                     "i8x16.narrow_i16x8_u f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest i8x16.shl "
                     "i8x16.shr_s i8x16.shr_u i8x16.add i8x16.add_sat_s i8x16.add_sat_u i8x16.sub "
                     "i8x16.sub_sat_s i8x16.sub_sat_u f64x2.ceil f64x2.floor i8x16.min_s i8x16.min_u "
                     "i8x16.max_s i8x16.max_u f64x2.trunc i8x16.avgr_u i16x8.extadd_pairwise_i8x16_s "
                     "i16x8.extadd_pairwise_i8x16_u i32x4.extadd_pairwise_i16x8_s "
                     "i32x4.extadd_pairwise_i16x8_u i16x8.abs i16x8.neg i16x8.q15mulr_sat_s i16x8.all_true "
                     "i16x8.bitmask i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u i16x8.extend_low_i8x16_s "
                     "i16x8.extend_high_i8x16_s i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u i16x8.shl "
                     "i16x8.shr_s i16x8.shr_u i16x8.add i16x8.add_sat_s i16x8.add_sat_u i16x8.sub "
                     "i16x8.sub_sat_s i16x8.sub_sat_u f64x2.nearest i16x8.mul i16x8.min_s i16x8.min_u "
                     "i16x8.max_s i16x8.max_u"),
        155: "i16x8.avgr_u",
        **_names(156, "i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u "
                      "i16x8.extmul_high_i8x16_u i32x4.abs i32x4.neg"),
        163: "i32x4.all_true", 164: "i32x4.bitmask",
        **_names(167, "i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s i32x4.extend_low_i16x8_u "
                      "i32x4.extend_high_i16x8_u i32x4.shl i32x4.shr_s i32x4.shr_u i32x4.add"),
        177: "i32x4.sub",
        **_names(181, "i32x4.mul i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s"),
        **_names(188, "i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u "
                      "i32x4.extmul_high_i16x8_u i64x2.abs i64x2.neg"),
        195: "i64x2.all_true", 196: "i64x2.bitmask",
        **_names(199, "i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s i64x2.extend_low_i32x4_u "
                      "i64x2.extend_high_i32x4_u i64x2.shl i64x2.shr_s i64x2.shr_u i64x2.add"),
        209: "i64x2.sub",
        **_names(213, "i64x2.mul i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s "
                      "i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u "
                      "i64x2.extmul_high_i32x4_u f32x4.abs f32x4.neg"),
        **_names(227, "f32x4.sqrt f32x4.add f32x4.sub f32x4.mul f32x4.div f32x4.min f32x4.max f32x4.pmin "
                      "f32x4.pmax f64x2.abs f64x2.neg"),
        **_names(239, "f64x2.sqrt f64x2.add f64x2.sub f64x2.mul f64x2.div f64x2.min f64x2.max f64x2.pmin "
                      "f64x2.pmax i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s "
                      "f32x4.convert_i32x4_u i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero "
                      "f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u"),
        **_names(0x100, "i8x16.relaxed_swizzle i32x4.relaxed_trunc_f32x4_s i32x4.relaxed_trunc_f32x4_u "
                        "i32x4.relaxed_trunc_f64x2_s_zero i32x4.relaxed_trunc_f64x2_u_zero "
                        "f32x4.relaxed_madd f32x4.relaxed_nmadd f64x2.relaxed_madd f64x2.relaxed_nmadd "
                        "i8x16.relaxed_laneselect i16x8.relaxed_laneselect i32x4.relaxed_laneselect "
                        "i64x2.relaxed_laneselect f32x4.relaxed_min f32x4.relaxed_max f64x2.relaxed_min "
                        "f64x2.relaxed_max i16x8.relaxed_q15mulr_s i16x8.relaxed_dot_i8x16_i7x16_s "
                        "i32x4.relaxed_dot_i8x16_i7x16_add_s"),
    }
    return _table(rows)


SIMD: dict[int, Op] = _simd()


def _atomics() -> dict[int, Op]:
    rows: dict[int, str | tuple[str, str] | tuple[str, str, int]] = {
        0: ("memory.atomic.notify", "mem", 2), 1: ("memory.atomic.wait32", "mem", 2),
        2: ("memory.atomic.wait64", "mem", 3), 3: ("atomic.fence", "zero"),
    }
    plain = [("i32.atomic.load", 2), ("i64.atomic.load", 3), ("i32.atomic.load8_u", 0),
             ("i32.atomic.load16_u", 1), ("i64.atomic.load8_u", 0), ("i64.atomic.load16_u", 1),
             ("i64.atomic.load32_u", 2), ("i32.atomic.store", 2), ("i64.atomic.store", 3),
             ("i32.atomic.store8", 0), ("i32.atomic.store16", 1), ("i64.atomic.store8", 0),
             ("i64.atomic.store16", 1), ("i64.atomic.store32", 2)]
    for i, (name, align) in enumerate(plain):
        rows[0x10 + i] = (name, "mem", align)
    code = 0x1E
    for op in ("add", "sub", "and", "or", "xor", "xchg", "cmpxchg"):
        for prefix, suffix, align in (("i32.atomic.rmw", "", 2), ("i64.atomic.rmw", "", 3),
                                      ("i32.atomic.rmw8", "_u", 0), ("i32.atomic.rmw16", "_u", 1),
                                      ("i64.atomic.rmw8", "_u", 0), ("i64.atomic.rmw16", "_u", 1),
                                      ("i64.atomic.rmw32", "_u", 2)):
            rows[code] = (f"{prefix}.{op}{suffix}", "mem", align)
            code += 1
    return _table(rows)


ATOMIC: dict[int, Op] = _atomics()

GC: dict[int, Op] = _table({
    0: ("struct.new", "ty"), 1: ("struct.new_default", "ty"), 2: ("struct.get", "tyf"),
    3: ("struct.get_s", "tyf"), 4: ("struct.get_u", "tyf"), 5: ("struct.set", "tyf"), 6: ("array.new", "ty"),
    7: ("array.new_default", "ty"),
    8: ("array.new_fixed", "tyn"), 9: ("array.new_data", "tyd"), 10: ("array.new_elem", "tye"),
    11: ("array.get", "ty"), 12: ("array.get_s", "ty"), 13: ("array.get_u", "ty"), 14: ("array.set", "ty"),
    15: "array.len", 16: ("array.fill", "ty"), 17: ("array.copy", "tyty"), 18: ("array.init_data", "tyd"),
    19: ("array.init_elem", "tye"), 20: ("ref.test", "castop"), 21: ("ref.test", "castop"),
    22: ("ref.cast", "castop"), 23: ("ref.cast", "castop"), 24: ("br_on_cast", "brcast"),
    25: ("br_on_cast_fail", "brcast"), 26: "any.convert_extern", 27: "extern.convert_any", 28: "ref.i31",
    29: "i31.get_s", 30: "i31.get_u",
})

PREFIXED: dict[int, dict[int, Op]] = {0xFC: MISC, 0xFD: SIMD, 0xFE: ATOMIC, 0xFB: GC}
