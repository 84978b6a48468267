// cycles: who waits for whom among a program's actors (threads, processes, MPI ranks), and the
// cycles of that relation — the deadlocks both of gridlock-check's modes report. Boost.Graph
// stays inside cycles.cpp. Cost: O(actors + edges) per cycles() call. Not thread-safe.
#pragma once

#include <vector>

namespace gridlock::analyzer {

class wait_for {
public:
  explicit wait_for(int actors);

  // `from` waits for `to`. Adding an edge twice adds it once. Both must be in [0, actors).
  void add(int from, int to);

  // One shortest cycle per strongly connected component that has a cycle: the one through the
  // lowest-numbered actor on a cycle, listed in wait order from it (c[i] waits for c[i + 1], the
  // last for the first). In order of those lowest actors.
  std::vector<std::vector<int>> cycles() const;

private:
  std::vector<int> shortest_cycle_through(int start) const;
  std::vector<std::vector<int>> out_;
};

} // namespace gridlock::analyzer
