#include "wait_for_svg.hpp"

#include "markup.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <vector>

namespace gridlock::report {
namespace {

using markup::esc;
using markup::num;

constexpr std::size_t kLabel = 28; // characters of a node name drawn (the full name is its title)

struct node {
  std::string name;
  bool resource = false;
  bool cycle = false;
  std::string kind; // resources: channel, mailbox, mutex, ...
  double x = 0, y = 0, hw = 0, hh = 0;
};

struct edge {
  std::size_t from = 0, to = 0;
  std::string style; // "and", "or" (a wait) or "release" (resource -> releaser)
  bool cycle = false;
  std::string label, title;
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

class graph_builder {
public:
  explicit graph_builder(const finding &f) : f_(f) {
    for (const actor_entry &a : f.actors) add_wait(a);
    mark_cycle();
  }
  std::vector<node> nodes;
  std::vector<edge> edges;

private:
  std::size_t node_of(const std::string &name, bool resource) {
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i].name == name && nodes[i].resource == resource) return i;
    node n;
    n.name = name;
    n.resource = resource;
    if (resource)
      for (const resource_entry &r : f_.resources)
        if (r.name == name) n.kind = r.kind;
    nodes.push_back(n);
    return nodes.size() - 1;
  }

  void add_edge(std::size_t from, std::size_t to, std::string style, std::string label,
                std::string title) {
    for (const edge &e : edges)
      if (e.from == from && e.to == to) return;
    edges.push_back({from, to, std::move(style), false, std::move(label), std::move(title)});
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
    return std::any_of(f_.resources.begin(), f_.resources.end(), [&](const resource_entry &r) {
      return r.name == name && r.kind == "thread";
    });
  }

  // The cycle's edges: actor -> resource -> next actor, or actor -> next actor directly.
  void mark_cycle() {
    const auto &c = f_.cycle;
    for (std::size_t i = 0; i < c.size(); ++i) {
      const std::string &a = c[i], &b = c[(i + 1) % c.size()];
      for (edge &e : edges) {
        const node &from = nodes[e.from], &to = nodes[e.to];
        if (from.resource || from.name != a) continue;
        const bool direct = !to.resource && to.name == b;
        const bool via = to.resource && std::any_of(edges.begin(), edges.end(), [&](const edge &r) {
                           return r.from == e.to && !nodes[r.to].resource && nodes[r.to].name == b;
                         });
        if (!direct && !via) continue;
        e.cycle = nodes[e.from].cycle = nodes[e.to].cycle = true;
        if (via)
          for (edge &r : edges)
            if (r.from == e.to && nodes[r.to].name == b && !nodes[r.to].resource)
              r.cycle = nodes[r.to].cycle = true;
      }
    }
  }

  const finding &f_;
};

// Inner ring: the cycle in wait order; outer ring: everything else.
std::vector<std::size_t> ring_order(const std::vector<node> &nodes, const std::vector<edge> &edges,
                                    bool inner) {
  std::vector<std::size_t> order;
  std::vector<bool> placed(nodes.size(), false);
  // Walk: an actor, then the resources its (cycle) edges lead to, in edge order.
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].resource || nodes[i].cycle != inner || placed[i]) continue;
    order.push_back(i);
    placed[i] = true;
    for (const edge &e : edges)
      if (e.from == i && nodes[e.to].resource && nodes[e.to].cycle == inner && !placed[e.to]) {
        order.push_back(e.to);
        placed[e.to] = true;
      }
  }
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].cycle == inner && !placed[i]) order.push_back(i);
  return order;
}

// The space a node needs along its ring: its box and the label of its longest outgoing edge.
double footprint(const node &n, std::size_t i, const std::vector<edge> &edges) {
  std::size_t label = 0;
  for (const edge &e : edges)
    if (e.from == i) label = std::max(label, std::min<std::size_t>(e.label.size(), 48));
  return 2 * n.hw + 50 + 5.5 * label;
}

// Puts `order` evenly around a circle starting at the top, clockwise; returns the radius.
double place_ring(std::vector<node> &nodes, const std::vector<edge> &edges,
                  const std::vector<std::size_t> &order, double min_r) {
  if (order.empty()) return min_r;
  double perimeter = 0;
  for (std::size_t i : order) perimeter += footprint(nodes[i], i, edges);
  const double r = order.size() == 1 ? 0 : std::max(min_r, perimeter / (2 * std::numbers::pi));
  for (std::size_t k = 0; k < order.size(); ++k) {
    const double angle = -std::numbers::pi / 2 + 2 * std::numbers::pi * k / order.size();
    nodes[order[k]].x = r * std::cos(angle);
    nodes[order[k]].y = r * std::sin(angle);
  }
  return r;
}

// The outer ring: each node near the angle of the inner node it is connected to, spread so that
// neighbours keep their distance.
void place_outer(std::vector<node> &nodes, const std::vector<edge> &edges,
                 const std::vector<std::size_t> &order, double r) {
  const double two_pi = 2 * std::numbers::pi;
  std::vector<std::pair<double, std::size_t>> wanted; // preferred angle, node
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    double angle = -std::numbers::pi / 2 + two_pi * k / order.size(); // unconnected: even spread
    for (const edge &e : edges) {
      const std::size_t other = e.from == i ? e.to : e.to == i ? e.from : i;
      if (other != i && nodes[other].cycle) {
        angle = std::atan2(nodes[other].y, nodes[other].x);
        break;
      }
    }
    wanted.emplace_back(angle, i);
  }
  std::sort(wanted.begin(), wanted.end());
  double gap = 0; // the angle each node needs on the outer ring
  for (const auto &[a, i] : wanted) gap = std::max(gap, footprint(nodes[i], i, edges) / r);
  gap = std::min(gap, two_pi / wanted.size());
  for (std::size_t k = 1; k < wanted.size(); ++k)
    wanted[k].first = std::max(wanted[k].first, wanted[k - 1].first + gap);
  for (const auto &[a, i] : wanted) {
    nodes[i].x = r * std::cos(a);
    nodes[i].y = r * std::sin(a);
  }
}

