// The detector on real threads: each test builds a deadlock (or a near miss) and checks what is
// reported. The test's main thread stays live and polls the report directory, so every
// deadlock here is a partial one: it must be found while other threads still run.
#include "report_dir.hpp"

#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <thread>

using namespace std::chrono_literals;
using gridlock::testing::broken;
using gridlock::testing::find_actor;
using gridlock::testing::report_dir;
using gridlock::testing::sorted;

namespace {

std::atomic<int> peer_send_line{0};

// Sends first, then receives: two of these on crossed rendezvous channels deadlock.
void send_first(gridlock::sender<int> out, gridlock::receiver<int> in, std::atomic<int> *outcome) {
  try {
    peer_send_line = __LINE__ + 1;
    out.send(1);
    in.recv();
    *outcome = 0;
  } catch (const gridlock::deadlock_error &) {
    *outcome = 1;
  } catch (const gridlock::channel_closed &) {
    *outcome = 2;
  }
}

struct crossed_pair {
  std::atomic<int> a_outcome{-1}, b_outcome{-1};
  gridlock::thread a, b;
  explicit crossed_pair(std::chrono::milliseconds b_delay = 0ms) {
    auto [a_to_b, b_from_a] = gridlock::make_channel<int>(0, "A->B");
    auto [b_to_a, a_from_b] = gridlock::make_channel<int>(0, "B->A");
    a = gridlock::thread("A", send_first, std::move(a_to_b), std::move(a_from_b), &a_outcome);
    b = gridlock::thread(
        "B",
        [b_delay](gridlock::sender<int> out, gridlock::receiver<int> in,
                  std::atomic<int> *outcome) {
          std::this_thread::sleep_for(b_delay);
          send_first(std::move(out), std::move(in), outcome);
        },
        std::move(b_to_a), std::move(b_from_a), &b_outcome);
  }
};

} // namespace

TEST(Detector, ReportsTwoActorCycleOverRendezvousChannels) {
  report_dir dir;
  const auto start = std::chrono::steady_clock::now();
  crossed_pair pair;
  const auto findings = dir.wait_for_findings(1);
  const auto latency = std::chrono::steady_clock::now() - start;
  pair.a.join();
  pair.b.join();
  ASSERT_EQ(findings.size(), 1u);
  const auto &f = findings[0];
  EXPECT_EQ(f.kind, "deadlock");
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"A", "B"}));
  for (const char *name : {"A", "B"}) {
    const auto *a = find_actor(f, name);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_EQ(a->op, "chan send");
    EXPECT_EQ(a->where.line, static_cast<unsigned>(peer_send_line.load()));
    EXPECT_NE(a->where.file.find("detector_test.cpp"), std::string::npos);
    EXPECT_GE(a->waited_ms, dir.delay_ms());
  }
  EXPECT_EQ(find_actor(f, "A")->resource, "A->B");
  EXPECT_EQ(find_actor(f, "B")->resource, "B->A");
  ASSERT_EQ(f.resources.size(), 2u);
  EXPECT_EQ(f.resources[0].kind, "channel");
  EXPECT_EQ(f.resources[0].capacity, 0);
  // on_deadlock=break: one victim threw deadlock_error, the other then saw the channel close.
  EXPECT_EQ(sorted({std::to_string(pair.a_outcome), std::to_string(pair.b_outcome)}),
            (std::vector<std::string>{"1", "2"}));
  RecordProperty(
      "detection_latency_ms",
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(latency).count()));
}

TEST(Detector, BreakChoosesTheYoungestWaitAsVictim) {
  report_dir dir;
  crossed_pair pair(500ms); // B blocks half a second after A: B's wait closes the cycle
  const auto findings = dir.wait_for_findings(1);
  pair.a.join();
  pair.b.join();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].action, "broke the wait of 'B' (deadlock_error)");
  EXPECT_EQ(pair.b_outcome, 1); // deadlock_error
  EXPECT_EQ(pair.a_outcome, 2); // then channel_closed: B's receiver went away with B
}

