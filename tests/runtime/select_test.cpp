// select: an OR over channel operations; exactly one case runs.
#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;

TEST(Select, RunsTheReadyReceiveCase) {
  auto [atx, arx] = gridlock::make_channel<int>(1);
  auto [btx, brx] = gridlock::make_channel<int>(1);
  btx.send(2);
  int got = 0, which = 0;
  gridlock::select sel;
  sel.recv(arx, [&](std::optional<int> v) { which = 1, got = *v; });
  sel.recv(brx, [&](std::optional<int> v) { which = 2, got = *v; });
  sel.wait();
  EXPECT_EQ(which, 2);
  EXPECT_EQ(got, 2);
}

TEST(Select, TrySelectNeverBlocks) {
  auto [tx, rx] = gridlock::make_channel<int>(0);
  gridlock::select sel;
  bool ran = false;
  sel.recv(rx, [&](std::optional<int>) { ran = true; });
  EXPECT_FALSE(sel.try_select());
  EXPECT_FALSE(ran);
}

TEST(Select, WaitForTimesOutWithNoCaseRun) {
  auto [tx, rx] = gridlock::make_channel<int>(0);
  gridlock::select sel;
  bool ran = false;
  sel.recv(rx, [&](std::optional<int>) { ran = true; });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(sel.wait_for(30ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
  EXPECT_FALSE(ran);
  // The timed-out select left no node behind: a later send is not swallowed by it.
  std::thread t([tx = tx]() mutable { tx.send(9); });
  EXPECT_EQ(rx.recv(), 9);
  t.join();
}

TEST(Select, BlocksUntilOneChannelDelivers) {
  auto [atx, arx] = gridlock::make_channel<int>(0);
  auto [btx, brx] = gridlock::make_channel<int>(0);
  std::thread t([btx = btx]() mutable { btx.send(42); });
  int got = 0;
  gridlock::select sel;
  sel.recv(arx, [&](std::optional<int>) { got = -1; });
  sel.recv(brx, [&](std::optional<int> v) { got = *v; });
  sel.wait();
  t.join();
  EXPECT_EQ(got, 42);
  int v = 1;
  EXPECT_FALSE(atx.try_send(v)); // the select's node on `a` was removed: nobody receives there
}

TEST(Select, SendCaseHandsTheValueToABlockedReceiver) {
  auto [tx, rx] = gridlock::make_channel<int>(0);
  std::optional<int> received;
  std::thread t([&, rx = rx]() mutable { received = rx.recv(); });
  bool sent = false;
  gridlock::select sel;
  sel.send(tx, 5, [&] { sent = true; });
  sel.wait();
  t.join();
  EXPECT_TRUE(sent);
  EXPECT_EQ(received, 5);
}

TEST(Select, ClosedChannelIsReadyWithNullopt) {
  auto [tx, rx] = gridlock::make_channel<int>(0);
  tx.close();
  bool closed = false;
  gridlock::select sel;
  sel.recv(rx, [&](std::optional<int> v) { closed = !v; });
  EXPECT_TRUE(sel.try_select());
  EXPECT_TRUE(closed);
}

TEST(Select, SendCaseOnClosedChannelThrows) {
  auto [tx, rx] = gridlock::make_channel<int>(0);
  tx.close();
  gridlock::select sel;
  sel.send(tx, 1, [] {});
  EXPECT_THROW(sel.wait(), gridlock::channel_closed);
}

TEST(Select, ExactlyOneCaseRunsUnderContention) {
  // Two selects each offering to receive from two channels; two senders. Every value arrives
  // exactly once.
  constexpr int kRounds = 2000;
  auto [atx, arx] = gridlock::make_channel<int>(0);
  auto [btx, brx] = gridlock::make_channel<int>(0);
  std::atomic<long> sum{0};
  std::atomic<int> count{0};
  auto consumer = [&](gridlock::receiver<int> a, gridlock::receiver<int> b) {
    for (bool open_a = true, open_b = true; open_a || open_b;) {
      gridlock::select sel;
      if (open_a)
        sel.recv(a, [&](std::optional<int> v) { v ? (sum += *v, ++count) : (open_a = false, 0); });
      if (open_b)
        sel.recv(b, [&](std::optional<int> v) { v ? (sum += *v, ++count) : (open_b = false, 0); });
      sel.wait();
    }
  };
  std::thread c1(consumer, arx, brx), c2(consumer, arx, brx);
  std::thread pa([atx = std::move(atx)]() mutable {
    for (int i = 1; i <= kRounds; ++i) atx.send(i);
  });
  std::thread pb([btx = std::move(btx)]() mutable {
    for (int i = 1; i <= kRounds; ++i) btx.send(i);
  });
  pa.join();
  pb.join();
  c1.join();
  c2.join();
  EXPECT_EQ(count, 2 * kRounds);
  EXPECT_EQ(sum, 2L * kRounds * (kRounds + 1) / 2);
}

TEST(Select, NoReadyCaseStarvesAnother) {
  // Both channels always ready; fresh selects each round must serve both.
  auto [atx, arx] = gridlock::make_unbounded_channel<int>();
  auto [btx, brx] = gridlock::make_unbounded_channel<int>();
  int from_a = 0, from_b = 0;
  for (int round = 0; round < 100; ++round) {
    atx.send(1);
    btx.send(1);
    gridlock::select sel;
    sel.recv(arx, [&](std::optional<int>) { ++from_a; });
    sel.recv(brx, [&](std::optional<int>) { ++from_b; });
    sel.wait();
  }
  EXPECT_GE(from_a, 25);
  EXPECT_GE(from_b, 25);
}
