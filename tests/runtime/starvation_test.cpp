// Starvation on real threads: each case reported with the right actors, resource, age and bypass
// count; and no finding under heavy but fair contention, at default and at tight thresholds.
#include "report_dir.hpp"

#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using gridlock::testing::report_dir;

namespace {

std::vector<gridlock::report::finding> of_kind(const std::vector<gridlock::report::finding> &fs,
                                               const std::string &kind) {
  std::vector<gridlock::report::finding> out;
  for (const auto &f : fs)
    if (f.kind == kind) out.push_back(f);
  return out;
}

// Polls until a finding of `kind` whose summary contains `text` is reported (generous deadline).
gridlock::report::finding wait_for(const report_dir &dir, const std::string &kind,
                                   const std::string &text) {
  const auto until = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    for (const auto &f : of_kind(dir.wait_for_findings(0, 0s), kind))
      if (f.summary.find(text) != std::string::npos) return f;
    if (std::chrono::steady_clock::now() > until) {
      ADD_FAILURE() << "no " << kind << " finding saying '" << text << "'";
      return {};
    }
    std::this_thread::sleep_for(10ms);
  }
}

struct request {
  gridlock::mailbox<int> *reply_to;
};

} // namespace

TEST(Starvation, AwaitedActorServingOthersIsReported) {
  // 'server' answers 'busy-1' and 'busy-2' at once but keeps 'starved' waiting until both are done.
  report_dir dir("starvation_ms=200:starvation_bypass=20");
  std::atomic<bool> stop{false};
  auto [addr_tx, addr_rx] = gridlock::make_channel<gridlock::mailbox<request> *>(1, "address");
  gridlock::thread server(
      "server",
      [](gridlock::sender<gridlock::mailbox<request> *> publish) {
        gridlock::mailbox<request> box("server-inbox");
        publish.send(&box);
        gridlock::mailbox<int> *starved_reply = nullptr;
        for (int byes = 0; byes < 2;) {
          const request r = box.receive().message;
          if (r.reply_to == nullptr)
            ++byes;
          else if (r.reply_to->name() == "starved-inbox")
            starved_reply = r.reply_to;
          else
            r.reply_to->post(1);
        }
        starved_reply->post(2); // finally
      },
      std::move(addr_tx));
  gridlock::mailbox<request> *inbox = *addr_rx.recv();
  auto busy = [&] {
    gridlock::mailbox<int> replies("busy-inbox");
    while (!stop) {
      inbox->post({&replies});
      replies.receive_from(server.id());
    }
    inbox->post({nullptr}); // bye
  };
  gridlock::thread b1("busy-1", busy), b2("busy-2", busy);
  std::atomic<int> starved_line{0};
  gridlock::thread starved("starved", [&] {
    gridlock::mailbox<int> replies("starved-inbox");
    inbox->post({&replies});
    starved_line = __LINE__ + 1;
    replies.receive_from(server.id());
  });
  const auto f = wait_for(dir, "starvation", "'starved' waited");
  stop = true;
  b1.join();
  b2.join();
  server.join();
  starved.join();
  ASSERT_FALSE(f.actors.empty());
  const auto &a = f.actors.front();
  EXPECT_EQ(a.name, "starved");
  EXPECT_EQ(a.op, "mailbox receive_from");
  EXPECT_EQ(a.resource, "starved-inbox");
  EXPECT_EQ(a.where.line, static_cast<unsigned>(starved_line.load()));
  EXPECT_EQ(a.waits_for, (std::vector<std::string>{"server"}));
  EXPECT_GE(a.waited_ms, 200);
  ASSERT_TRUE(f.bypass_count.has_value());
  EXPECT_GE(*f.bypass_count, 20);
  EXPECT_EQ(f.certainty, "definite");
  for (const auto &name : f.served_instead)
    EXPECT_TRUE(name == "busy-1" || name == "busy-2") << name;
  EXPECT_FALSE(f.served_instead.empty());
  // The wait ended later: the report says so.
  const auto ended = wait_for(dir, "starvation", "ended: 'starved' was served");
  EXPECT_EQ(ended.action, "ended");
  EXPECT_EQ(of_kind(dir.wait_for_findings(0, 0s), "starvation").size(),
            2u); // one episode, one epilogue
}

namespace {

// A stream of priority-5 jobs that always stays ahead of the worker, whatever the scheduling:
// before each job the worker takes, 'flood' posts two more.
class flooded_jobs {
public:
  flooded_jobs() {
    auto [tick_tx, tick_rx] = gridlock::make_channel<int>(0, "tick");
    auto [ack_tx, ack_rx] = gridlock::make_channel<int>(0, "ack");
    ticks_ = std::move(tick_tx);
    acks_ = std::move(ack_rx);
    flood_ = gridlock::thread(
        "flood",
        [this](gridlock::receiver<int> ticks, gridlock::sender<int> acks) {
          while (ticks.recv()) {
            jobs.post(5, 5);
            jobs.post(5, 5);
            acks.send(1);
          }
        },
        std::move(tick_rx), std::move(ack_tx));
  }
  ~flooded_jobs() {
    ticks_.close();
    flood_.join();
  }
  // Takes one job (after the flood has topped up the queue).
  int next() {
    ticks_.send(1);
    acks_.recv();
    return jobs.receive().message;
  }
  gridlock::mailbox<int> jobs{"jobs"};

private:
  gridlock::sender<int> ticks_;
  gridlock::receiver<int> acks_;
  gridlock::thread flood_;
};

} // namespace