TEST(Detector, FindsPartialDeadlockWhileOtherActorsKeepRunning) {
  report_dir dir;
  std::atomic<bool> stop{false};
  std::atomic<long> rounds{0};
  auto [ping_tx, ping_rx] = gridlock::make_channel<int>(0, "ping");
  auto [pong_tx, pong_rx] = gridlock::make_channel<int>(0, "pong");
  gridlock::thread c(
      "C",
      [&](gridlock::sender<int> ping, gridlock::receiver<int> pong) {
        while (!stop) {
          ping.send(1);
          pong.recv();
          ++rounds;
        }
        ping.close();
      },
      std::move(ping_tx), std::move(pong_rx));
  gridlock::thread d(
      "D",
      [](gridlock::receiver<int> ping, gridlock::sender<int> pong) {
        while (ping.recv()) pong.send(2);
      },
      std::move(ping_rx), std::move(pong_tx));

  crossed_pair pair;
  const auto findings = dir.wait_for_findings(1);
  stop = true;
  pair.a.join();
  pair.b.join();
  c.join();
  d.join();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].certainty, "definite");
  EXPECT_EQ(sorted(findings[0].cycle), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(find_actor(findings[0], "C"), nullptr);
  EXPECT_EQ(find_actor(findings[0], "D"), nullptr);
  EXPECT_EQ(findings[0].summary.find("every actor"), std::string::npos);
  EXPECT_GT(rounds.load(), 0);
}

TEST(Detector, ReportsMixedMutexAndChannelCycle) {
  report_dir dir;
  gridlock::mutex state("state");
  auto [tx, rx] = gridlock::make_channel<int>(0, "updates");
  auto [go_tx, go_rx] = gridlock::make_unbounded_channel<int>("go");
  std::atomic<int> send_line{0}, lock_line{0};
  gridlock::thread holder(
      "holder",
      [&](gridlock::sender<int> out, gridlock::sender<int> go) {
        try {
          gridlock::lock_guard lk(state);
          go.send(1);
          send_line = __LINE__ + 1;
          out.send(1);
        } catch (const std::exception &) {
        }
      },
      std::move(tx), std::move(go_tx));
  gridlock::thread worker(
      "worker",
      [&](gridlock::receiver<int> in, gridlock::receiver<int> go) {
        try {
          go.recv();
          lock_line = __LINE__ + 1;
          gridlock::lock_guard lk(state);
          in.recv();
        } catch (const std::exception &) {
        }
      },
      std::move(rx), std::move(go_rx));
  const auto findings = dir.wait_for_findings(1);
  holder.join();
  worker.join();
  ASSERT_EQ(findings.size(), 1u);
  const auto &f = findings[0];
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"holder", "worker"}));
  EXPECT_EQ(find_actor(f, "holder")->op, "chan send");
  EXPECT_EQ(find_actor(f, "holder")->resource, "updates");
  EXPECT_EQ(find_actor(f, "holder")->where.line, static_cast<unsigned>(send_line.load()));
  EXPECT_EQ(find_actor(f, "worker")->op, "mutex lock");
  EXPECT_EQ(find_actor(f, "worker")->resource, "state");
  EXPECT_EQ(find_actor(f, "worker")->where.line, static_cast<unsigned>(lock_line.load()));
  EXPECT_EQ(find_actor(f, "worker")->waits_for, (std::vector<std::string>{"holder"}));
}

