#!/usr/bin/env python3
"""Opens gridlock's HTML reports in real headless Chromium.

  report_in_chromium.py CHROMIUM GRIDLOCK_REPORT SEED1_EXAMPLE OUT_DIR [SEED_EXAMPLE...]

1. A real deadlock report (examples/seed1 with trace=1): the DOM Chromium built has the wait-for
   graph with both actors and their edges highlighted as the cycle, one timeline lane per actor, and
   the page's own script ran (its CSP hash is right); a screenshot is taken (OUT_DIR/seed1.png).
2. A report whose every program-supplied string is an attack (<script>, onerror=, onload=, a
   closing </pre>, javascript: URLs), all pointing at this test's own HTTP server: no script from
   the data ran, no element or attribute came from the data, and the page made no request.
3. The index filter and sort work from the URL fragment (#q=..., #sort=...).
4. The wait-for graphs as Chromium lays them out, in the pages of seed1, of every other
   SEED_EXAMPLE (run as scripts/run-examples.sh runs them), of 2., and of a finding too big to
   draw whole (a 1,000-actor cycle and 2,000 bystanders): no two labels (node names,
   edge labels) overlap, every edge label lies inside its SVG and off every node box, no two node
   boxes overlap, and no edge runs through a node other than its own two ends. The big graph is
   cut down to at most 300 nodes plus the "…" node, with a line saying what was not drawn.

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
SEEDS = sys.argv[5:]
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

# --- 4. the wait-for graphs' geometry, as Chromium lays them out -----------------------------------
# The check runs in a page of its own (the reports' CSP admits no script but theirs): it loads a
# report in a same-origin iframe and measures every wait-for graph in it.
GEOMETRY_JS = r"""
const page = decodeURIComponent(location.hash.slice(1));
const frame = document.createElement('iframe');
frame.style.cssText = 'width:1400px;height:1000px;border:0';
frame.addEventListener('load', () => {
  const doc = frame.contentDocument, box = el => {
    const r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  const graphs = [...doc.querySelectorAll('svg.wfg')].map(svg => ({
    svg: box(svg),
    nodes: [...svg.querySelectorAll('g.node')].map(g => ({
      name: g.dataset.name, box: box(g.querySelector('rect')),
      label: box(g.querySelector('text')), text: g.querySelector('text').textContent})),
    edges: [...svg.querySelectorAll('g.edge[data-from]')].map(g => {
      const path = g.querySelector('path'), text = g.querySelector('text');
      const m = path.getScreenCTM(), len = path.getTotalLength(), points = [];
      for (let i = 0; i <= 40; ++i) {
        const p = path.getPointAtLength(len * i / 40).matrixTransform(m);
        points.push([p.x, p.y]);
      }
      return {from: g.dataset.from, to: g.dataset.to, points,
              label: text ? box(text) : null, text: text ? text.textContent : null};
    }),
    omitted: [...svg.querySelectorAll('text.omitted')].map(t => t.textContent)}));
  const out = document.createElement('pre');
  out.id = 'geometry';
  out.textContent = JSON.stringify(graphs);
  document.body.appendChild(out);
});
frame.src = page;
document.body.appendChild(frame);
"""
with open(os.path.join(OUT, "geometry.html"), "w") as f:
    f.write('<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body><script>%s'
            '</script></body></html>' % GEOMETRY_JS)


def geometry(page):
    text = chromium("--virtual-time-budget=10000", "--window-size=1400,1000", "--dump-dom",
                    base + "/geometry.html#" + page)
    start = text.find('<pre id="geometry">')
    if start < 0:
        return None
    return json.loads(html.unescape(text[start + 19:text.index("</pre>", start)]))


def overlap(a, b, slack=0.5):
    """Whether boxes [x0, y0, x1, y1] overlap by more than `slack` pixels both ways."""
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


def inside(p, b, margin):
    return b[0] + margin < p[0] < b[2] - margin and b[1] + margin < p[1] < b[3] - margin


def check_graphs(page, expect_omitted=False):
    graphs = geometry(page)
    check(bool(graphs), "%s: the page has wait-for graphs, measured in Chromium" % page)
    for n, g in enumerate(graphs or []):
        what = "%s graph %d" % (page, n)
        labels = [("node " + x["text"], x["label"]) for x in g["nodes"]] + [
            ("edge %s->%s %s" % (e["from"], e["to"], e["text"]), e["label"])
            for e in g["edges"] if e["label"]]
        check(any(lbl.startswith("edge") for lbl, _ in labels), what + ": has edge labels")
        clashes = [(a[0], b[0]) for i, a in enumerate(labels) for b in labels[i + 1:]
                   if overlap(a[1], b[1])]
        check(clashes == [], what + ": no two of its %d labels overlap %s" % (len(labels), clashes[:5]))
        outside = [e["text"] for e in g["edges"] if e["label"] and not (
            g["svg"][0] <= e["label"][0] and g["svg"][1] <= e["label"][1] and
            e["label"][2] <= g["svg"][2] and e["label"][3] <= g["svg"][3])]
        check(outside == [], what + ": every edge label is inside the SVG %s" % outside[:5])
        covered = [(e["text"], x["name"]) for e in g["edges"] if e["label"]
                   for x in g["nodes"] if overlap(e["label"], x["box"])]
        check(covered == [], what + ": no edge label is under a node box %s" % covered[:5])
        boxes = [(a["name"], b["name"]) for i, a in enumerate(g["nodes"]) for b in g["nodes"][i + 1:]
                 if overlap(a["box"], b["box"])]
        check(boxes == [], what + ": no two node boxes overlap %s" % boxes[:5])
        through = sorted({(e["from"], e["to"], x["name"]) for e in g["edges"] for x in g["nodes"]
                          if x["name"] not in (e["from"], e["to"]) and x["name"]
                          and any(inside(p, x["box"], 2) for p in e["points"])})
        check(through == [], what + ": no edge runs through another node %s" % through[:5])
        if expect_omitted:
            check(len(g["nodes"]) <= 301 and len(g["omitted"]) == 1,
                  what + ": %d nodes drawn, and the rest summarised: %s" % (len(g["nodes"]), g["omitted"]))
    return graphs


graph_pages = [page, "evil.html"]  # and the attack: labels of every kind of character
for exe in SEEDS:
    name = os.path.basename(exe)
    seed_dir = os.path.join(OUT, name)
    subprocess.run(["rm", "-rf", seed_dir])
    env = dict(os.environ, GRIDLOCK_OPTIONS="report_dir=%s:on_deadlock=break:starvation_ms=500:"
               "report_format=json,html" % seed_dir)
    subprocess.run([exe], env=env, capture_output=True, timeout=60)
    found = sorted(f for f in os.listdir(seed_dir) if f.endswith(".html") and f != "index.html")
    check(found != [], "%s wrote an HTML report" % name)
    graph_pages += [name + "/" + f for f in found]
check(any(p.startswith("seed6_replication/") for p in graph_pages) or
      not any(os.path.basename(e) == "seed6_replication" for e in SEEDS), "seed6's page is measured")
for p in graph_pages:
    check_graphs(p)

# A finding too big to draw whole: a 1,000-actor cycle over channels, 2,000 actors waiting beside it.
big = {"tool": "gridlock", "schema_version": 1, "source": "runtime", "program": "big", "pid": 8,
       "findings": [{"kind": "deadlock", "certainty": "definite", "summary": "a long cycle",
                     "actors": [], "resources": [], "cycle": []}]}
ring = big["findings"][0]
for i in range(1000):
    ring["actors"].append({"name": "ring-%d" % i, "op": "chan receive", "resource": "ch-%d" % i,
                        "location": {"file": "ring.cpp", "line": 10 + i % 7}, "waited_ms": 5,
                        "waits_for": ["ring-%d" % ((i + 1) % 1000)], "mode": "any"})
    ring["resources"].append({"name": "ch-%d" % i, "kind": "channel", "capacity": 0})
    ring["cycle"].append("ring-%d" % i)
for i in range(2000):
    ring["actors"].append({"name": "client-%d" % i, "op": "chan send", "resource": "ch-%d" % (i % 1000),
                        "location": {"file": "client.cpp", "line": 3}, "waited_ms": 5,
                        "waits_for": ["ring-%d" % (i % 1000)], "mode": "all"})
json.dump(big, open(os.path.join(OUT, "big.json"), "w"))
subprocess.run([REPORT_BIN, os.path.join(OUT, "big.json"), "-o", os.path.join(OUT, "big.html")],
               check=True, timeout=60)
check_graphs("big.html", expect_omitted=True)
graph_pages.append("big.html")

pwned = [r for r in requests if "pwned" in r]
check(pwned == [], "the attacks fetched nothing: %s" % pwned)
pages_only = {"/" + page, "/evil.html", "/geometry.html"} | {"/" + p for p in graph_pages}
others = sorted({r.split("#")[0] for r in requests} - pages_only)
check(others == [], "the pages made no request but for themselves: %s" % others)
server.shutdown()
print("%d checks failed" % len(failures) if failures else "all checks passed")
sys.exit(1 if failures else 0)
