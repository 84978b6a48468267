// A real GoogleTest binary linked with gridlock::gtest_main: one test deadlocks, one is clean.
// tests/e2e checks that the first fails with gridlock's summary and the second passes.
#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>

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

namespace {
// True once thread `tid` has slept in the kernel for 200 ms without a break: only its gridlock
// wait lasts that long.
void wait_until_blocked(pid_t tid) {
  for (int quiet = 0; quiet < 20;) {
    std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
    const std::string text((std::istreambuf_iterator<char>(stat)), {});
    const auto paren = text.rfind(')');
    quiet = paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'S'
                ? quiet + 1
                : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}
} // namespace

TEST(WithListener, LeavesAnActorBlocked) {
  static auto channel = gridlock::make_channel<int>(0, "never"); // outlives the test: never closes
  std::atomic<pid_t> tid{0};
  gridlock::thread stuck("stuck", [&tid] {
    tid = ::gettid();
    channel.second.recv();
  });
  stuck.detach();
  while (tid == 0) std::this_thread::yield();
  wait_until_blocked(tid);
}