TEST(Detector, AndWaitIsDeadlockedWhenOneAwaitedActorIsStuck) {
  // The writer needs messages from both `helper` (alive, busy with timed waits) and `stuck`
  // (blocked on the writer). An AND wait: the live helper cannot save it.
  report_dir dir;
  std::atomic<bool> stop{false};
  auto [tx, rx] = gridlock::make_channel<int>(0, "to-stuck");
  auto [idle_tx, idle_rx] = gridlock::make_channel<int>(0, "idle");
  gridlock::thread helper(
      "helper",
      [&](gridlock::receiver<int> idle) {
        while (!stop) idle.recv_for(5ms); // alive, never posts
      },
      std::move(idle_rx));
  gridlock::thread stuck(
      "stuck",
      [](gridlock::receiver<int> in) {
        try {
          in.recv();
        } catch (const gridlock::deadlock_error &) {
        }
      },
      std::move(rx));
  const std::array<gridlock::actor_id, 2> from{helper.id(), stuck.id()};
  gridlock::thread writer(
      "writer",
      [&](gridlock::sender<int> out) {
        gridlock::mailbox<int> acks("acks");
        try {
          acks.receive_all(from);
        } catch (const gridlock::deadlock_error &) {
        }
        (void)out;
      },
      std::move(tx));
  const auto findings = dir.wait_for_findings(1);
  stop = true;
  writer.join();
  stuck.join();
  helper.join();
  ASSERT_GE(findings.size(), 1u); // a second one follows if the victim was `stuck`
  const auto &f = findings[0];
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"stuck", "writer"}));
  const auto *w = find_actor(f, "writer");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->op, "mailbox receive_all");
  EXPECT_EQ(w->mode, "all");
  EXPECT_EQ(find_actor(f, "helper"), nullptr);
}

TEST(Detector, OrWaitSelectIsDeadlockedWhenEveryCaseIsStuck) {
  report_dir dir;
  auto [x_tx, x_rx] = gridlock::make_channel<int>(0, "from-x");
  auto [y_tx, y_rx] = gridlock::make_channel<int>(0, "from-y");
  auto [sx_tx, sx_rx] = gridlock::make_channel<int>(0, "s-to-x");
  auto [sy_tx, sy_rx] = gridlock::make_channel<int>(0, "s-to-y");
  auto peer = [](gridlock::receiver<int> from_s, gridlock::sender<int> to_s) {
    try {
      from_s.recv(); // waits for S, which waits for us
      to_s.send(1);
    } catch (const std::exception &) { // the victim, or S gone after being broken
    }
  };
  gridlock::thread x("X", peer, std::move(sx_rx), std::move(x_tx));
  gridlock::thread y("Y", peer, std::move(sy_rx), std::move(y_tx));
  gridlock::thread s(
      "S",
      [](gridlock::receiver<int> from_x, gridlock::receiver<int> from_y, gridlock::sender<int> to_x,
         gridlock::sender<int> to_y) {
        try {
          gridlock::select sel;
          sel.recv(from_x, [](std::optional<int>) {});
          sel.recv(from_y, [](std::optional<int>) {});
          sel.wait();
        } catch (const gridlock::deadlock_error &) {
        }
        (void)to_x, (void)to_y;
      },
      std::move(x_rx), std::move(y_rx), std::move(sx_tx), std::move(sy_tx));
  const auto findings = dir.wait_for_findings(1);
  s.join();
  x.join();
  y.join();
  ASSERT_GE(findings.size(), 1u);
  const auto &f = findings[0];
  EXPECT_EQ(f.certainty, "definite");
  const auto *sa = find_actor(f, "S");
  ASSERT_NE(sa, nullptr);
  EXPECT_EQ(sa->op, "select");
  EXPECT_EQ(sa->mode, "any");
  EXPECT_EQ(sa->resource, "from-x | from-y");
  EXPECT_NE(find_actor(f, "X"), nullptr);
  EXPECT_NE(find_actor(f, "Y"), nullptr);
}

