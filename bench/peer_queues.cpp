// The queues users would pick instead of gridlock, under the same workloads: a std::mutex +
// std::condition_variable bounded queue (the control), tbb::concurrent_bounded_queue,
// moodycamel::BlockingConcurrentQueue (unbounded only) and boost::fibers::buffered_channel (which
// holds capacity-1 values and needs a power of two: made with the next power of two above the
// capacity; no rendezvous).
#include "workloads.hpp"

#include <boost/fiber/buffered_channel.hpp>
#include <concurrentqueue/blockingconcurrentqueue.h>
#include <tbb/concurrent_queue.h>

#include <bit>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <semaphore>
#include <shared_mutex>

namespace {

using bench::kUnbounded;

// The control: what a careful engineer writes by hand.
class condvar_queue {
public:
  explicit condvar_queue(std::size_t capacity) : s_(std::make_shared<state>(capacity)) {}

private:
  struct state {
    explicit state(std::size_t c) : capacity(c) {}
    std::mutex mu;
    std::condition_variable not_empty, not_full;
    std::deque<int> items;
    std::size_t capacity;
  };
  std::shared_ptr<state> s_;

public:
  struct prod {
    std::shared_ptr<state> s;
    void push(int v) {
      std::unique_lock lk(s->mu);
      s->not_full.wait(lk, [&] { return s->items.size() < s->capacity; });
      s->items.push_back(v);
      lk.unlock();
      s->not_empty.notify_one();
    }
  };
  struct cons {
    std::shared_ptr<state> s;
    int pop() {
      std::unique_lock lk(s->mu);
      s->not_empty.wait(lk, [&] { return !s->items.empty(); });
      const int v = s->items.front();
      s->items.pop_front();
      lk.unlock();
      s->not_full.notify_one();
      return v;
    }
  };
  prod producer() { return {s_}; }
  cons consumer() { return {s_}; }
};

class tbb_queue {
public:
  explicit tbb_queue(std::size_t capacity)
      : q_(std::make_shared<tbb::concurrent_bounded_queue<int>>()) {
    q_->set_capacity(static_cast<std::ptrdiff_t>(capacity));
  }
  struct end {
    std::shared_ptr<tbb::concurrent_bounded_queue<int>> q;
    void push(int v) { q->push(v); }
    int pop() {
      int v;
      q->pop(v);
      return v;
    }
  };
  end producer() { return {q_}; }
  end consumer() { return {q_}; }

private:
  std::shared_ptr<tbb::concurrent_bounded_queue<int>> q_;
};

class moodycamel_queue {
public:
  explicit moodycamel_queue(std::size_t)
      : q_(std::make_shared<moodycamel::BlockingConcurrentQueue<int>>()) {}
  struct end {
    std::shared_ptr<moodycamel::BlockingConcurrentQueue<int>> q;
    void push(int v) { q->enqueue(v); }
    int pop() {
      int v;
      q->wait_dequeue(v);
      return v;
    }
  };
  end producer() { return {q_}; }
  end consumer() { return {q_}; }

private:
  std::shared_ptr<moodycamel::BlockingConcurrentQueue<int>> q_;
};

class fiber_channel {
public:
  explicit fiber_channel(std::size_t capacity)
      : c_(std::make_shared<boost::fibers::buffered_channel<int>>(std::bit_ceil(capacity + 1))) {}
  struct end {
    std::shared_ptr<boost::fibers::buffered_channel<int>> c;
    void push(int v) { c->push(v); }
    int pop() { return c->value_pop(); }
  };
  end producer() { return {c_}; }
  end consumer() { return {c_}; }

private:
  std::shared_ptr<boost::fibers::buffered_channel<int>> c_;
};

// Two atomic read-modify-writes, as add() and done() with nobody waiting should be.
struct atomic_counter {
  std::atomic<std::uint64_t> n{0};
  void add(int d) { n.fetch_add(static_cast<std::uint64_t>(d) << 32, std::memory_order_acq_rel); }
  void done() { add(-1); }
};

const int registered = [] {
  const auto bounded = [](std::size_t c) { return c != 0 && c != kUnbounded; };
  bench::register_channel_workloads<condvar_queue>("mutex-condvar", bounded);
  bench::register_channel_workloads<tbb_queue>("tbb", bounded);
  bench::register_channel_workloads<moodycamel_queue>(
      "moodycamel", [](std::size_t c) { return c == kUnbounded; });
  bench::register_channel_workloads<fiber_channel>("boost-fiber", bounded);
  benchmark::RegisterBenchmark("mutex/uncontended/std::mutex", bench::mutex_uncontended<std::mutex>)
      ->UseRealTime();
  benchmark::RegisterBenchmark("mutex/contended:4/std::mutex", bench::mutex_contended<std::mutex>)
      ->UseRealTime();
  benchmark::RegisterBenchmark("rwlock/uncontended-shared/std::shared_mutex",
                               bench::rwlock_uncontended_shared<std::shared_mutex>)
      ->UseRealTime();
  benchmark::RegisterBenchmark("semaphore/uncontended/std::counting_semaphore",
                               bench::semaphore_uncontended<std::counting_semaphore<>>)
      ->UseRealTime();
  // The floor of add()/done(): one atomic read-modify-write each.
  benchmark::RegisterBenchmark("waitgroup/add-done/atomic", bench::add_done<atomic_counter>)
      ->UseRealTime();
  return 0;
}();

} // namespace
