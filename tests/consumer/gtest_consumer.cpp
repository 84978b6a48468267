// A GoogleTest binary built against an installed gridlock with gridlock::gtest_main (find_package)
// or `pkg-config gridlock-gtest`: run.sh expects Deadlocks to fail with gridlock's summary and
// Clean to pass.
#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

TEST(Consumer, Clean) {
  auto [tx, rx] = gridlock::make_channel<int>(1, "fine");
  tx.send(1);
  EXPECT_EQ(rx.recv(), 1);
}

TEST(Consumer, Deadlocks) {
  auto [a_tx, a_rx] = gridlock::make_channel<int>(0, "a");
  auto [b_tx, b_rx] = gridlock::make_channel<int>(0, "b");
  auto peer = [](gridlock::sender<int> out, gridlock::receiver<int> in) {
    try {
      out.send(1); // both send first; gtest_main's on_deadlock=break ends it
      in.recv();
    } catch (const std::exception &) {
    }
  };
  gridlock::thread x("X", peer, std::move(a_tx), std::move(b_rx));
  gridlock::thread y("Y", peer, std::move(b_tx), std::move(a_rx));
}
