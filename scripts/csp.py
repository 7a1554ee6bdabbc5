#!/usr/bin/env python3
"""Trunk post-build hook: name the Web Worker's files by their content, and add a
Content-Security-Policy <meta> to the built index.html.

Trunk names a worker's files after its binary (worker.js, worker_bg.wasm, worker_loader.js):
a worker must be named at run time. Here they get a hash of their content instead, so a new
deploy is never served an old worker from a cache, and the page says where its worker is in
<meta name="worker">, with prefetch links that also let the offline copy (static/sw.js) keep
the worker's files with the page.

GitHub Pages sets no headers, so the policy lives in the page. It allows only this origin,
'wasm-unsafe-eval' for the WebAssembly, trunk's inline loader script by its SHA-256
(computed here, since the loader names the content-hashed files), and inline style
attributes (plotters measures text with a styled <span>).
"""
import base64
import hashlib
import os
import re
import sys
from pathlib import Path

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
index = Path(staging) / "index.html"
html = index.read_text(encoding="utf-8")


def name_worker(html: str) -> str:
    """Renames worker.js and worker_bg.wasm by content; writes their loader; links them."""
    folder = Path(staging)
    script, wasm = folder / "worker.js", folder / "worker_bg.wasm"
    if not (script.exists() and wasm.exists()):
        return html
    digest = hashlib.sha256(script.read_bytes() + wasm.read_bytes()).hexdigest()[:16]
    base = f"worker-{digest}"
    script.rename(folder / f"{base}.js")
    wasm.rename(folder / f"{base}_bg.wasm")
    (folder / "worker_loader.js").unlink(missing_ok=True)
    (folder / f"{base}_loader.js").write_text(
        f'importScripts("./{base}.js");wasm_bindgen({{module_or_path:"./{base}_bg.wasm"}});', encoding="utf-8"
    )
    links = (
        f'<meta name="worker" content="./{base}_loader.js">\n'
        f'  <link rel="prefetch" href="./{base}_loader.js">\n'
        f'  <link rel="prefetch" href="./{base}.js">\n'
        f'  <link rel="prefetch" href="./{base}_bg.wasm">\n'
    )
    html = re.sub(r'<meta name="worker"[^>]*>\s*(<link rel="prefetch"[^>]*>\s*)*', "", html)
    return html.replace("</head>", "  " + links + "</head>", 1)


html = name_worker(html)
hashes = []
for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
    digest = hashlib.sha256(match.group(1).encode("utf-8")).digest()
    hashes.append("'sha256-" + base64.b64encode(digest).decode() + "'")
policy = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' " + " ".join(hashes),
    "style-src 'self'",
    # plotters measures text with a hidden <span style="…"> (its web font backend): inline
    # style attributes only, never <style> elements or style sheets from elsewhere.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'self'",
    "form-action 'none'",
    "object-src 'none'",
])
meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', "", html)
html = html.replace("<head>", "<head>\n  " + meta, 1)
index.write_text(html, encoding="utf-8")
print(f"csp.py: policy with {len(hashes)} inline script hash(es) written to {index}")
