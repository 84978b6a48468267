#include <gridlock/detail/abi.hpp>
#include <gridlock/detail/lock_order.hpp>
#include <gridlock/detail/timer_wheel.hpp>

#include <gridlock/detail/runtime_scope.hpp>

#include <atomic>
#include <mutex>
#include <thread>

namespace gridlock::inline GRIDLOCK_ABI::detail {

namespace {
// The wheel's state. Leaked on purpose: the timer thread may run until the process ends, after
// static destructors.
struct wheel_state {
  ranked_mutex<lock_rank::primitive> mu;
  futex_condition changed;       // the earliest deadline moved, or the first entry came
  timer_wheel::schedule entries; // mu
  bool started = false;          // mu
};
wheel_state &state() {
  static wheel_state *s = new wheel_state;
  return *s;
}
std::atomic<std::size_t> thread_count{0};

void hold(gl_resource_id r, int delta) {
  if (r == 0) return;
  if (delta > 0)
    gl_end_hold(r, GL_END_SEND, 0, GL_HOLD_TIMER);
  else
    gl_end_release(r, GL_END_SEND, 0, GL_HOLD_TIMER);
}
} // namespace

timer_wheel &timer_wheel::get() {
  static timer_wheel w;
  return w;
}

std::size_t timer_wheel::threads() noexcept { return thread_count.load(std::memory_order_relaxed); }

bool timer_wheel::arm(const std::shared_ptr<timer_entry> &e, clock::time_point when) {
  wheel_state &s = state();
  std::lock_guard lk(s.mu);
  const bool was_armed = e->at_.has_value();
  if (was_armed)
    s.entries.erase(*e->at_);
  else
    hold(e->res_, +1);
  e->at_ = s.entries.emplace(when, e);
  if (!s.started) {
    s.started = true;
    thread_count.store(1, std::memory_order_relaxed);
    internal_thread([this] { run(); }).detach();
  }
  if (*e->at_ == s.entries.begin()) s.changed.notify_one();
  return was_armed;
}

bool timer_wheel::disarm(timer_entry &e) {
  wheel_state &s = state();
  std::lock_guard lk(s.mu);
  if (!e.at_) return false;
  s.entries.erase(*e.at_);
  e.at_.reset();
  hold(e.res_, -1);
  return true;
}

// Fires what is due, outside the lock. A one-shot entry keeps its holding until it has fired
// (its value is in the channel, its context cancelled), so no wait on it looks stuck meanwhile.
void timer_wheel::run() {
  wheel_state &s = state();
  std::unique_lock lk(s.mu);
  for (;;) {
    if (s.entries.empty()) {
      s.changed.wait(lk);
      continue;
    }
    const auto now = clock::now();
    auto first = s.entries.begin();
    if (const clock::time_point due = first->first; due > now) {
      s.changed.wait_until(lk, due); // a copy: the entry may be erased while we wait
      continue;
    }
    std::shared_ptr<timer_entry> e = std::move(first->second);
    s.entries.erase(first);
    const bool periodic = e->period_ != clock::duration::zero();
    if (periodic)
      e->at_ = s.entries.emplace(now + e->period_, e);
    else
      e->at_.reset();
    lk.unlock();
    e->fire(now);
    if (!periodic) hold(e->res_, -1);
    e.reset(); // its destructor (the user may have let go of it) runs outside the lock
    lk.lock();
  }
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
