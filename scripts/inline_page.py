"""Inline www/ into one HTML file (see scripts/build-single.sh).

The module glue of wasm-bindgen and the page's modules (MODULES below: each imports only those
before it) become one inline module script: their `export` keywords are dropped and their imports
of each other removed. The wasm bytes, the corpus, the lesson (www/lesson.json) and the
simulation worker's source (the glue, then sim-worker.js without its import) are set as globals
by a classic script before it; the page uses them when present instead of fetching
(globalThis.COLLAPSE_WASM, COLLAPSE_CORPUS, COLLAPSE_LESSON, COLLAPSE_WORKER_SOURCE: the worker
then runs from a Blob, which the policy allows as `worker-src blob:`). The "For teachers" page
(www/teachers.html, between its teachers:start/end markers) becomes a section of the file, shown
when its link (#teachers) is followed.
"""
import base64
import hashlib
import json
import re
import sys
from pathlib import Path

src, out = Path(sys.argv[1]), Path(sys.argv[2])
html = (src / "index.html").read_text(encoding="utf-8")
css = (src / "style.css").read_text(encoding="utf-8")
glue = (src / "pkg" / "collapse.js").read_text(encoding="utf-8")
# The page's modules, each after those it imports.
MODULES = [
    "state.js", "simulation.js", "figures.js", "images.js", "a11y.js", "analyses.js", "look.js", "embed.js",
    "lesson.js", "classroom.js", "main.js",
]
WORKER = "sim-worker.js"
found = sorted(p.name for p in src.glob("*.js") if p.name not in ("bench.js", WORKER))
if sorted(MODULES) != found:
    sys.exit(f"inline_page.py: www/ has modules {found}; update MODULES")
wasm = base64.b64encode((src / "pkg" / "collapse_bg.wasm").read_bytes()).decode("ascii")
# The bundled text in the packed form the page reads (scripts/pack-corpus.mjs). It and the wasm
# module are base64 strings, decoded by the page when it needs them (main.js, `fromBase64`).
corpus = base64.b64encode((src / "data" / "moby-dick.corpus").read_bytes()).decode("ascii")
lesson = json.loads((src / "lesson.json").read_text(encoding="utf-8"))
teachers_page = (src / "teachers.html").read_text(encoding="utf-8")
found_teachers = re.search(r"<!-- teachers:start[^>]*-->(.*?)<!-- teachers:end -->", teachers_page, flags=re.S)
if not found_teachers:
    sys.exit("inline_page.py: teachers.html has no teachers:start/end markers")
teachers = found_teachers.group(1).replace('href="index.html"', 'href="#"')

# The worker: a classic script (a module worker cannot start from a Blob in a page with no origin,
# as under file:// or in a sandbox), the glue without its exports, then the worker without its import.
worker, n_import = re.subn(
    r'^import \{[^}]*\} from "\./pkg/collapse\.js";\s*$', "", (src / WORKER).read_text(encoding="utf-8"), flags=re.M
)
if n_import != 1 or re.search(r"^import ", worker, flags=re.M):
    sys.exit(f"inline_page.py: {WORKER} changed shape; update the inliner")

# wasm-bindgen ends the glue with `export { initSync, __wbg_init as default };`.
glue, n_default = re.subn(
    r"^export \{[^}]*\b(\w+) as default\b[^}]*\};\s*$", r"const init = \1;", glue, flags=re.M
)
glue = re.sub(r"^export (class|function|const|let|async function) ", r"\1 ", glue, flags=re.M)
if n_default != 1 or re.search(r"^export ", glue, flags=re.M):
    sys.exit("inline_page.py: the glue changed shape; update the inliner")
# `import.meta` is a module's only; the worker never loads the module by its URL anyway.
worker_source = glue.replace("import.meta.url", "self.location.href") + "\n// ---- " + WORKER + "\n" + worker
page = []
for name in MODULES:
    text = (src / name).read_text(encoding="utf-8")
    text = re.sub(r'^import [^;]* from "\./[\w/.-]+\.js";\s*$', "", text, flags=re.M)
    text = re.sub(r"^export (function|const|let|async function|class) ", r"\1 ", text, flags=re.M)
    if re.search(r"^(import|export) ", text, flags=re.M):
        sys.exit(f"inline_page.py: {name} has an import or export the inliner does not handle")
    page.append(f"// ---- {name}\n" + text)
