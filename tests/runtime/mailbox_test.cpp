// mailbox: post/send/receive/receive_from/receive_all, priorities, ownership.
#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

TEST(Mailbox, HighestPriorityFirstFifoWithinAPriority) {
  gridlock::mailbox<std::string> box("box");
  box.post("low-1", 0);
  box.post("high-1", 5);
  box.post("low-2", 0);
  box.post("high-2", 5);
  box.post("mid", 1);
  std::vector<std::string> order;
  for (int i = 0; i < 5; ++i) order.push_back(box.receive().message);
  EXPECT_EQ(order, (std::vector<std::string>{"high-1", "high-2", "mid", "low-1", "low-2"}));
}

TEST(Mailbox, EnvelopeNamesTheSource) {
  gridlock::mailbox<int> box;
  gridlock::actor_id poster = 0;
  std::thread t([&] {
    poster = gridlock::this_actor();
    box.post(1);
  });
  t.join();
  const auto e = box.receive();
  EXPECT_EQ(e.source, poster);
  EXPECT_NE(e.source, gridlock::this_actor());
}

TEST(Mailbox, ReceiveBlocksUntilAPost) {
  gridlock::mailbox<int> box;
  std::thread t([&] { box.post(3); });
  EXPECT_EQ(box.receive().message, 3);
  t.join();
}

TEST(Mailbox, ReceiveFromSkipsOtherSources) {
  gridlock::mailbox<int> box;
  gridlock::actor_id a = 0, b = 0;
  std::thread ta([&] {
    a = gridlock::this_actor();
    box.post(1);
  });
  ta.join();
  std::thread tb([&] {
    b = gridlock::this_actor();
    box.post(2);
  });
  tb.join();
  EXPECT_EQ(box.receive_from(b).message, 2);
  EXPECT_EQ(box.receive_from(a).message, 1);
  EXPECT_FALSE(box.try_receive().has_value());
}

TEST(Mailbox, ReceiveFromWaitsForThatSource) {
  gridlock::mailbox<int> box;
  gridlock::thread other("other", [&] { box.post(1); });
  gridlock::thread wanted("wanted", [&] { box.post(2); });
  EXPECT_EQ(box.receive_from(wanted.id()).message, 2);
  EXPECT_EQ(box.receive().message, 1);
}

TEST(Mailbox, SendIsSynchronous) {
  gridlock::mailbox<int> box;
  std::atomic<bool> returned{false};
  std::thread t([&] {
    box.send(9);
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30)); // had time to return, were it async
  EXPECT_FALSE(returned.load());
  EXPECT_EQ(box.receive().message, 9);
  t.join();
  EXPECT_TRUE(returned.load());
}

TEST(Mailbox, ReceiveAllCollectsOneMessageFromEachSource) {
  gridlock::mailbox<int> box;
  std::vector<gridlock::thread> threads;
  std::vector<gridlock::actor_id> ids;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back("r" + std::to_string(i), [&box, i] { box.post(i * 10); });
    ids.push_back(threads.back().id());
  }
  const auto all = box.receive_all(ids);
  ASSERT_EQ(all.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(all[i].source, ids[i]);
    EXPECT_EQ(all[i].message, i * 10);
  }
}

TEST(Mailbox, OnlyTheOwnerMayReceive) {
  gridlock::mailbox<int> box;
  box.post(1);
  std::thread t([&] { EXPECT_THROW(box.receive(), std::logic_error); });
  t.join();
  EXPECT_EQ(box.receive().message, 1);
}

TEST(Mailbox, ManyPostersNothingLost) {
  constexpr int kPosters = 4, kEach = 5000;
  gridlock::mailbox<int> box;
  std::vector<std::thread> posters;
  for (int p = 0; p < kPosters; ++p)
    posters.emplace_back([&box, p] {
      for (int i = 0; i < kEach; ++i) box.post(p * kEach + i, i % 3);
    });
  std::vector<int> seen(kPosters * kEach);
  for (int i = 0; i < kPosters * kEach; ++i) seen[box.receive().message]++;
  for (auto &t : posters) t.join();
  for (int n : seen) ASSERT_EQ(n, 1);
}
