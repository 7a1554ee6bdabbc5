#!/usr/bin/env python3
"""Trunk post-build hook: add a Content-Security-Policy <meta> to the built index.html.

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
