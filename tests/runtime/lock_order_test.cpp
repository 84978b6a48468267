// gridlock's own lock order is checked in test builds: taking a lower rank under a higher one
// aborts with a message naming both ranks.
#include <gridlock/detail/lock_order.hpp>

#include <gtest/gtest.h>

#include <mutex>

using gridlock::detail::lock_rank;
using gridlock::detail::ranked_mutex;

TEST(LockOrder, InOrderIsFine) {
  ranked_mutex<lock_rank::primitive> p1;
  ranked_mutex<lock_rank::primitive> p2;
  ranked_mutex<lock_rank::graph> g;
  ranked_mutex<lock_rank::trace> t;
  std::lock_guard l1(p1); // several primitives: allowed (select, in address order)
  std::lock_guard l2(p2);
  std::lock_guard lg(g);
  std::lock_guard lt(t);
  SUCCEED();
}

TEST(LockOrderDeathTest, PrimitiveUnderGraphAborts) {
  EXPECT_DEATH(
      {
        ranked_mutex<lock_rank::graph> g;
        ranked_mutex<lock_rank::primitive> p;
        std::lock_guard lg(g);
        std::lock_guard lp(p);
      },
      "lock-order violation: acquiring rank 1 while holding rank 2");
}

TEST(LockOrderDeathTest, TwoGraphLocksAbort) {
  EXPECT_DEATH(
      {
        ranked_mutex<lock_rank::graph> g1;
        ranked_mutex<lock_rank::graph> g2;
        std::lock_guard l1(g1);
        std::lock_guard l2(g2);
      },
      "acquiring rank 2 while holding rank 2");
}

TEST(LockOrderDeathTest, AnythingUnderTheTraceLockAborts) {
  EXPECT_DEATH(
      {
        ranked_mutex<lock_rank::trace> t;
        ranked_mutex<lock_rank::graph> g;
        std::lock_guard lt(t);
        std::lock_guard lg(g);
      },
      "acquiring rank 2 while holding rank 3");
}
