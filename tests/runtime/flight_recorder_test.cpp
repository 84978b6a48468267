// The flight recorder (trace=1) on real threads: each test does one kind of exchange between two
// actors A and B, then lets them deadlock, and checks the trace the report carries — events of
// each actor, send/receive pairs sharing a message id, clocks that respect happens-before.
#include "report_dir.hpp"

#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <latch>
#include <map>

using gridlock::report::trace_event;
using gridlock::testing::report_dir;

namespace {

// Sends first, then receives: two of these on crossed rendezvous channels deadlock (the victim
// gets deadlock_error; the other, once its peer is gone, channel_closed).
void then_deadlock(gridlock::sender<int> out, gridlock::receiver<int> in) {
  try {
    out.send(1);
    in.recv();
  } catch (const std::exception &) {
  }
}

// Runs a_work on actor A and b_work on actor B, then deadlocks them; returns the one report.
gridlock::report::report run_then_deadlock(std::function<void()> a_work,
                                           std::function<void()> b_work, bool trace = true) {
  report_dir dir(trace ? "trace=1" : "trace=0");
  {
    auto [a_to_b, b_from_a] = gridlock::make_channel<int>(0, "A->B");
    auto [b_to_a, a_from_b] = gridlock::make_channel<int>(0, "B->A");
    auto body = [](std::function<void()> work, gridlock::sender<int> out,
                   gridlock::receiver<int> in) {
      work();
      then_deadlock(std::move(out), std::move(in));
    };
    gridlock::thread a("A", body, std::move(a_work), std::move(a_to_b), std::move(a_from_b));
    gridlock::thread b("B", body, std::move(b_work), std::move(b_to_a), std::move(b_from_a));
  }
  const auto reports = dir.reports();
  gridlock::configure("trace=0");
  EXPECT_EQ(reports.size(), 1u);
  return reports.empty() ? gridlock::report::report{} : reports.front();
}

std::vector<trace_event> events_of(const gridlock::report::report &r, const std::string &actor,
                                   const std::string &event, const std::string &resource = {}) {
  std::vector<trace_event> out;
  for (const auto &e : r.trace)
    if (e.actor == actor && e.event == event && (resource.empty() || e.resource == resource))
      out.push_back(e);
  return out;
}

std::uint64_t clock_of(const trace_event &e, std::uint64_t actor) {
  for (const auto &[a, n] : e.vc)
    if (a == actor) return n;
  return 0;
}

// Every receive on `resource` has its send: same message id, the sender named as peer, and
// clocks that say the send happened before the receive.
void expect_messages_pair_up(const gridlock::report::report &r, const std::string &resource,
                             std::size_t expected) {
  std::map<std::uint64_t, trace_event> sends;
  for (const auto &e : r.trace)
    if ((e.event == "send" || e.event == "post") && e.resource == resource) sends[e.msg] = e;
  std::size_t received = 0;
  for (const auto &e : r.trace) {
    if (e.event != "receive" || e.resource != resource) continue;
    ++received;
    ASSERT_TRUE(sends.count(e.msg)) << "receive of message " << e.msg << " has no send";
    const trace_event &s = sends[e.msg];
    EXPECT_EQ(e.peer, s.actor);
    EXPECT_GT(e.lamport, s.lamport);
    for (const auto &[actor, n] : s.vc) EXPECT_GE(clock_of(e, actor), n) << "actor " << actor;
    EXPECT_GT(clock_of(e, e.actor_id), clock_of(s, e.actor_id)); // the receiver ticked
  }
  EXPECT_EQ(received, expected);
}

} // namespace

TEST(FlightRecorder, RendezvousChannelMessagesCarryTheSendersClocks) {
  auto [tx, rx] = gridlock::make_channel<int>(0, "ping");
  const auto r = run_then_deadlock([&, tx = tx]() mutable { tx.send(1), tx.send(2); },
                                   [&, rx = rx]() mutable { rx.recv(), rx.recv(); });
  EXPECT_EQ(events_of(r, "A", "send", "ping").size(), 2u);
  expect_messages_pair_up(r, "ping", 2);
}

