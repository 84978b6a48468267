#!/usr/bin/env python3
"""Opens gridlock's HTML reports in real headless Chromium.

  report_in_chromium.py CHROMIUM GRIDLOCK_REPORT SEED1_EXAMPLE OUT_DIR

1. A real deadlock report (examples/seed1 with trace=1): the DOM Chromium built has the wait-for
   graph with both actors and their edges highlighted as the cycle, one timeline lane per actor, and
   the page's own script ran (its CSP hash is right); a screenshot is taken (OUT_DIR/seed1.png).
2. A report whose every program-supplied string is an attack (<script>, onerror=, onload=, a
   closing </pre>, javascript: URLs), all pointing at this test's own HTTP server: no script from
   the data ran, no element or attribute came from the data, and the page made no request.
3. The index filter and sort work from the URL fragment (#q=..., #sort=...).

The pages are served from a local HTTP server that logs every request: the only requests allowed
are the pages themselves.
"""
import html.parser
import http.server
import json
import os
import subprocess
import sys
import threading

CHROMIUM, REPORT_BIN, SEED1, OUT = sys.argv[1:5]
os.makedirs(OUT, exist_ok=True)
requests = []
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **kw):
        super().__init__(*a, directory=OUT, **kw)

    def log_message(self, fmt, *args):
        requests.append(self.path)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
port = server.server_address[1]
threading.Thread(target=server.serve_forever, daemon=True).start()
base = "http://127.0.0.1:%d" % port
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-default-apps",
         "--disable-extensions", "--disable-sync", "--metrics-recording-only",
         "--user-data-dir=" + os.path.join(OUT, "profile")]


def chromium(*args):
    r = subprocess.run([CHROMIUM] + FLAGS + list(args), capture_output=True, text=True, timeout=120)
    return r.stdout


def dom(page):
    return chromium("--virtual-time-budget=3000", "--dump-dom", base + "/" + page)


class Elements(html.parser.HTMLParser):
    """Every element of a DOM dump: (tag, attrs dict), and the text of <script> elements."""

    def __init__(self, text):
        super().__init__()
        self.elements, self.scripts, self._in_script = [], [], False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def having(self, tag, **attrs):
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


# --- 1. a real deadlock -------------------------------------------------------------------------
seed_dir = os.path.join(OUT, "seed1")
subprocess.run(["rm", "-rf", seed_dir])
env = dict(os.environ, GRIDLOCK_OPTIONS="report_dir=%s:detect_delay_ms=50:on_deadlock=break:"
           "trace=1:report_format=json,html" % seed_dir)
subprocess.run([SEED1], env=env, capture_output=True, timeout=60, check=True)
pages = sorted(f for f in os.listdir(seed_dir) if f.startswith("gridlock.") and f.endswith(".html"))
check(len(pages) == 1, "seed1 wrote one HTML report")
page = "seed1/" + pages[0]
doc = Elements(dom(page))
check(doc.having("html", **{"data-index-ready": "true"}) != [],
      "the page's own script ran (its CSP hash matches)")
for actor in ("A", "B"):
    check(doc.having("g", **{"class": "node actor cycle", "data-name": actor}) != [],
          "the graph draws actor %s in the cycle" % actor)
cycle_edges = [a for t, a in doc.elements if t == "g" and "cycle" in a.get("class", "").split()
               and "edge" in a.get("class", "").split() and "data-from" in a]
check(len(cycle_edges) == 4, "the cycle has 4 highlighted edges (A->chan->B->chan->A): %d"
      % len(cycle_edges))
report = json.load(open(os.path.join(seed_dir, pages[0][:-5] + ".json")))
traced = {e["actor_id"] for e in report["trace"]}
lanes = doc.having("g", **{"class": "lane"})
check(len(lanes) == len(traced), "one timeline lane per traced actor (%d)" % len(traced))
shot = os.path.join(OUT, "seed1.png")
if os.path.exists(shot):
    os.remove(shot)
chromium("--hide-scrollbars", "--window-size=1100,1400", "--screenshot=" + shot, base + "/" + page)
check(os.path.exists(shot) and os.path.getsize(shot) > 20000, "screenshot taken: " + shot)

