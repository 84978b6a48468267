// A pipeline written the Go way: a generator, three squarers in a wait group, a collector that
// stops everything through a context once it has enough, and a ticker heartbeat. Shared by
// go_pipeline.cpp (correct) and go_pipeline_bug.cpp (the collector waits for the squarers
// before it cancels them, while they block sending it results nobody will read).
#pragma once

#include <gridlock/gridlock.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>

namespace go_pipeline {

using namespace std::chrono_literals;
constexpr int kWanted = 20;

// Sends v on out unless ctx is cancelled first. False: cancelled.
template <class T> bool send_or_done(gridlock::sender<T> &out, T v, const gridlock::context &ctx) {
  bool sent = false;
  gridlock::select sel;
  sel.send(out, v, [&] { sent = true; });
  sel.recv(ctx.done(), [](auto) {});
  sel.wait();
  return sent;
}

inline void generate(gridlock::context ctx, gridlock::sender<int> out) {
  try {
    for (int n = 1; send_or_done(out, n, ctx); ++n) {
    }
  } catch (const gridlock::channel_closed &) { // every squarer has gone
  }
}

inline void square(bool careless, gridlock::context ctx, gridlock::receiver<int> in,
                   gridlock::sender<long> out) {
  try {
    while (auto n = in.recv()) {
      const long sq = long{*n} * *n;
      if (careless)
        out.send(sq); // EXPECT: chan send (the squarers ignore the context)
      else if (!send_or_done(out, sq, ctx))
        return;
    }
  } catch (const gridlock::channel_closed &) {  // the collector has gone
  } catch (const gridlock::deadlock_error &e) { // chosen to break the deadlock
    std::printf("squarer: %s\n", e.what());
  }
}

inline void heartbeat(gridlock::context ctx, const std::atomic<int> *progress) {
  gridlock::ticker beat(50ms, "heartbeat");
  for (bool done = false; !done;) {
    gridlock::select sel;
    sel.recv(beat.channel(),
             [&](auto) { std::printf("heartbeat: %d results\n", progress->load()); });
    sel.recv(ctx.done(), [&](auto) { done = true; });
    sel.wait();
  }
}

// wait_first: the bug - wait for the squarers before cancelling them.
inline void collect(bool wait_first, gridlock::wait_group *squarers, gridlock::cancel_func cancel,
                    gridlock::receiver<long> in, std::atomic<int> *progress) {
  long sum = 0;
  for (; *progress < kWanted; ++*progress) sum += in.recv().value_or(0);
  std::printf("collector: sum of the first %d squares: %ld\n", kWanted, sum);
  if (wait_first) {
    try {
      squarers->wait(); // EXPECT: wait_group wait (before cancel: the squarers still send)
    } catch (const gridlock::deadlock_error &e) {
      std::printf("collector: %s\n", e.what());
    }
  }
  cancel();
}

inline int run(bool bug) {
  auto [ctx, cancel] = gridlock::with_cancel(gridlock::background(), "pipeline");
  auto [numbers_tx, numbers_rx] = gridlock::make_channel<int>(0, "numbers");
  auto [squares_tx, squares_rx] = gridlock::make_channel<long>(0, "squares");
  std::atomic<int> progress{0};
  gridlock::wait_group squarers("squarers");
  gridlock::thread generator("generator", generate, ctx, std::move(numbers_tx));
  for (int i = 0; i < 3; ++i)
    squarers.go("squarer-" + std::to_string(i), square, bug, ctx, numbers_rx, squares_tx);
  numbers_rx = {}; // every handle now belongs to the stage that uses it
  squares_tx = {};
  gridlock::thread beat("heartbeat", heartbeat, ctx, &progress);
  gridlock::thread collector("collector", collect, bug, &squarers, std::move(cancel),
                             std::move(squares_rx), &progress);
  collector.join();
  squarers.wait();
  generator.join();
  beat.join();
  std::printf("pipeline: stopped (%s)\n", gridlock::to_string(ctx.err()));
  return 0;
}

} // namespace go_pipeline
