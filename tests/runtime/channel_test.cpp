// Channel operations: rendezvous, bounded and unbounded; try/timed variants; closing; FIFO order.
#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

TEST(Channel, RendezvousSendWaitsForTheReceiver) {
  auto [tx, rx] = gridlock::make_channel<int>(0);
  std::atomic<bool> sent{false};
  std::thread sender([&, tx = tx]() mutable {
    tx.send(7);
    sent = true;
  });
  std::this_thread::sleep_for(50ms); // the sender has had time to finish, were it not blocked
  EXPECT_FALSE(sent.load());
  EXPECT_EQ(rx.recv(), 7);
  sender.join();
  EXPECT_TRUE(sent.load());
}

TEST(Channel, RendezvousTrySendFailsWithoutAReceiver) {
  auto [tx, rx] = gridlock::make_channel<int>(0);
  int v = 1;
  EXPECT_FALSE(tx.try_send(v));
  EXPECT_FALSE(rx.try_recv().has_value());
}

TEST(Channel, BoundedBuffersUpToCapacity) {
  auto [tx, rx] = gridlock::make_channel<int>(3);
  for (int i = 0; i < 3; ++i) {
    int v = i;
    EXPECT_TRUE(tx.try_send(v)) << i;
  }
  int extra = 3;
  EXPECT_FALSE(tx.try_send(extra));
  EXPECT_EQ(extra, 3); // untouched on failure
  for (int i = 0; i < 3; ++i) EXPECT_EQ(rx.try_recv(), i);
  EXPECT_FALSE(rx.try_recv().has_value());
}

TEST(Channel, UnboundedSendNeverBlocks) {
  auto [tx, rx] = gridlock::make_unbounded_channel<std::string>("log");
  for (int i = 0; i < 10000; ++i) tx.send(std::to_string(i));
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(rx.recv(), std::to_string(i));
}

TEST(Channel, BlockedSenderIsAdmittedWhenRoomFrees) {
  auto [tx, rx] = gridlock::make_channel<int>(1);
  tx.send(1);
  std::thread t([tx = tx]() mutable { tx.send(2); }); // blocks: full
  EXPECT_EQ(rx.recv(), 1);
  EXPECT_EQ(rx.recv(), 2);
  t.join();
}

TEST(Channel, SendForTimesOutAndLeavesValue) {
  auto [tx, rx] = gridlock::make_channel<std::string>(0);
  std::string v = "kept";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(tx.send_for(v, 30ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
  EXPECT_EQ(v, "kept");
}

TEST(Channel, RecvForTimesOut) {
  auto [tx, rx] = gridlock::make_channel<int>(2);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(rx.recv_for(30ms).has_value());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
}

TEST(Channel, RecvForGetsAValueSentMeanwhile) {
  auto [tx, rx] = gridlock::make_channel<int>(0);
  std::thread t([tx = tx]() mutable { tx.send(5); });
  EXPECT_EQ(rx.recv_for(30s), 5);
  t.join();
}

TEST(Channel, CloseDrainsThenReturnsNullopt) {
  auto [tx, rx] = gridlock::make_channel<int>(4);
  tx.send(1);
  tx.send(2);
  tx.close();
  EXPECT_EQ(rx.recv(), 1);
  EXPECT_EQ(rx.recv(), 2);
  EXPECT_EQ(rx.recv(), std::nullopt);
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Channel, CloseWakesBlockedReceivers) {
  auto [tx, rx] = gridlock::make_channel<int>(0);
  std::vector<std::thread> receivers;
  std::atomic<int> got_nullopt{0};
  for (int i = 0; i < 3; ++i)
    receivers.emplace_back([&, rx = rx]() mutable {
      if (!rx.recv()) ++got_nullopt;
    });
  tx.close();
  for (auto &t : receivers) t.join();
  EXPECT_EQ(got_nullopt, 3);
}

TEST(Channel, SendOnClosedChannelThrows) {
  auto [tx, rx] = gridlock::make_channel<int>(1);
  tx.close();
  EXPECT_THROW(tx.send(1), gridlock::channel_closed);
  int v = 1;
  EXPECT_THROW(tx.try_send(v), gridlock::channel_closed);
}

TEST(Channel, CloseWakesBlockedSenderWithChannelClosed) {
  auto [tx, rx] = gridlock::make_channel<int>(0);
  std::atomic<bool> threw{false};
  std::thread t([&, tx = tx]() mutable {
    try {
      tx.send(1);
    } catch (const gridlock::channel_closed &) {
      threw = true;
    }
  });
  // Close from another handle once the sender is (or is about to be) blocked; either way it must
  // not be received and the send must throw.
  std::this_thread::sleep_for(20ms);
  tx.close();
  t.join();
  EXPECT_TRUE(threw);
}

TEST(Channel, LastSenderDestroyedClosesTheChannel) {
  auto [tx, rx] = gridlock::make_channel<int>(2);
  {
    auto copy = tx;
    copy.send(1);
    auto moved = std::move(tx);
  } // both sender handles gone
  EXPECT_EQ(rx.recv(), 1);
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Channel, LastReceiverDestroyedMakesSendThrow) {
  auto [tx, rx] = gridlock::make_channel<int>(0);
  std::atomic<bool> threw{false};
  std::thread t([&, tx = tx]() mutable {
    try {
      tx.send(1); // blocks: nobody receives; then every receiver is destroyed
    } catch (const gridlock::channel_closed &) {
      threw = true;
    }
  });
  std::this_thread::sleep_for(20ms);
  { auto gone = std::move(rx); }
  t.join();
  EXPECT_TRUE(threw);
  EXPECT_THROW(tx.send(2), gridlock::channel_closed);
}

TEST(Channel, ManyProducersManyConsumersDeliverEveryMessageOnce) {
  constexpr int kProducers = 4, kConsumers = 4, kEach = 5000;
  auto [tx, rx] = gridlock::make_channel<int>(8);
  std::vector<std::atomic<int>> seen(kProducers * kEach);
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p)
    threads.emplace_back([p, tx = tx]() mutable {
      for (int i = 0; i < kEach; ++i) tx.send(p * kEach + i);
    });
  for (int c = 0; c < kConsumers; ++c)
    threads.emplace_back([&seen, rx = rx]() mutable {
      while (auto v = rx.recv()) seen[*v]++;
    });
  for (int p = 0; p < kProducers; ++p) threads[p].join();
  { auto last = std::move(tx); } // the producers' copies are gone with them: close
  for (std::size_t i = kProducers; i < threads.size(); ++i) threads[i].join();
  for (std::size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], 1) << "message " << i;
}

TEST(Channel, EmptyHandleIsAClearError) {
  auto [tx, rx] = gridlock::make_channel<int>(1);
  auto moved = std::move(tx);
  gridlock::sender<int> copy_of_empty = tx;  // copying an empty handle is fine
  EXPECT_THROW(tx.send(1), std::logic_error);
  EXPECT_THROW(copy_of_empty.send(1), std::logic_error);
  gridlock::receiver<int> none;
  EXPECT_THROW(none.recv(), std::logic_error);
  moved.send(1);
  EXPECT_EQ(rx.recv(), 1);
}
