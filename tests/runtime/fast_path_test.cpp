// The cost rule: a send or receive that does not block takes no global lock and allocates
// nothing. Checked by counting, on the calling thread, acquisitions of gridlock's graph lock
// (lock-order instrumentation of test builds) and calls to operator new (replaced below).
#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <new>

#ifndef GRIDLOCK_CHECK_LOCK_ORDER
#error "fast_path_test needs a build with GRIDLOCK_CHECK_LOCK_ORDER (the default for test builds)"
#endif

namespace {
thread_local unsigned long allocations = 0;
}

void *operator new(std::size_t n) {
  ++allocations;
  if (void *p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

namespace {

struct counts {
  unsigned long graph_locks, news;
};
counts now() {
  return {gridlock::detail::lock_acquisitions(gridlock::detail::lock_rank::graph), allocations};
}

template <class F> void expect_free(const char *what, F f) {
  f(); // warm-up: registers the thread as an actor, grows buffers to their high-water mark
  const counts before = now();
  for (int i = 0; i < 10000; ++i) f();
  const counts after = now();
  EXPECT_EQ(after.graph_locks - before.graph_locks, 0u) << what;
  EXPECT_EQ(after.news - before.news, 0u) << what;
}

} // namespace

TEST(FastPath, BufferedSendAndReceive) {
  auto [tx, rx] = gridlock::make_channel<int>(64, "buffered");
  expect_free("send+recv on a buffered channel", [&] {
    tx.send(1);
    (void)rx.recv();
  });
}

TEST(FastPath, TrySendTryRecv) {
  auto [tx, rx] = gridlock::make_channel<int>(1, "one");
  expect_free("try_send+try_recv", [&] {
    int v = 1;
    (void)tx.try_send(v);
    (void)rx.try_recv();
    (void)rx.try_recv(); // empty: would block, does not
  });
}

TEST(FastPath, UnboundedChannelAtSteadyState) {
  auto [tx, rx] = gridlock::make_unbounded_channel<int>("unbounded");
  expect_free("unbounded send+recv", [&] {
    for (int i = 0; i < 8; ++i) tx.send(i);
    for (int i = 0; i < 8; ++i) (void)rx.recv();
  });
}

TEST(FastPath, UncontendedMutex) {
  gridlock::mutex m("m");
  expect_free("lock+unlock", [&] {
    m.lock();
    m.unlock();
  });
}

TEST(FastPath, TrySelectOnAReadyChannelTakesNoGraphLock) {
  auto [tx, rx] = gridlock::make_channel<int>(4, "ready");
  gridlock::select sel;
  int got = 0;
  sel.recv(rx, [&](std::optional<int> v) { got += v.value_or(0); });
  tx.send(1);
  sel.try_select();
  const auto before = now();
  for (int i = 0; i < 1000; ++i) {
    tx.send(1);
    ASSERT_TRUE(sel.try_select());
  }
  EXPECT_EQ(now().graph_locks - before.graph_locks, 0u);
  EXPECT_EQ(got, 1001);
}
