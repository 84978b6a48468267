// A real GoogleTest binary linked with gridlock::gtest_main: one test deadlocks, one is clean.
// tests/e2e checks that the first fails with gridlock's summary and the second passes.
#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

TEST(WithListener, Clean) {
  auto [tx, rx] = gridlock::make_channel<int>(1, "fine");
  tx.send(1);
  EXPECT_EQ(rx.recv(), 1);
}

TEST(WithListener, Deadlocks) {
  auto [a_tx, a_rx] = gridlock::make_channel<int>(0, "a");
  auto [b_tx, b_rx] = gridlock::make_channel<int>(0, "b");
  auto peer = [](gridlock::sender<int> out, gridlock::receiver<int> in) {
    try {
      out.send(1); // both send first: a deadlock, broken by gtest_main's on_deadlock=break
      in.recv();
    } catch (const std::exception &) {
    }
  };
  gridlock::thread x("X", peer, std::move(a_tx), std::move(b_rx));
  gridlock::thread y("Y", peer, std::move(b_tx), std::move(a_rx));
}
