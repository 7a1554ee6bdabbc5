#!/usr/bin/env python3
"""What a wasm module holds, by crate: the bytes of each function body, grouped by the crate
its (mangled) name starts with, and the bytes of data. Needs the module's name section, so run
it on a build that keeps names (wasm-bindgen's output, or wasm-opt with -g).

    python3 scripts/wasm-sizes.py web_bg.wasm [top]      # crates, then the `top` largest functions

Standard library only; no twiggy to install.
"""
import re
import sys
import zlib


def leb(buf, pos):
    """An unsigned LEB128 at `pos`: (value, next position)."""
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def sections(buf):
    pos = 8
    while pos < len(buf):
        sid = buf[pos]
        size, pos = leb(buf, pos + 1)
        yield sid, buf[pos:pos + size]
        pos += size


def imported_functions(body):
    count, pos = leb(body, 0)
    functions = 0
    for _ in range(count):
        for _ in range(2):  # module and field names
            n, pos = leb(body, pos)
            pos += n
        kind = body[pos]
        pos += 1
        if kind == 0:
            functions += 1
            _, pos = leb(body, pos)
        elif kind == 1:  # table: reftype, limits
            pos += 1
            flags, pos = leb(body, pos)
            _, pos = leb(body, pos)
            if flags & 1:
                _, pos = leb(body, pos)
        elif kind == 2:  # memory: limits
            flags, pos = leb(body, pos)
            _, pos = leb(body, pos)
            if flags & 1:
                _, pos = leb(body, pos)
        elif kind == 3:  # global: type, mutability
            pos += 2
        else:  # tag
            pos += 1
            _, pos = leb(body, pos)
    return functions


def function_names(body):
    pos = 0
    names = {}
    while pos < len(body):
        sub = body[pos]
        size, pos = leb(body, pos + 1)
        if sub == 1:
            count, p = leb(body, pos)
            for _ in range(count):
                index, p = leb(body, p)
                n, p = leb(body, p)
                names[index] = body[p:p + n].decode("utf-8", "replace")
                p += n
        pos += size
    return names


def crate_of(name):
    """Where a function comes from: the crate of a demangled path (`core::fmt::write` -> core;
    `<T as tachys::view::Render>::build` -> tachys), the project's own code by module
    (`scaling_calc::engine::fit`), and serde's derived code apart, whichever crate holds it."""
    if re.search(r"\b(Serialize|Deserialize|Serializer|Deserializer|Visitor)\b", name):
        return "(serde, derived or generic)"
    if "wbg" in name or name.startswith("__wbindgen"):
        return "(wasm-bindgen glue)"
    path = re.sub(r"^(<|&|mut |dyn |T as |\[)+", "", name)
    path = re.sub(r"\[[0-9a-f]+\]", "", path)
    parts = path.split("::")
    if parts[0] == "scaling_calc" and len(parts) > 2:
        depth = 3 if parts[1] == "engine" and len(parts) > 3 else 2
        return "::".join(parts[:depth])
    return re.split(r"[<>\s(]", parts[0])[0] or "?"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    buf = open(path, "rb").read()
    imports = 0
    bodies = []
    names = {}
    data = 0
    for sid, body in sections(buf):
        if sid == 2:
            imports = imported_functions(body)
        elif sid == 10:
            count, pos = leb(body, 0)
            for _ in range(count):
                size, pos = leb(body, pos)
                bodies.append(body[pos:pos + size])
                pos += size
        elif sid == 11:
            data = len(body)
        elif sid == 0:
            n, p = leb(body, 0)
            if body[p:p + n] == b"name":
                names = function_names(body[p + n:])
    by_crate = {}
    rows = []
    for i, code in enumerate(bodies):
        name = names.get(imports + i, f"func{imports + i}")
        crate = crate_of(name)
        raw, packed = by_crate.get(crate, (0, 0))
        by_crate[crate] = (raw + len(code), packed)
        rows.append((len(code), name))
    total_code = sum(len(b) for b in bodies)
    print(f"{path}: {len(buf):,} bytes, {len(zlib.compress(buf, 9)):,} deflated; "
          f"code {total_code:,} in {len(bodies):,} functions; data {data:,}")
    for crate, (raw, _) in sorted(by_crate.items(), key=lambda kv: -kv[1][0])[:40]:
        print(f"  {raw:>9,}  {100 * raw / total_code:5.1f} %  {crate}")
    for size, name in sorted(rows, reverse=True)[:top]:
        print(f"  {size:>9,}  {name[:150]}")


if __name__ == "__main__":
    main()
