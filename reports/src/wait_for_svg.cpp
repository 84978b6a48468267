#include "wait_for_svg.hpp"

#include "markup.hpp"

#include <dlfcn.h>
#include <gvc.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

namespace gridlock::report {
namespace {

using markup::esc;
using markup::num;

constexpr std::size_t kLabel = 28; // characters of a node name drawn (the full name is its title)
constexpr std::size_t kEdgeLabel = 48;  // characters of an edge label drawn
constexpr std::size_t kMaxDrawn = 300;  // nodes drawn at most (dot's time grows fast with size)
constexpr std::size_t kMaxCycle = 200;  // of which the cycle's (the rest of it: one "…" node)
constexpr double kNodeFont = 12;        // px, as the page's style sheet draws them (html.cpp)
constexpr double kEdgeFont = 11;        //
constexpr double kEdgeLabelHeight = 16; // an edge label's box: the text and a little air
constexpr double kPad = 16;             // around the drawing

struct point {
  double x = 0, y = 0;
};

struct node {
  std::string name;
  bool resource = false;
  bool cycle = false;
  bool drawn = true;
  bool more = false; // the "…" node that stands for the cycle's nodes not drawn
  std::string kind;  // resources: channel, mailbox, mutex, ...
  std::string text;  // the label drawn
  double w = 0, h = 0;
  point at; // the centre, once laid out
};

struct edge {
  std::size_t from = 0, to = 0;
  std::string style; // "and", "or" (a wait), "release" (resource -> releaser) or "more" (to "…")
  bool cycle = false;
  std::string label, title;
  double w = 0;             // the label's box width (its height is kEdgeLabelHeight)
  std::vector<point> curve; // cubic Bézier: a start point, then three points per segment
  bool arrow = false;       // an arrowhead from the curve's end to `tip`
  point tip, label_at;      // label_at: the label's centre
};

std::vector<std::string> split_resources(const std::string &s) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= s.size();) {
    const std::size_t bar = s.find(" | ", start);
    const std::string part = s.substr(start, bar == std::string::npos ? bar : bar - start);
    if (!part.empty()) out.push_back(part);
    if (bar == std::string::npos) break;
    start = bar + 3;
  }
  return out;
}

