#include "cycles.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

#include <algorithm>
#include <deque>
#include <set>

namespace gridlock::analyzer {

wait_for::wait_for(int actors) : out_(static_cast<std::size_t>(actors)) {}

void wait_for::add(int from, int to) {
  auto &out = out_.at(static_cast<std::size_t>(from));
  if (std::find(out.begin(), out.end(), to) == out.end()) out.push_back(to);
}

// Breadth first from `start`: the first edge back to it closes the shortest cycle.
std::vector<int> wait_for::shortest_cycle_through(int start) const {
  std::vector<int> parent(out_.size(), -1);
  std::deque<int> queue{start};
  while (!queue.empty()) {
    const int v = queue.front();
    queue.pop_front();
    for (int w : out_[static_cast<std::size_t>(v)]) {
      if (w == start) {
        std::vector<int> cycle;
        for (int u = v; u != start; u = parent[static_cast<std::size_t>(u)]) cycle.push_back(u);
        cycle.push_back(start);
        std::reverse(cycle.begin(), cycle.end());
        return cycle;
      }
      if (parent[static_cast<std::size_t>(w)] >= 0) continue;
      parent[static_cast<std::size_t>(w)] = v;
      queue.push_back(w);
    }
  }
  return {};
}

std::vector<std::vector<int>> wait_for::cycles() const {
  using digraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  digraph g(out_.size());
  for (std::size_t v = 0; v < out_.size(); ++v)
    for (int w : out_[v]) boost::add_edge(v, static_cast<std::size_t>(w), g);
  std::vector<int> component(out_.size());
  if (!out_.empty()) boost::strong_components(g, component.data());
  std::vector<std::vector<int>> found;
  std::set<int> done; // components whose cycle is found
  for (std::size_t v = 0; v < out_.size(); ++v) {
    if (done.count(component[v])) continue;
    std::vector<int> cycle = shortest_cycle_through(static_cast<int>(v));
    if (cycle.empty()) continue;
    done.insert(component[v]);
    found.push_back(std::move(cycle));
  }
  return found;
}

} // namespace gridlock::analyzer