TEST(FlightRecorder, BufferedChannelMessagesPairUpInFifoOrder) {
  auto [tx, rx] = gridlock::make_channel<int>(8, "buffered");
  const auto r = run_then_deadlock(
      [&, tx = tx]() mutable {
        for (int i = 0; i < 5; ++i) tx.send(i);
      },
      [&, rx = rx]() mutable {
        for (int i = 0; i < 5; ++i) rx.recv();
      });
  expect_messages_pair_up(r, "buffered", 5);
  const auto sends = events_of(r, "A", "send", "buffered");
  const auto recvs = events_of(r, "B", "receive", "buffered");
  ASSERT_EQ(sends.size(), 5u);
  ASSERT_EQ(recvs.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(sends[i].msg, recvs[i].msg);
}

TEST(FlightRecorder, MailboxMessagesPairUpWhateverOrderTheyAreReceivedIn) {
  std::latch ready(1), posted(1);
  gridlock::mailbox<int> *box = nullptr;
  const auto r = run_then_deadlock(
      [&] {
        ready.wait();
        box->post(1, 0);
        box->post(2, 5); // received first: a higher priority
        posted.count_down();
      },
      [&] {
        gridlock::mailbox<int> mine("inbox");
        box = &mine;
        ready.count_down();
        posted.wait(); // both queued: receive picks by priority
        mine.receive();
        mine.receive();
      });
  expect_messages_pair_up(r, "inbox", 2);
  const auto posts = events_of(r, "A", "post", "inbox");
  const auto recvs = events_of(r, "B", "receive", "inbox");
  ASSERT_EQ(posts.size(), 2u);
  ASSERT_EQ(recvs.size(), 2u);
  EXPECT_EQ(recvs[0].msg, posts[1].msg); // priority 5 first
  EXPECT_EQ(recvs[1].msg, posts[0].msg);
}

TEST(FlightRecorder, MutexLocksAndUnlocksAreRecorded) {
  gridlock::mutex m("state");
  const auto r = run_then_deadlock([&] { gridlock::lock_guard lk(m); }, [] {});
  EXPECT_EQ(events_of(r, "A", "lock", "state").size(), 1u);
  EXPECT_EQ(events_of(r, "A", "unlock", "state").size(), 1u);
}

TEST(FlightRecorder, ReadAndWriteLocksOfASharedMutexAreRecorded) {
  gridlock::shared_mutex table("table");
  const auto r = run_then_deadlock([&] { gridlock::lock_guard lk(table); },
                                   [&] { gridlock::shared_lock_guard lk(table); });
  EXPECT_EQ(events_of(r, "A", "lock", "table").size(), 1u);
  EXPECT_EQ(events_of(r, "A", "unlock", "table").size(), 1u);
  EXPECT_EQ(events_of(r, "B", "read lock", "table").size(), 1u);
  EXPECT_EQ(events_of(r, "B", "read unlock", "table").size(), 1u);
}

TEST(FlightRecorder, BlockedWaitsAndTheMomentsOfTheCycle) {
  const auto r = run_then_deadlock([] {}, [] {});
  for (const char *actor : {"A", "B"}) {
    const auto blocks = events_of(r, actor, "block");
    ASSERT_FALSE(blocks.empty()) << actor;
    EXPECT_EQ(blocks.back().op, "chan send");
    EXPECT_FALSE(blocks.back().where.file.empty());
  }
  ASSERT_EQ(r.findings.size(), 1u);
  const auto &f = r.findings[0];
  ASSERT_TRUE(f.closed_us && f.detected_us);
  // The cycle closed when the later of the two sends blocked; found detect_delay_ms after.
  const auto last_block =
      std::max(events_of(r, "A", "block").back().t_us, events_of(r, "B", "block").back().t_us);
  EXPECT_NEAR(static_cast<double>(*f.closed_us), static_cast<double>(last_block), 1000.0);
  EXPECT_GE(*f.detected_us - *f.closed_us, 50 * 1000 - 1000);
}

TEST(FlightRecorder, SpawnAndJoinCarryClocksBetweenParentAndChild) {
  gridlock::configure("trace=1"); // from before W exists
  auto [tx, rx] = gridlock::make_channel<int>(1, "one");
  gridlock::actor_id child = 0;
  {
    gridlock::thread w(
        "W", [](gridlock::sender<int> out) { out.send(7); }, std::move(tx));
    child = w.id();
    w.join();
  }
  const auto r = run_then_deadlock([] {}, [] {});
  const auto spawns = events_of(r, "main", "spawn");
  ASSERT_FALSE(spawns.empty());
  const auto joins = events_of(r, "main", "join");
  const auto join_w = std::find_if(joins.begin(), joins.end(),
                                   [&](const trace_event &e) { return e.peer_id == child; });
  ASSERT_NE(join_w, joins.end());
  EXPECT_EQ(join_w->peer, "W");
  const auto w_send = events_of(r, "W", "send", "one");
  ASSERT_EQ(w_send.size(), 1u);
  // After the join, main has seen W's send.
  EXPECT_GE(clock_of(*join_w, child), clock_of(w_send.front(), child));
  EXPECT_GT(join_w->lamport, w_send.front().lamport);
  rx.recv();
}

TEST(FlightRecorder, KeepsOnlyTheLastEventsOfEachActor) {
  auto [tx, rx] = gridlock::make_channel<int>(16, "flood");
  const auto r = run_then_deadlock(
      [&, tx = tx]() mutable {
        for (int i = 0; i < 1000; ++i) tx.send(i);
      },
      [&, rx = rx]() mutable {
        for (int i = 0; i < 1000; ++i) rx.recv();
      });
  std::map<std::uint64_t, std::size_t> per_actor; // by id: earlier tests had actors named A too
  std::uint64_t a_last_seq = 0;
  for (const auto &e : r.trace) {
    ++per_actor[e.actor_id];
    if (e.actor == "A") a_last_seq = std::max(a_last_seq, e.seq);
  }
  for (const auto &[actor, n] : per_actor) EXPECT_LE(n, 128u) << actor;
  EXPECT_GT(a_last_seq, 1000u); // the most recent events are the ones kept
}

TEST(FlightRecorder, OffByDefaultNoTraceInTheReport) {
  const auto r = run_then_deadlock([] {}, [] {}, false);
  EXPECT_TRUE(r.trace.empty());
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_FALSE(r.findings[0].closed_us.has_value());
}
