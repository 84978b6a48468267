// shortest_cycle_through: the shortest directed cycle through one vertex of a Boost.Graph graph,
// by breadth-first search, for the runtime's wait graph.
// Cost: O(V + E) per call.
#pragma once

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/graph_traits.hpp>

#include <algorithm>
#include <limits>
#include <vector>

namespace gridlock::graph {

namespace detail {
struct cycle_found {};

// Records the BFS tree from `start` and stops at the first edge that returns to it.
template <class Graph> class cycle_visitor : public boost::default_bfs_visitor {
  using vertex = typename boost::graph_traits<Graph>::vertex_descriptor;
  using edge = typename boost::graph_traits<Graph>::edge_descriptor;

public:
  cycle_visitor(vertex start, std::vector<vertex> &pred, vertex &last)
      : start_(start), pred_(pred), last_(last) {}
  void tree_edge(edge e, const Graph &g) const { pred_[target(e, g)] = source(e, g); }
  void examine_edge(edge e, const Graph &g) const {
    if (target(e, g) == start_) {
      last_ = source(e, g);
      throw cycle_found{};
    }
  }

private:
  vertex start_;
  std::vector<vertex> &pred_;
  vertex &last_;
};
} // namespace detail

// The vertices of the shortest cycle through `start`, in order from it; empty if there is none.
// Graph: a Boost.Graph with integral vertex descriptors (vecS); its functions are found by ADL.
template <class Graph>
std::vector<typename boost::graph_traits<Graph>::vertex_descriptor>
shortest_cycle_through(const Graph &g,
                       typename boost::graph_traits<Graph>::vertex_descriptor start) {
  using vertex = typename boost::graph_traits<Graph>::vertex_descriptor;
  constexpr vertex none = std::numeric_limits<vertex>::max();
  std::vector<vertex> pred(num_vertices(g), none); // unqualified: found by ADL on Graph
  vertex last = none;
  try {
    boost::breadth_first_search(g, start,
                                boost::visitor(detail::cycle_visitor<Graph>(start, pred, last)));
  } catch (const detail::cycle_found &) {
  }
  if (last == none) return {};
  std::vector<vertex> path;
  for (vertex v = last; v != start; v = pred[v]) path.push_back(v);
  path.push_back(start);
  std::reverse(path.begin(), path.end());
  return path;
}

} // namespace gridlock::graph