TEST(Starvation, LowPriorityMessageBehindAStreamIsReported) {
  report_dir dir("starvation_ms=150:starvation_bypass=50");
  flooded_jobs q;
  std::atomic<int> post_line{0};
  gridlock::thread background("background", [&] {
    post_line = __LINE__ + 1;
    q.jobs.post(0, 0);
  });
  background.join();
  // Work through the stream until the starvation is reported (the low job never comes first).
  const auto until = std::chrono::steady_clock::now() + 20s;
  while (of_kind(dir.wait_for_findings(0, 0s), "starvation").empty() &&
         std::chrono::steady_clock::now() < until) {
    ASSERT_NE(q.next(), 0) << "the low-priority job was served without aging";
    std::this_thread::sleep_for(1ms);
  }
  const auto f = wait_for(dir, "starvation", "priority-0 message from 'background'");
  ASSERT_FALSE(f.actors.empty());
  EXPECT_EQ(f.actors[0].name, "background");
  EXPECT_EQ(f.actors[0].op, "mailbox post");
  EXPECT_EQ(f.actors[0].resource, "jobs");
  EXPECT_EQ(f.actors[0].where.line, static_cast<unsigned>(post_line.load()));
  EXPECT_GE(f.actors[0].waited_ms, 150);
  ASSERT_TRUE(f.bypass_count.has_value());
  EXPECT_GE(*f.bypass_count, 50);
  EXPECT_EQ(f.served_instead, (std::vector<std::string>{"flood"}));
}

TEST(Starvation, AgingServesTheLowPriorityMessage) {
  report_dir dir("starvation_ms=2000:starvation_bypass=50");
  flooded_jobs q;
  q.jobs.set_aging(10ms); // one priority step per 10 ms waited
  gridlock::thread background("background", [&] { q.jobs.post(0, 0); });
  background.join();
  const auto start = std::chrono::steady_clock::now();
  while (q.next() != 0) std::this_thread::sleep_for(1ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2000ms); // long before the threshold
  EXPECT_TRUE(of_kind(dir.wait_for_findings(0, 0s), "starvation").empty());
}

// --- fair contention: never a starvation finding -------------------------------------------

class FairContention : public ::testing::TestWithParam<const char *> {};

TEST_P(FairContention, EightActorsOnOneMutex) {
  report_dir dir(GetParam());
  gridlock::mutex m("hot");
  long counter = 0;
  std::vector<gridlock::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back("t" + std::to_string(t), [&] {
      const auto until = std::chrono::steady_clock::now() + 600ms;
      while (std::chrono::steady_clock::now() < until) {
        gridlock::lock_guard lk(m);
        ++counter;
        std::this_thread::sleep_for(50us); // hold it: everyone else queues
      }
    });
  for (auto &t : threads) t.join();
  EXPECT_GT(counter, 0);
  EXPECT_TRUE(of_kind(dir.wait_for_findings(0, 0s), "starvation").empty());
}

TEST_P(FairContention, FourProducersFourConsumersOnOneChannel) {
  report_dir dir(GetParam());
  auto [tx, rx] = gridlock::make_channel<int>(2, "shared");
  std::atomic<long> received{0};
  std::vector<gridlock::thread> threads;
  for (int p = 0; p < 4; ++p)
    threads.emplace_back(
        "producer-" + std::to_string(p),
        [](gridlock::sender<int> out) {
          for (int i = 0; i < 20000; ++i) out.send(i);
        },
        tx);
  for (int c = 0; c < 4; ++c)
    threads.emplace_back(
        "consumer-" + std::to_string(c),
        [&received](gridlock::receiver<int> in) {
          while (in.recv()) ++received;
        },
        rx);
  { auto gone = std::move(tx); }
  { auto gone = std::move(rx); }
  for (auto &t : threads) t.join();
  EXPECT_EQ(received, 80000);
  EXPECT_TRUE(of_kind(dir.wait_for_findings(0, 0s), "starvation").empty());
}

TEST_P(FairContention, BusyRequestReplyServer) {
  report_dir dir(GetParam());
  auto [addr_tx, addr_rx] = gridlock::make_channel<gridlock::mailbox<request> *>(1, "address");
  std::atomic<int> done{0};
  gridlock::thread server(
      "server",
      [&](gridlock::sender<gridlock::mailbox<request> *> publish) {
        gridlock::mailbox<request> box("server-inbox");
        publish.send(&box);
        for (int byes = 0; byes < 6;) {
          auto e = box.receive();
          if (e.message.reply_to)
            e.message.reply_to->post(1);
          else
            ++byes;
        }
      },
      std::move(addr_tx));
  gridlock::mailbox<request> *inbox = *addr_rx.recv();
  std::vector<gridlock::thread> clients;
  for (int c = 0; c < 6; ++c)
    clients.emplace_back("client-" + std::to_string(c), [&, inbox] {
      gridlock::mailbox<int> replies("replies");
      for (int i = 0; i < 3000; ++i) {
        inbox->post({&replies});
        replies.receive_from(server.id());
      }
      ++done;
      inbox->post({nullptr});
    });
  for (auto &c : clients) c.join();
  server.join();
  EXPECT_EQ(done, 6);
  EXPECT_TRUE(of_kind(dir.wait_for_findings(0, 0s), "starvation").empty());
}

INSTANTIATE_TEST_SUITE_P(Thresholds, FairContention,
                         // Tight: 20 ms, and a bypass count above what FIFO service can reach
                         // (at most the other five clients of the server are served first).
                         ::testing::Values("starvation_ms=2000:starvation_bypass=100",
                                           "starvation_ms=20:starvation_bypass=10"),
                         [](const auto &info) { return info.index == 0 ? "Default" : "Tight"; });