# --- 2. an attack through every string ----------------------------------------------------------
pwn = base + "/pwned-"
attacks = {
    "name": '<script>fetch("%sscript")</script>' % pwn,
    "img": '"><img src="%simg" onerror="fetch(\'%sonerror\')">' % (pwn, pwn),
    "svg": "</text><svg onload=\"fetch('%ssvg')\"></svg>" % pwn,
    "pre": '</pre></td><script src="%sscriptsrc"></script>' % pwn,
    "link": '<a href="javascript:fetch(\'%slink\')">x</a><iframe src="%siframe">' % (pwn, pwn),
    "style": '<style>@import url("%scss");</style><link rel=stylesheet href="%slinkcss">' % (pwn, pwn),
}
evil = {
    "tool": "gridlock", "schema_version": 1, "source": "runtime", "program": attacks["name"],
    "pid": 7,
    "findings": [{
        "kind": "deadlock", "certainty": "definite", "summary": attacks["img"],
        "actors": [
            {"name": attacks["name"], "op": "chan send", "resource": attacks["svg"],
             "location": {"file": attacks["pre"], "line": 3,
                          "context": {"first_line": 2, "lines": [attacks["pre"], attacks["link"]]}},
             "waited_ms": 10, "waits_for": [attacks["img"]], "mode": "any", "note": attacks["style"]},
            {"name": attacks["img"], "op": attacks["link"], "resource": attacks["style"],
             "location": {"file": "x.cpp", "line": 1}, "waited_ms": 10,
             "waits_for": [attacks["name"]], "mode": "all"}],
        "resources": [{"name": attacks["svg"], "kind": "channel", "capacity": 0}],
        "cycle": [attacks["name"], attacks["img"]], "detected_us": 90, "closed_us": 40}],
    "trace": [
        {"actor_id": 1, "actor": attacks["name"], "seq": 1, "t_us": 10, "event": "send",
         "resource": attacks["svg"], "msg": 1, "lamport": 1, "vc": {"1": 1}},
        {"actor_id": 2, "actor": attacks["img"], "seq": 1, "t_us": 20, "event": "receive",
         "resource": attacks["svg"], "msg": 1, "peer_id": 1, "peer": attacks["link"],
         "lamport": 2, "vc": {"1": 1, "2": 1}},
        {"actor_id": 1, "actor": attacks["name"], "seq": 2, "t_us": 40, "event": "block",
         "op": attacks["pre"], "lamport": 3, "vc": {"1": 1}}]}
evil_json = os.path.join(OUT, "evil.json")
json.dump(evil, open(evil_json, "w"))
subprocess.run([REPORT_BIN, evil_json, "-o", os.path.join(OUT, "evil.html")], check=True)
before = len(requests)
text = dom("evil.html")
doc = Elements(text)
check(doc.having("html", **{"data-index-ready": "true"}) != [], "the page's own script ran")
check(len(doc.scripts) == 1 and doc.scripts[0].lstrip().startswith("// The findings index"),
      "the only script element is the page's own")
for tag in ("img", "iframe", "style", "link", "svg"):
    data_made = [a for t, a in doc.elements if t == tag and any(pwn in v for v in a.values() if v)]
    check(data_made == [], "no <%s> element came from the data" % tag)
handlers = [(t, k) for t, a in doc.elements for k in a if k.startswith("on")]
check(handlers == [], "no inline event handler attribute anywhere: %s" % handlers)
check(all("javascript:" not in (a.get("href") or "") for t, a in doc.elements),
      "no javascript: link")
chromium("--hide-scrollbars", "--window-size=1000,1400", "--screenshot=" + os.path.join(OUT, "evil.png"),
         base + "/evil.html")
check("&lt;script&gt;fetch" in text, "the attack text is shown, as text")

# --- 3. the index works from the URL fragment ---------------------------------------------------
doc = Elements(dom("evil.html#q=no-such-finding"))
rows = doc.having("tr", **{"data-kind": "deadlock"})
check(rows and all("hidden" in r for r in rows), "#q= filters the index (no row matches)")
doc = Elements(dom("evil.html#q=deadlock"))
rows = doc.having("tr", **{"data-kind": "deadlock"})
check(rows and not any("hidden" in r for r in rows), "#q= keeps matching rows")

pwned = [r for r in requests if "pwned" in r]
check(pwned == [], "the attacks fetched nothing: %s" % pwned)
pages_only = {"/" + page, "/evil.html"}
others = sorted({r.split("#")[0] for r in requests} - pages_only)
check(others == [], "the pages made no request but for themselves: %s" % others)
server.shutdown()
print("%d checks failed" % len(failures) if failures else "all checks passed")
sys.exit(1 if failures else 0)