std::string basename(const std::string &path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The width of `s` drawn at `px` pixels in the page's font (system-ui, sans-serif), erring wide:
// each character counts as the widest of its class in DejaVu Sans (Debian's default sans, wider
// than most), any other character as 1 em. Graphviz reserves this much room for each label.
double text_width(std::string_view s, double px) {
  double em = 0;
  for (const unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue; // a UTF-8 continuation byte: counted with its lead byte
    const auto in = [c](std::string_view set) { return c < 0x80 && set.find(char(c)) != set.npos; };
    em += in(" '.,:;|/\\IJijl")              ? 0.34
          : in("!()[]frt-")                  ? 0.41
          : in("ABCDGHKNOQRUVXZ&")           ? 0.79
          : in("mwMW@%#+<=>^~") || c >= 0x80 ? 1.0
                                             : 0.64;
  }
  return em * px;
}

class graph_builder {
public:
  explicit graph_builder(const finding &f) {
    for (const resource_entry &r : f.resources) kinds_.emplace(r.name, r.kind);
    for (const actor_entry &a : f.actors) add_wait(a);
    mark_cycle(f.cycle);
  }
  std::vector<node> nodes;
  std::vector<edge> edges;
  std::vector<std::size_t> cycle_order; // the cycle's nodes in wait order

private:
  std::size_t node_of(const std::string &name, bool resource) {
    const auto [it, added] = index_.try_emplace({resource, name}, nodes.size());
    if (added) {
      node n;
      n.name = name;
      n.resource = resource;
      if (const auto k = kinds_.find(name); resource && k != kinds_.end()) n.kind = k->second;
      nodes.push_back(std::move(n));
      out_.emplace_back();
    }
    return it->second;
  }

  void add_edge(std::size_t from, std::size_t to, std::string style, std::string label,
                std::string title) {
    if (!edge_set_.emplace(from, to).second) return;
    out_[from].push_back(edges.size());
    edge e;
    e.from = from, e.to = to;
    e.style = std::move(style), e.label = std::move(label), e.title = std::move(title);
    edges.push_back(std::move(e));
  }

  void add_wait(const actor_entry &a) {
    const std::size_t self = node_of(a.name, false);
    const std::string style = a.mode == "any" ? "or" : "and";
    const std::string at =
        a.where.file.empty() ? ""
                             : " @ " + basename(a.where.file) + ":" + std::to_string(a.where.line);
    const std::string title =
        a.name + ": " + a.op + (a.resource.empty() ? "" : " " + a.resource) +
        (a.where.file.empty() ? "" : " at " + a.where.file + ":" + std::to_string(a.where.line)) +
        (a.waited_ms >= 0 ? ", " + std::to_string(a.waited_ms) + " ms" : "");
    auto resources = split_resources(a.resource);
    std::erase_if(resources, [&](const std::string &r) { return is_thread(r); });
    if (resources.empty()) { // a join (or a bare actor wait): straight to the actor
      for (const std::string &w : a.waits_for)
        add_edge(self, node_of(w, false), style, a.op + at, title);
      return;
    }
    for (const std::string &r : resources) {
      const std::size_t res = node_of(r, true);
      add_edge(self, res, style, a.op + at, title);
      for (const std::string &w : a.waits_for)
        add_edge(res, node_of(w, false), "release", "", w + " can release " + r);
    }
  }

  // A thread "resource" (a join) is its actor: drawn as the actor itself.
  bool is_thread(const std::string &name) const {
    const auto [first, last] = kinds_.equal_range(name);
    return std::any_of(first, last, [](const auto &k) { return k.second == "thread"; });
  }

  void mark(std::size_t n) {
    if (!nodes[n].cycle) cycle_order.push_back(n);
    nodes[n].cycle = true;
  }

  // The cycle's edges: actor -> resource -> next actor, or actor -> next actor directly.
  void mark_cycle(const std::vector<std::string> &c) {
    for (std::size_t i = 0; i < c.size(); ++i) {
      const auto a = index_.find({false, c[i]}), b = index_.find({false, c[(i + 1) % c.size()]});
      if (a == index_.end() || b == index_.end()) continue;
      for (const std::size_t k : out_[a->second]) {
        edge &e = edges[k];
        bool on = e.to == b->second; // direct
        if (nodes[e.to].resource)
          for (const std::size_t r : out_[e.to])
            if (edges[r].to == b->second) on = edges[r].cycle = true; // via the resource
        if (!on) continue;
        e.cycle = true;
        mark(e.from), mark(e.to), mark(b->second);
      }
    }
  }

  std::multimap<std::string, std::string> kinds_;             // resource name -> kind
  std::map<std::pair<bool, std::string>, std::size_t> index_; // (resource?, name) -> node
  std::set<std::pair<std::size_t, std::size_t>> edge_set_;
  std::vector<std::vector<std::size_t>> out_; // node -> its edges
};

// Past kMaxDrawn nodes, only the cycle (its first kMaxCycle nodes in wait order) and, in edge
// order, the direct neighbours of its drawn nodes are drawn, up to the bound; without a cycle, the
// first kMaxDrawn nodes. Returns how many of the cycle's nodes are not drawn.
std::size_t pick(std::vector<node> &nodes, const std::vector<edge> &edges,
                 const std::vector<std::size_t> &cycle_order) {
  if (nodes.size() <= kMaxDrawn) return 0;
  std::size_t count = 0;
  const auto draw = [&](std::size_t i) { count += !nodes[i].drawn, nodes[i].drawn = true; };
  for (node &n : nodes) n.drawn = false;
  for (std::size_t k = 0; k < cycle_order.size() && k < kMaxCycle; ++k) draw(cycle_order[k]);
  for (std::size_t i = 0; cycle_order.empty() && i < kMaxDrawn; ++i) draw(i);
  for (const edge &e : edges) {
    if (count >= kMaxDrawn) break;
    const node &from = nodes[e.from], &to = nodes[e.to];
    if (from.cycle && from.drawn && !to.cycle) draw(e.to);
    if (to.cycle && to.drawn && !from.cycle) draw(e.from);
  }
  return cycle_order.size() - std::min(cycle_order.size(), kMaxCycle);
}

// --- the layout: Graphviz's dot, in process -----------------------------------------------------

// Graphviz keeps global state (cgraph's attribute defaults, its error handler, the numeric
// locale it sets while laying out) and is not thread-safe: one layout at a time. Only layout()
// takes this lock, and it calls nothing but Graphviz (and dlopen, once) while holding it.
std::mutex graphviz_mutex;

int ignore_message(char *) { return 0; }

// Graphviz's dot layout engine (GRIDLOCK_GRAPHVIZ_DOT_LAYOUT: its plugin's absolute path, from the
// build), loaded once and kept. Graphviz gets it as its one preloaded plugin, so no plugin
// directory is scanned and no config file read. It is not linked: it lives in Graphviz's plugin
// directory, off the loader's path, and a run path to it would end up in every program linking
// gridlock (and, once CMake rewrites run paths at install, as an empty entry: the current
// directory). Null if it cannot be loaded (then there is no picture).
gvplugin_library_t *dot_layout() {
  static void *const library = [] {
    void *handle = dlopen(GRIDLOCK_GRAPHVIZ_DOT_LAYOUT, RTLD_NOW | RTLD_LOCAL);
    return handle ? dlsym(handle, "gvplugin_dot_layout_LTX_library") : nullptr;
  }();
  return static_cast<gvplugin_library_t *>(library);
}

std::string attr_num(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
  return std::string(buf, r.ptr); // not printf: independent of the program's locale
}

void set(void *object, const char *name, const std::string &value) {
  agsafeset(object, const_cast<char *>(name), const_cast<char *>(value.c_str()),
            const_cast<char *>(""));
}

// The edges that close a cycle, by a depth-first search from the nodes in `order`. dot would
// turn them around itself, but Graphviz 2.42 leaks what it allocates for that (acyclic() ->
// virtual_edge()), so they reach it turned around (drawn back to front: dir=back) and dot sees
// no cycle.
std::vector<bool> closing_edges(const std::vector<node> &nodes, const std::vector<edge> &edges,
                                const std::vector<std::size_t> &order) {
  std::vector<std::vector<std::size_t>> out(nodes.size());
  for (std::size_t k = 0; k < edges.size(); ++k)
    if (nodes[edges[k].from].drawn && nodes[edges[k].to].drawn) out[edges[k].from].push_back(k);
  enum { unseen, open, done };
  std::vector<int> state(nodes.size(), unseen);
  std::vector<bool> closing(edges.size(), false);
  const auto visit = [&](const auto &self, std::size_t n) -> void { // depth: at most kMaxDrawn + 1
    state[n] = open;
    for (const std::size_t k : out[n]) {
      if (state[edges[k].to] == open) closing[k] = true;
      if (state[edges[k].to] == unseen) self(self, edges[k].to);
    }
    state[n] = done;
  };
  for (const std::size_t i : order)
    if (nodes[i].drawn && state[i] == unseen) visit(visit, i);
  return closing;
}

// Lays out the drawn nodes and the edges between them with dot (top to bottom) and stores the
// positions in SVG coordinates (y down, the picture's top left corner at (0, 0)). Graphviz never
// sees a program-supplied string: nodes are named by index, and an edge's label is a placeholder
// of the label's size (Graphviz's built-in Courier metrics: every character 0.6 em wide), so only
// the room it reserves matters. Returns the picture's size, or nothing if the layout failed.
std::optional<point> layout(std::vector<node> &nodes, std::vector<edge> &edges,
                            const std::vector<std::size_t> &order) {
  const double font = kEdgeLabelHeight / 1.2; // Graphviz: a line is 1.2 font sizes high
  const std::vector<bool> closing = closing_edges(nodes, edges, order);
  std::lock_guard lock(graphviz_mutex);
  gvplugin_library_t *const dot = dot_layout();
  if (!dot) return std::nullopt;
  const agusererrf old_errf = agseterrf(ignore_message); // no warnings on the program's stderr
  const agerrlevel_t old_level = agseterr(AGWARN);       // (every message goes to ignore_message)
  const lt_symlist_t plugins[] = {{"gvplugin_dot_layout_LTX_library", dot}, {nullptr, nullptr}};
  GVC_t *gvc = gvContextPlugins(plugins, 0);
  Agraph_t *g = agopen(const_cast<char *>("wfg"), Agdirected, nullptr);
  set(g, "nodesep", "0.3");
  set(g, "ranksep", "0.35");
  std::vector<Agnode_t *> gv_nodes(nodes.size(), nullptr);
  for (const std::size_t i : order) {
    if (!nodes[i].drawn) continue;
    gv_nodes[i] = agnode(g, const_cast<char *>(("n" + std::to_string(i)).c_str()), 1);
    set(gv_nodes[i], "shape", "box");
    set(gv_nodes[i], "fixedsize", "true");
    set(gv_nodes[i], "label", "");
    set(gv_nodes[i], "width", attr_num(nodes[i].w / 72)); // inches
    set(gv_nodes[i], "height", attr_num(nodes[i].h / 72));
  }
  std::vector<Agedge_t *> gv_edges(edges.size(), nullptr);
  for (std::size_t k = 0; k < edges.size(); ++k) {
    edge &e = edges[k];
    if (!gv_nodes[e.from] || !gv_nodes[e.to]) continue;
    if (closing[k]) {
      gv_edges[k] = agedge(g, gv_nodes[e.to], gv_nodes[e.from], nullptr, 1);
      set(gv_edges[k], "dir", "back");
    } else {
      gv_edges[k] = agedge(g, gv_nodes[e.from], gv_nodes[e.to], nullptr, 1);
    }
    if (e.w == 0) continue;
    set(gv_edges[k], "fontname", "Courier");
    set(gv_edges[k], "fontsize", attr_num(font));
    set(gv_edges[k], "label", std::string(std::size_t(std::ceil(e.w / (0.6 * font))), 'x'));
  }
  std::optional<point> size;
  if (gvLayout(gvc, g, "dot") == 0) {
    const boxf bb = GD_bb(g);
    const auto svg = [&bb](pointf p) { return point{p.x - bb.LL.x, bb.UR.y - p.y}; };
    size = point{bb.UR.x - bb.LL.x, bb.UR.y - bb.LL.y};
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (gv_nodes[i]) nodes[i].at = svg(ND_coord(gv_nodes[i]));
    for (std::size_t k = 0; k < edges.size(); ++k) {
      if (!gv_edges[k]) continue;
      edge &e = edges[k];
      if (const splines *s = ED_spl(gv_edges[k]); s && s->size > 0) {
        const bezier &b = s->list[0]; // one piece: no compound edges here
        for (int p = 0; p < b.size; ++p) e.curve.push_back(svg(b.list[p]));
        if (closing[k]) std::reverse(e.curve.begin(), e.curve.end());
        e.arrow = (closing[k] ? b.sflag : b.eflag) != 0;
        e.tip = svg(closing[k] ? b.sp : b.ep);
      }
      if (const textlabel_t *l = ED_label(gv_edges[k]); l && l->set) e.label_at = svg(l->pos);
    }
  }
  gvFreeLayout(gvc, g);
  agclose(g);
  gvFreeContext(gvc);
  agseterr(old_level);
  agseterrf(old_errf);
  return size;
}

// --- drawing ------------------------------------------------------------------------------------

void draw_edge(std::ostringstream &o, const std::vector<node> &nodes, const edge &e,
               const std::string &id) {
  if (e.curve.empty()) return;
  const std::string marker = e.cycle ? "arrow-cycle-" + id : "arrow-" + id;
  o << "<g class=\"edge " << e.style << (e.cycle ? " cycle" : "") << "\" data-from=\""
    << esc(nodes[e.from].name) << "\" data-to=\"" << esc(nodes[e.to].name) << "\"><title>"
    << esc(e.title) << "</title><path d=\"M" << num(e.curve[0].x) << " " << num(e.curve[0].y);
  for (std::size_t p = 1; p + 2 < e.curve.size(); p += 3)
    o << " C" << num(e.curve[p].x) << " " << num(e.curve[p].y) << " " << num(e.curve[p + 1].x)
      << " " << num(e.curve[p + 1].y) << " " << num(e.curve[p + 2].x) << " "
      << num(e.curve[p + 2].y);
  if (e.arrow) o << " L" << num(e.tip.x) << " " << num(e.tip.y);
  o << "\" marker-end=\"url(#" << marker << ")\"/>";
  if (!e.label.empty()) // the text's middle on the label's centre (11px: baseline 4px below)
    o << "<text x=\"" << num(e.label_at.x) << "\" y=\"" << num(e.label_at.y + 4) << "\">"
      << esc(markup::shorten(e.label, kEdgeLabel)) << "</text>";
  o << "</g>\n";
}

void draw_node(std::ostringstream &o, const node &n) {
  const char *cls = n.more ? "more" : n.resource ? "resource" : "actor";
  const std::string title = n.more       ? n.text
                            : n.resource ? (n.kind.empty() ? "resource" : n.kind) + " " + n.name
                                         : "actor " + n.name;
  o << "<g class=\"node " << cls << (n.cycle ? " cycle" : "") << "\" data-name=\"" << esc(n.name)
    << "\"><title>" << esc(title) << "</title><rect x=\"" << num(n.at.x - n.w / 2) << "\" y=\""
    << num(n.at.y - n.h / 2) << "\" width=\"" << num(n.w) << "\" height=\"" << num(n.h)
    << "\" rx=\"" << (n.resource ? 3 : 14) << "\"/><text x=\"" << num(n.at.x) << "\" y=\""
    << num(n.at.y + 4) << "\">" << esc(n.text) << "</text></g>\n";
}

void legend(std::ostringstream &o, double x, double y) {
  const struct {
    const char *cls, *text;
  } items[] = {{"and", "AND wait: needs all"},
               {"or", "OR wait: any one releases it"},
               {"release", "can release"},
               {"and cycle", "the cycle"}};
  o << "<g class=\"legend\">";
  for (const auto &it : items) {
    o << "<g class=\"edge " << it.cls << "\"><path d=\"M" << num(x) << " " << num(y) << " H"
      << num(x + 34) << "\"/><text x=\"" << num(x + 40) << "\" y=\"" << num(y + 4) << "\">"
      << it.text << "</text></g>";
    x += 56 + 7.0 * std::string(it.text).size();
  }
  o << "</g>\n";
}

std::string count(std::size_t n, const char *what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

} // namespace

std::string wait_for_svg(const finding &f, const std::string &id) {
  graph_builder g(f);
  if (g.nodes.empty()) return "";
  for (node &n : g.nodes) {
    n.text = markup::shorten(n.name, kLabel);
    n.w = 24 + text_width(n.text, kNodeFont);
    n.h = n.resource ? 24 : 30;
  }
  for (edge &e : g.edges)
    if (!e.label.empty()) e.w = 8 + text_width(markup::shorten(e.label, kEdgeLabel), kEdgeFont);
  std::stable_partition(g.edges.begin(), g.edges.end(), [](const edge &e) { return e.cycle; });
  std::size_t hidden_actors = 0, hidden_resources = 0;
  if (const std::size_t cut = pick(g.nodes, g.edges, g.cycle_order)) {
    // The cycle goes on from its last drawn node through "…" back to its first.
    node more;
    more.cycle = more.more = true;
    more.text = "\u2026 " + count(cut, "more node") + " of the cycle";
    more.w = 24 + text_width(more.text, kNodeFont), more.h = 30;
    g.nodes.push_back(std::move(more));
    for (const auto &[from, to] : {std::pair{g.cycle_order[kMaxCycle - 1], g.nodes.size() - 1},
                                   std::pair{g.nodes.size() - 1, g.cycle_order[0]}}) {
      edge e;
      e.from = from, e.to = to, e.style = "more", e.cycle = true;
      e.title = "the cycle goes on through " + count(cut, "node") + " not drawn";
      g.edges.push_back(std::move(e));
    }
  }
  for (const node &n : g.nodes)
    if (!n.drawn) ++(n.resource ? hidden_resources : hidden_actors);
  // Graphviz gets the cycle first, in wait order, so that the cycle starts at the top.
  std::vector<std::size_t> order = g.cycle_order;
  for (std::size_t i = 0; i < g.nodes.size(); ++i)
    if (!g.nodes[i].cycle || g.nodes[i].more) order.push_back(i);
  const auto size = layout(g.nodes, g.edges, order);
  if (!size) return "";

  // The picture, centred above the line saying what was left out (if anything) and the legend.
  const double width = std::max(size->x + 2 * kPad, 720.0);
  const bool omitted = hidden_actors + hidden_resources > 0;
  const double height = size->y + 2 * kPad + 32 + (omitted ? 22 : 0);
  std::ostringstream o;
  o << "<svg class=\"wfg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << num(width) << " "
    << num(height) << "\" width=\"100%\" style=\"max-width:" << num(width)
    << "px\" role=\"img\" aria-label=\"wait-for graph\">\n<defs>";
  for (const char *kind : {"", "cycle-"})
    o << "<marker id=\"arrow-" << kind << id
      << "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
         "orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" class=\"arrowhead "
      << kind << "\"/></marker>";
  o << "</defs>\n<g transform=\"translate(" << num((width - size->x) / 2) << " " << num(kPad)
    << ")\">\n";
  for (const edge &e : g.edges) draw_edge(o, g.nodes, e, id);
  for (const node &n : g.nodes)
    if (n.drawn) draw_node(o, n);
  o << "</g>\n";
  if (omitted)
    o << "<text class=\"omitted\" x=\"12\" y=\"" << num(height - 38) << "\">+ "
      << count(hidden_actors, "more actor") << " and " << count(hidden_resources, "resource")
      << " not drawn: the picture shows the cycle and its nearest neighbours</text>\n";
  legend(o, 12, height - 16);
  o << "</svg>\n";
  return o.str();
}

} // namespace gridlock::report
