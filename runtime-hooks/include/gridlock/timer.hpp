// Timers, as Go's package time: after, timer, ticker, after_func. All timers of a process share
// one timer thread (detail::timer_wheel), never a thread per timer.
//
//   auto timeout = gridlock::after(200ms);              // time.After
//   gridlock::select sel;
//   sel.recv(results, [&](auto v) { ... });
//   sel.recv(timeout, [&](auto) { give_up(); });
//   sel.wait();
//
// Semantics (Go's, before Go 1.23):
//   - A timer's channel has capacity 1 and is never closed. When the timer fires, the current
//     time is put into it if there is room (else that value is dropped).
//   - timer::stop() returns true if it stopped the timer before it fired. It does not drain the
//     channel: a value that arrived stays there.
//   - timer::reset(d) re-arms the timer for d from now; true if it was still armed.
//   - ticker: fires every period until stopped; a tick finding the channel full is dropped.
//     Destroying a ticker handle stops it (a Go ticker nobody references stops being useful too).
//   - after_func(d, name, f): at d, f runs on a new detached gridlock::thread named `name` (its own
//     actor); stop() before that cancels it. Its timer has no channel.
//   - Destroying a timer handle leaves it armed: it fires into its channel (time.After's timer,
//     which nobody holds, does just that).
//
// Who releases whom: a receive on a timer's channel waits for the timer while it is armed (a live
// wait, never part of a deadlock). Once it is stopped, or has fired and its value was taken, the
// channel has no sender: a receive on it waits for nobody and is reported (the Go bug of a timer
// channel drained twice, or read after stop()).
//
// Cost: creating a timer makes one channel and takes the timer thread's lock and the graph lock
// once (arming); firing takes them again and the channel's lock. Receives cost as on channels.
//
// Thread-safety: every member may be called from any thread concurrently.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/channel.hpp>
#include <gridlock/detail/timer_wheel.hpp>
#include <gridlock/thread.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace gridlock::inline GRIDLOCK_ABI {

using time_point = std::chrono::steady_clock::time_point;

namespace detail {
// A timer that puts the time into its channel.
class channel_timer final : public timer_entry {
public:
  channel_timer(std::shared_ptr<chan_core<time_point>> core, clock::duration period)
      : timer_entry(core->resource(), period), core_(std::move(core)) {}
  void fire(clock::time_point now) override;
  receiver<time_point> channel() const { return receiver<time_point>(core_); }

private:
  std::shared_ptr<chan_core<time_point>> core_;
};

// A timer that starts a thread.
class func_timer final : public timer_entry {
public:
  func_timer(std::string name, std::function<void()> f)
      : timer_entry(0), name_(std::move(name)), f_(std::move(f)) {}
  void fire(clock::time_point) override;

private:
  const std::string name_;
  std::function<void()> f_; // copied for each firing (reset() may fire it again)
};

template <class Rep, class Period>
timer_wheel::clock::time_point from_now(const std::chrono::duration<Rep, Period> &d) {
  return timer_wheel::clock::now() + std::chrono::ceil<timer_wheel::clock::duration>(d);
}
std::shared_ptr<channel_timer> make_channel_timer(std::string_view name, const char *what,
                                                  timer_wheel::clock::duration period,
                                                  const std::source_location &where);
} // namespace detail

class timer {
public:
  template <class Rep, class Period>
  explicit timer(std::chrono::duration<Rep, Period> d, std::string_view name = {},
                 std::source_location where = std::source_location::current())
      : entry_(detail::make_channel_timer(name, "timer", {}, where)) {
    rx_ = static_cast<detail::channel_timer &>(*entry_).channel();
    detail::timer_wheel::get().arm(entry_, detail::from_now(d));
  }
  // The channel the time is put into (Go's t.C); an empty handle for after_func's timers.
  receiver<time_point> channel() const { return rx_; }
  // True if the call stopped the timer before it fired. Does not drain the channel.
  bool stop() { return detail::timer_wheel::get().disarm(*entry_); }
  // Re-arms the timer d from now. True if it was still armed.
  template <class Rep, class Period> bool reset(std::chrono::duration<Rep, Period> d) {
    return detail::timer_wheel::get().arm(entry_, detail::from_now(d));
  }

private:
  friend timer after_func_timer(std::shared_ptr<detail::timer_entry>);
  explicit timer(std::shared_ptr<detail::timer_entry> e) : entry_(std::move(e)) {}
  std::shared_ptr<detail::timer_entry> entry_;
  receiver<time_point> rx_;
};

class ticker {
public:
  template <class Rep, class Period>
  explicit ticker(std::chrono::duration<Rep, Period> period, std::string_view name = {},
                  std::source_location where = std::source_location::current())
      : entry_(detail::make_channel_timer(name, "ticker", positive(period), where)),
        rx_(entry_->channel()) {
    detail::timer_wheel::get().arm(entry_, detail::from_now(period));
  }
  ~ticker() {
    if (entry_) stop();
  }
  ticker(ticker &&) noexcept = default;
  ticker &operator=(ticker &&o) noexcept {
    if (this != &o) {
      if (entry_) stop();
      entry_ = std::move(o.entry_);
      rx_ = std::move(o.rx_);
    }
    return *this;
  }

  receiver<time_point> channel() const { return rx_; }
  void stop() { detail::timer_wheel::get().disarm(*entry_); }
  // Ticks every `period` from now on.
  template <class Rep, class Period> void reset(std::chrono::duration<Rep, Period> period) {
    entry_->set_period(positive(period));
    detail::timer_wheel::get().arm(entry_, detail::from_now(period));
  }

private:
  // Throws std::invalid_argument for a period <= 0 (Go panics).
  template <class Rep, class Period>
  static detail::timer_wheel::clock::duration positive(std::chrono::duration<Rep, Period> p) {
    const auto d = std::chrono::ceil<detail::timer_wheel::clock::duration>(p);
    if (d <= d.zero()) throw std::invalid_argument("gridlock::ticker: non-positive period");
    return d;
  }
  std::shared_ptr<detail::channel_timer> entry_;
  receiver<time_point> rx_;
};

// time.After: a channel that receives the time once, d from now.
template <class Rep, class Period>
receiver<time_point> after(std::chrono::duration<Rep, Period> d, std::string_view name = {},
                           std::source_location where = std::source_location::current()) {
  return timer(d, name.empty() ? std::string_view("after") : name, where).channel();
}

timer after_func_timer(std::shared_ptr<detail::timer_entry> e);

// time.AfterFunc: f runs as its own actor (a detached gridlock::thread named `name`) d from now,
// unless the returned timer is stopped first.
template <class Rep, class Period, class F>
timer after_func(std::chrono::duration<Rep, Period> d, std::string_view name, F &&f) {
  auto e = std::make_shared<detail::func_timer>(std::string(name),
                                                std::function<void()>(std::forward<F>(f)));
  detail::timer_wheel::get().arm(e, detail::from_now(d));
  return after_func_timer(std::move(e));
}

} // namespace gridlock::inline GRIDLOCK_ABI
