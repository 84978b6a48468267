// GoKer serving#2137: the breaker test starts two requests, each a goroutine whose work locks a
// mutex the test holds, then unlocks them in order, waiting for each to report. The start
// WaitGroup only proves a goroutine has started, not that it reached the breaker: when the second
// request's goroutine takes the only active slot first, it blocks on its own mutex (still held by
// the test), the first request's goroutine blocks sending into the full active queue, and the
// test, having unlocked the first request, waits for its report: the three wait for each other.
// Fix (upstream, in the test): concurrentRequest waits until its request has been performed,
// queued or rejected (polling the queues' lengths) before it returns, so requests reach the
// breaker in order.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: concurrentRequest-0
// (The shortest cycle: concurrentRequest-0 also holds the receive end of activeRequests it waits
// for; main and concurrentRequest-1 are reported as blocked because of it.)
#include <gridlock/gridlock.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

bool fixed = false;

struct token {};
template <class T> using chan = std::pair<gridlock::sender<T>, gridlock::receiver<T>>;

// Forces the overtaking the bug needs (the buggy version only: the fix makes it impossible, as
// the first request is in the breaker before the second one exists): the first request's
// goroutine calls Maybe only once the second one is performing, i.e. holds the active slot.
struct schedule {
  chan<token> second_performing = gridlock::make_channel<token>(1, "second-performing");
  void before_maybe(int index) {
    if (!fixed && index == 0) second_performing.second.recv();
  }
  void performing(int index) {
    if (!fixed && index == 1) second_performing.first.send({});
  }
};

// len() of the breaker's channels: gridlock channels do not expose it, so the breaker counts the
// tokens it puts in and takes out.
struct queue_lengths {
  std::atomic<int> pending{0};
  std::atomic<int> active{0};
};

// Go's *Breaker: a struct of channels, shared. Its copies here hold the same channels (each
// goroutine keeps the handles it uses).
struct breaker {
  chan<token> pending_requests;
  chan<token> active_requests;
  int pending_cap, active_cap;
  queue_lengths *len;

  breaker(int queue_depth, int max_concurrency, queue_lengths *l)
      : pending_requests(
            gridlock::make_channel<token>(queue_depth + max_concurrency, "pendingRequests")),
        active_requests(gridlock::make_channel<token>(max_concurrency, "activeRequests")),
        pending_cap(queue_depth + max_concurrency), active_cap(max_concurrency), len(l) {}

  bool maybe(const std::function<void()> &thunk) {
    token t;
    // Go: a select with a default case: the pending queue is full, report failure.
    if (!pending_requests.first.try_send(t)) return false;
    ++len->pending;
    active_requests.first.send(t); // EXPECT: concurrentRequest-0 | chan send | activeRequests
    ++len->active;
    struct release {
      breaker &b;
      ~release() {
        b.active_requests.second.recv();
        --b.len->active;
        b.pending_requests.second.recv();
        --b.len->pending;
      }
    } on_return{*this};
    thunk();
    return true;
  }
};

struct request {
  std::shared_ptr<gridlock::mutex> lock;
  chan<bool> accepted;

  void wait() {
    const bool ok = *accepted.second.recv();
    accepted.first.send(ok); // requeue for the next reader
  }
};

// Polls the queue's length (upstream: every millisecond, giving up after 100 ms; longer here, so
// a loaded machine does not fail the fixed run).
void wait_for_queue(const std::atomic<int> &len, int size) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (len.load() != size) {
    if (std::chrono::steady_clock::now() > give_up) std::abort(); // Go: panic
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

struct breaker_test {
  breaker &b;
  schedule &steps;
  gridlock::wait_group &goroutines; // the goroutines Go leaves running

  request concurrent_request(int index) {
    if (!fixed) std::this_thread::yield(); // runtime.Gosched()

    request r{std::make_shared<gridlock::mutex>("request.lock"),
              gridlock::make_channel<bool>(1, "request.accepted")};
    r.lock->lock();

    std::function<void()> wait_for_place; // the fix (Go: deferred)
    if (fixed) {
      if (b.len->active < b.active_cap) {
        const int size = b.len->active + 1; // expect it to be performed
        wait_for_place = [this, size] { wait_for_queue(b.len->active, size); };
      } else if (b.len->pending < b.pending_cap) {
        const int size = b.len->pending + 1; // expect it to be queued
        wait_for_place = [this, size] { wait_for_queue(b.len->pending, size); };
      } else {
        wait_for_place = [&r] { r.wait(); }; // expect it to be rejected
      }
    }

    gridlock::wait_group start("start");
    start.add(1);
    goroutines.go(
        "concurrentRequest-" + std::to_string(index),
        [this, &start, index, b = b, lock = r.lock](gridlock::sender<bool> accepted) mutable {
          start.done();
          steps.before_maybe(index);
          const bool ok = b.maybe([&] {
            steps.performing(index);
            lock->lock(); // EXPECT: concurrentRequest-1 | mutex lock | request.lock
            lock->unlock();
          });
          accepted.send(ok);
        },
        r.accepted.first);
    start.wait(); // the goroutine has had a chance to run
    if (wait_for_place) wait_for_place();
    return r;
  }

  std::vector<request> concurrent_requests(int n) {
    std::vector<request> requests;
    for (int i = 0; i < n; ++i) requests.push_back(concurrent_request(i));
    return requests;
  }
};

void unlock(request &req) {
  req.lock->unlock();
  const bool ok = *req.accepted.second.recv(); // EXPECT: main | chan receive | request.accepted
  req.accepted.first.send(ok);                 // requeue for the next reader
}

void unlock_all(std::vector<request> &requests) {
  for (auto &r : requests) unlock(r);
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  schedule steps;
  gridlock::wait_group goroutines("goroutines");
  queue_lengths lengths;
  breaker b(1, 1, &lengths);
  breaker_test t{b, steps, goroutines};

  std::vector<request> locks = t.concurrent_requests(2);
  unlock_all(locks);
  goroutines.wait();
  return 0;
}
