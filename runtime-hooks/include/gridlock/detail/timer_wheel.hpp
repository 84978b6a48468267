// timer_wheel: the one thread that fires every gridlock timer of the process (timer, ticker,
// after, after_func, context deadlines) - never a thread per timer.
//
// A timer is a timer_entry the user's handles share with the wheel. arm() schedules it (again),
// disarm() cancels it; when it is due, the wheel calls its fire() on the timer thread, outside
// the wheel's lock. A ticker is re-armed by its fire().
//
// Who releases whom: while an entry is armed, the send end of its resource (the timer's channel,
// the context's done channel) has a TIMER holding: a wait on it is live, as the timer will come,
// and the process is not stuck as a whole (Go's rule: no global deadlock while a timer is
// pending). Disarmed (stopped, or fired for good), the holding is dropped and such a wait waits for
// whoever else holds the end - for a stopped timer, nobody.
//
// The timer thread is not an actor (detector::untracked counts it as gridlock's own): it starts
// with the first armed timer and never ends before the process does.
//
// Locking: the wheel's lock (rank primitive) is never held with another primitive's lock; fire()
// runs without it. arm() and disarm() may be called from fire().
//
// Cost: arm/disarm take the wheel's lock and the graph lock once (the holding); an entry costs
// one std::multimap node while armed.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/hooks.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>

namespace gridlock::inline GRIDLOCK_ABI::detail {

class timer_entry;

class timer_wheel {
public:
  using clock = std::chrono::steady_clock;
  using schedule = std::multimap<clock::time_point, std::shared_ptr<timer_entry>>;

  static timer_wheel &get();
  // Schedules e at `when`, replacing an earlier schedule. Returns true if it was armed already.
  bool arm(const std::shared_ptr<timer_entry> &e, clock::time_point when);
  // Cancels e's schedule. Returns true if it was armed (the call stopped it).
  bool disarm(timer_entry &e);
  // 1 once the timer thread runs (for the detector's count of gridlock's own threads), else 0.
  static std::size_t threads() noexcept;

private:
  timer_wheel() = default;
  void run();
};

// What the wheel fires. A periodic entry (a ticker) is re-armed one period later before it
// fires, so it never looks disarmed in between.
class timer_entry {
public:
  using clock = timer_wheel::clock;
  // r: whose send end the armed entry holds (0: none).
  explicit timer_entry(gl_resource_id r, clock::duration period = {}) noexcept
      : res_(r), period_(period) {}
  virtual ~timer_entry() = default;
  timer_entry(const timer_entry &) = delete;
  timer_entry &operator=(const timer_entry &) = delete;
  // On the timer thread, outside the wheel's lock.
  virtual void fire(clock::time_point now) = 0;
  void set_period(clock::duration p) noexcept { period_ = p; } // before arming it again

private:
  friend class timer_wheel;
  const gl_resource_id res_;
  clock::duration period_;                            // zero: one-shot
  std::optional<timer_wheel::schedule::iterator> at_; // the wheel's lock: where it is scheduled
};

} // namespace gridlock::inline GRIDLOCK_ABI::detail