TEST(Detector, OrWaitWithOneLiveCaseIsNotReported) {
  report_dir dir;
  auto [x_tx, x_rx] = gridlock::make_channel<int>(0, "from-x");
  auto [h_tx, h_rx] = gridlock::make_channel<int>(0, "from-helper");
  auto [sx_tx, sx_rx] = gridlock::make_channel<int>(0, "s-to-x");
  gridlock::thread x(
      "X",
      [](gridlock::receiver<int> from_s, gridlock::sender<int>) {
        from_s.recv(); // until S finishes and its sender is destroyed: nullopt
      },
      std::move(sx_rx), std::move(x_tx));
  gridlock::thread helper(
      "helper",
      [delay = dir.delay_ms()](gridlock::sender<int> out) {
        // Busy with timed waits for many detection delays, then serves S.
        auto [tick_tx, tick_rx] = gridlock::make_channel<int>(0, "tick");
        for (int i = 0; i < 10; ++i) tick_rx.recv_for(std::chrono::milliseconds(delay));
        out.send(7);
      },
      std::move(h_tx));
  int got = 0;
  gridlock::thread s(
      "S",
      [&got](gridlock::receiver<int> from_x, gridlock::receiver<int> from_h,
             gridlock::sender<int> to_x) {
        gridlock::select sel;
        sel.recv(from_x, [](std::optional<int>) {});
        sel.recv(from_h, [&got](std::optional<int> v) { got = v.value_or(-1); });
        sel.wait();
        (void)to_x;
      },
      std::move(x_rx), std::move(h_rx), std::move(sx_tx));
  s.join();
  helper.join();
  x.join();
  EXPECT_EQ(got, 7);
  EXPECT_TRUE(dir.reports().empty());
}

TEST(Detector, UseInferredOwnershipGivesAProbableVerdictAndIsNotActedOn) {
  // Handles moved into std::thread lambdas: gridlock learns who holds them only from use.
  report_dir dir("report_leaks=0");
  auto [a_to_b, b_from_a] = gridlock::make_channel<int>(0, "A->B");
  auto [b_to_a, a_from_b] = gridlock::make_channel<int>(0, "B->A");
  std::latch both_used(2); // both receivers used before either sends: nothing is consumed
  auto peer = [&both_used](const char *name, gridlock::sender<int> out,
                           gridlock::receiver<int> in) {
    gridlock::set_actor_name(name);
    in.try_recv(); // use the receiver, so this thread is known to hold it
    both_used.arrive_and_wait();
    out.send(1);
  };
  std::thread(peer, "A", std::move(a_to_b), std::move(a_from_b)).detach();
  std::thread(peer, "B", std::move(b_to_a), std::move(b_from_a)).detach();
  const auto findings = dir.wait_for_findings(1);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].certainty, "probable");
  EXPECT_EQ(findings[0].action, "reported"); // never broken on a probable verdict
  EXPECT_EQ(sorted(findings[0].cycle), (std::vector<std::string>{"A", "B"}));
}

TEST(Detector, ReportsEachDeadlockOnce) {
  report_dir dir("on_deadlock=report:report_leaks=0");
  std::atomic<int> a_outcome{-1}, b_outcome{-1};
  auto [a_to_b, b_from_a] = gridlock::make_channel<int>(0, "A->B");
  auto [b_to_a, a_from_b] = gridlock::make_channel<int>(0, "B->A");
  gridlock::thread a("A", send_first, std::move(a_to_b), std::move(a_from_b), &a_outcome);
  gridlock::thread b("B", send_first, std::move(b_to_a), std::move(b_from_a), &b_outcome);
  ASSERT_EQ(dir.wait_for_findings(1).size(), 1u);
  // Many more detection periods pass with the deadlock still in place: still one finding.
  const auto more = dir.wait_for_findings(2, std::chrono::seconds(1));
  EXPECT_EQ(more.size(), 1u);
  a.detach(); // stuck for good (on_deadlock=report); the process exit ends them
  b.detach();
}

// A thread exits while it holds a mutex: its lockers wait for nobody left, and the report names
// the owner that is gone.
TEST(Detector, AMutexHeldByAnExitedThreadIsNamedInTheReport) {
  report_dir dir;
  gridlock::mutex m("registry");
  gridlock::thread quitter("quitter", [&] { m.lock(); }); // exits holding it: the bug
  quitter.join();
  std::atomic<int> outcome{-1};
  gridlock::thread locker("locker", [&] { outcome = broken([&] { gridlock::lock_guard g(m); }); });
  const auto findings = dir.wait_for_findings(1);
  locker.join();
  ASSERT_EQ(findings.size(), 1u);
  const auto *a = find_actor(findings[0], "locker");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->op, "mutex lock");
  EXPECT_NE(a->note.find("'quitter' holds 'registry' and has exited"), std::string::npos)
      << a->note;
  EXPECT_EQ(outcome, 1);
}
