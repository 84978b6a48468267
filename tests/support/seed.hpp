// Test support: the seed of a randomized test — GRIDLOCK_TEST_SEED if set (to replay a run), else
// a fresh one — printed so that a failing run can be replayed.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>

namespace gridlock::testing {

inline std::uint64_t test_seed() {
  const char *v = std::getenv("GRIDLOCK_TEST_SEED");
  const std::uint64_t s = v ? std::strtoull(v, nullptr, 10) : std::random_device{}();
  std::cout << "seed " << s << " (GRIDLOCK_TEST_SEED=" << s << " replays it)\n";
  return s;
}

} // namespace gridlock::testing