// Where the segment from a's centre towards (tx, ty) leaves a's box.
std::pair<double, double> border(const node &a, double tx, double ty) {
  const double dx = tx - a.x, dy = ty - a.y;
  if (dx == 0 && dy == 0) return {a.x, a.y};
  const double s =
      std::min(dx != 0 ? a.hw / std::abs(dx) : 1e9, dy != 0 ? a.hh / std::abs(dy) : 1e9);
  return {a.x + dx * std::min(s, 1.0), a.y + dy * std::min(s, 1.0)};
}

void draw_edge(std::ostringstream &o, const std::vector<node> &nodes, const edge &e,
               bool has_reverse, const std::string &id) {
  const node &a = nodes[e.from], &b = nodes[e.to];
  // A pair of opposite edges bends apart; otherwise straight.
  const double mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
  const double len = std::max(1.0, std::hypot(b.x - a.x, b.y - a.y));
  const double bend = has_reverse ? 28 : 0;
  const double cx = mx - (b.y - a.y) / len * bend, cy = my + (b.x - a.x) / len * bend;
  const auto [x1, y1] = border(a, cx, cy);
  const auto [x2, y2] = border(b, cx, cy);
  const std::string marker = e.cycle ? "arrow-cycle-" + id : "arrow-" + id;
  o << "<g class=\"edge " << e.style << (e.cycle ? " cycle" : "") << "\" data-from=\""
    << esc(a.name) << "\" data-to=\"" << esc(b.name) << "\"><title>" << esc(e.title)
    << "</title><path d=\"M" << num(x1) << " " << num(y1) << " Q" << num(cx) << " " << num(cy)
    << " " << num(x2) << " " << num(y2) << "\" marker-end=\"url(#" << marker << ")\"/>";
  if (!e.label.empty()) {
    const double lx = 0.25 * x1 + 0.5 * cx + 0.25 * x2, ly = 0.25 * y1 + 0.5 * cy + 0.25 * y2;
    o << "<text x=\"" << num(lx) << "\" y=\"" << num(ly - 4) << "\">"
      << esc(markup::shorten(e.label, 48)) << "</text>";
  }
  o << "</g>\n";
}

void draw_node(std::ostringstream &o, const node &n) {
  o << "<g class=\"node " << (n.resource ? "resource" : "actor") << (n.cycle ? " cycle" : "")
    << "\" data-name=\"" << esc(n.name) << "\"><title>"
    << esc((n.resource ? (n.kind.empty() ? "resource" : n.kind) : std::string("actor")) + " " +
           n.name)
    << "</title><rect x=\"" << num(n.x - n.hw) << "\" y=\"" << num(n.y - n.hh) << "\" width=\""
    << num(2 * n.hw) << "\" height=\"" << num(2 * n.hh) << "\" rx=\"" << (n.resource ? 3 : 14)
    << "\"/><text x=\"" << num(n.x) << "\" y=\"" << num(n.y + 4) << "\">"
    << esc(markup::shorten(n.name, kLabel)) << "</text></g>\n";
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

} // namespace

std::string wait_for_svg(const finding &f, const std::string &id) {
  graph_builder g(f);
  if (g.nodes.empty()) return "";
  for (node &n : g.nodes) {
    n.hw = 12 + 3.6 * std::min(markup::shorten(n.name, kLabel).size(), kLabel + 1);
    n.hh = n.resource ? 12 : 15;
  }
  const auto inner_order = ring_order(g.nodes, g.edges, true);
  const auto outer_order = ring_order(g.nodes, g.edges, false);
  if (inner_order.empty()) { // no cycle: everything on one ring
    place_ring(g.nodes, g.edges, outer_order, 90);
  } else {
    const double inner = place_ring(g.nodes, g.edges, inner_order, 90);
    place_outer(g.nodes, g.edges, outer_order, inner + 110);
  }
  // The picture's extent, then shift it into view with room for labels and the legend.
  double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
  for (const node &n : g.nodes) {
    x0 = std::min(x0, n.x - n.hw), x1 = std::max(x1, n.x + n.hw);
    y0 = std::min(y0, n.y - n.hh), y1 = std::max(y1, n.y + n.hh);
  }
  const double pad = 110, width = std::max(x1 - x0 + 2 * pad, 720.0);
  const double height = y1 - y0 + 2 * 40 + 40;
  const double dx = (width - (x1 - x0)) / 2 - x0, dy = 40 - y0;
  for (node &n : g.nodes) n.x += dx, n.y += dy;

  std::ostringstream o;
  o << "<svg class=\"wfg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << num(width) << " "
    << num(height) << "\" width=\"100%\" style=\"max-width:" << num(width)
    << "px\" role=\"img\" aria-label=\"wait-for graph\">\n<defs>";
  for (const char *kind : {"", "cycle-"})
    o << "<marker id=\"arrow-" << kind << id
      << "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
         "orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" class=\"arrowhead "
      << kind << "\"/></marker>";
  o << "</defs>\n";
  for (const edge &e : g.edges) {
    const bool reverse = std::any_of(g.edges.begin(), g.edges.end(), [&](const edge &r) {
      return r.from == e.to && r.to == e.from;
    });
    draw_edge(o, g.nodes, e, reverse, id);
  }
  for (const node &n : g.nodes) draw_node(o, n);
  legend(o, 12, height - 16);
  o << "</svg>\n";
  return o.str();
}

} // namespace gridlock::report