main = "\n".join(page)
# One module script holds them all: a top-level name declared twice would stop the whole page.
declared = {}
for name, text in [("the glue", glue)] + [(m, (src / m).read_text(encoding="utf-8")) for m in MODULES]:
    for ident in re.findall(r"^(?:async )?(?:function|const|let|class|var) (\w+)", re.sub(r"^export ", "", text, flags=re.M), flags=re.M):
        declared.setdefault(ident, []).append(name)
clashes = {k: v for k, v in declared.items() if len(v) > 1}
if clashes:
    sys.exit(f"inline_page.py: names declared in more than one module: {clashes}")

def script_safe(text: str) -> str:
    # Nothing inside a <script> may close it; and the script is plain ASCII (other characters as
    # \u escapes), so its hash in the policy holds however an embedding page decodes the file.
    text = text.replace("</script", "<\\/script")
    out = []
    for c in text:
        if ord(c) < 128:
            out.append(c)
        else:
            for unit in c.encode("utf-16-be").hex(" ", 2).split(" "):
                out.append("\\u" + unit)
    return "".join(out)

data = (
    "globalThis.COLLAPSE_WASM = " + json.dumps(wasm) + ";\n"
    "globalThis.COLLAPSE_CORPUS = " + json.dumps(corpus) + ";\n"
    "globalThis.COLLAPSE_WORKER_SOURCE = " + script_safe(json.dumps(worker_source)) + ";\n"
    "globalThis.COLLAPSE_LESSON = " + script_safe(json.dumps(lesson)) + ";\n"
)
# The served page fetches its modules and the wasm module early; the file holds them inline.
preloaded = re.findall(r'<link rel="modulepreload" href="([\w/.-]+)">', html)
if sorted(preloaded) != sorted(MODULES + ["pkg/collapse.js"]):
    sys.exit(f"inline_page.py: index.html preloads {sorted(preloaded)}; it must preload every module")
html, n_preload = re.subn(r'\s*<!-- Fetched at once.*?-->|\s*<link rel="(?:module)?preload"[^>]*>', "", html, flags=re.S)
if n_preload != len(preloaded) + 2:
    sys.exit("inline_page.py: index.html's preloads changed shape; update the inliner")
html = html.replace('<link rel="stylesheet" href="style.css">', "<style>\n" + css + "</style>")
# One file has no 'self' to load from: the icon is inline, and the policy allows exactly the
# inline scripts and style below by their hashes (computed once they are final).
html = html.replace('<link rel="icon" href="favicon.svg" type="image/svg+xml">', '<link rel="icon" href="data:,">')
# The teachers' page as a section of the file, before the explorer, reached by #teachers.
html, n_link = re.subn(r'href="teachers\.html"', 'href="#teachers"', html)
html, n_body = re.subn(r"<body>\n", lambda _: "<body>\n" + teachers.strip() + "\n", html, count=1)
if n_link != 1 or n_body != 1:
    sys.exit("inline_page.py: index.html has no teachers.html link or no <body>")
scripts = (
    "<script>\n" + data + "</script>\n"
    + '<script type="module">\n' + script_safe(glue) + "\n" + script_safe(main) + "\n</script>"
)
html, n_script = re.subn(r'<script type="module" src="main\.js"></script>', lambda _: scripts, html)
if n_script != 1:
    sys.exit("inline_page.py: index.html has no main.js script tag")

def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"

inline_scripts = re.findall(r"<script(?: type=\"module\")?>(.*?)</script>", html, flags=re.S)
inline_styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
policy = (
    "default-src 'none'; script-src 'wasm-unsafe-eval' " + " ".join(csp_hash(t) for t in inline_scripts)
    + "; worker-src blob:; style-src " + " ".join(csp_hash(t) for t in inline_styles) + "; img-src data:"
)
html, n_csp = re.subn(
    r'<meta http-equiv="Content-Security-Policy" content="[^"]*">',
    lambda _: '<meta http-equiv="Content-Security-Policy" content="' + policy + '">',
    html,
)
if n_csp != 1 or len(inline_scripts) != 2 or len(inline_styles) != 1:
    sys.exit("inline_page.py: the page's policy, scripts or style changed shape; update the inliner")
out.write_text(html, encoding="utf-8")
print(f"built {out}: {out.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
