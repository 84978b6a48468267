// Contexts, as Go's package context: cancellation that fans out from a context to every context
// derived from it, and deadlines.
//
//   auto [ctx, cancel] = gridlock::with_timeout(gridlock::background(), 2s, "request");
//   gridlock::thread worker("worker", serve, ctx);      // serve selects on ctx.done()
//   ...
//   cancel();                                           // or the deadline passes
//
// Semantics (Go's): ctx.done() is a receiver that is closed (receives std::nullopt) when the
// context is cancelled - by its cancel_func, by its deadline, or because its parent was
// cancelled; background()'s never is. ctx.err() says why: none, canceled, deadline_exceeded.
// A cancel_func is a copyable handle; calling it again does nothing. A context derived from a
// cancelled one is cancelled at once.
//
// Who releases whom: a receive on ctx.done() (or a select case on it) waits for the holders of
// the cancel functions of ctx and of every context it derives from, and is live while one of
// their deadlines is pending. A cancel_func is held like a channel end: by the actor that made it
// (unused until it calls it), by a gridlock::thread it is passed to (exact), by an actor that
// calls it. When the last handle of every cancel function that could end the wait is gone
// uncalled, the wait waits for nobody: reported, with "cancel function lost" (go vet's
// lostcancel, at run time).
//
// Cost: making a context makes one channel (as make_channel) and, with a deadline, arms one timer
// of the shared timer thread; cancel() takes the context's lock and closes its channel, then
// cancels its children. ctx.err() takes the context's lock.
//
// Thread-safety: contexts and cancel functions may be used from any thread concurrently.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/channel.hpp>
#include <gridlock/detail/end_holder.hpp>
#include <gridlock/detail/lock_order.hpp>
#include <gridlock/detail/timer_wheel.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace gridlock::inline GRIDLOCK_ABI {

enum class context_error { none, canceled, deadline_exceeded };
// "context canceled", "context deadline exceeded" (Go's messages), "" for none.
const char *to_string(context_error e) noexcept;

namespace detail {
class context_state;
}

class context {
public:
  // A receiver closed when the context is cancelled (never, for background()).
  receiver<std::monostate> done() const;
  context_error err() const;
  std::optional<std::chrono::steady_clock::time_point> deadline() const;

private:
  friend context background();
  friend class detail::context_state;
  explicit context(std::shared_ptr<detail::context_state> s) : s_(std::move(s)) {}
  std::shared_ptr<detail::context_state> s_;
};

class cancel_func {
public:
  // Cancels the context (and everything derived from it) with context_error::canceled.
  void operator()() const;
  // Gives this handle to actor `a` (gridlock::thread arguments).
  void give_to(gl_actor_id a) noexcept { holder_.give_to(a); }

private:
  friend class detail::context_state;
  explicit cancel_func(std::shared_ptr<detail::context_state> s);
  std::shared_ptr<detail::context_state> s_;
  mutable detail::end_holder holder_; // the send end of the context's done channel
};

// The root context: never cancelled, no deadline.
context background();

std::pair<context, cancel_func>
with_cancel(const context &parent, std::string_view name = {},
            std::source_location where = std::source_location::current());
std::pair<context, cancel_func>
with_deadline(const context &parent, std::chrono::steady_clock::time_point deadline,
              std::string_view name = {},
              std::source_location where = std::source_location::current());
template <class Rep, class Period>
std::pair<context, cancel_func>
with_timeout(const context &parent, std::chrono::duration<Rep, Period> timeout,
             std::string_view name = {},
             std::source_location where = std::source_location::current()) {
  return with_deadline(parent,
                       std::chrono::steady_clock::now() +
                           std::chrono::ceil<std::chrono::steady_clock::duration>(timeout),
                       name, where);
}

namespace detail {

// One context. Invariants (mu_): err_ goes from none to a reason once, and then the channel is
// closed and children_ is empty for good. The wheel holds it while its deadline is armed.
class context_state final : public timer_entry, public std::enable_shared_from_this<context_state> {
public:
  using core = chan_core<std::monostate>;
  context_state(std::shared_ptr<context_state> parent, std::shared_ptr<core> c,
                std::optional<clock::time_point> deadline);

  static std::pair<context, cancel_func> derive(const context &parent, std::string name,
                                                std::optional<clock::time_point> deadline);
  void cancel(context_error why);
  void fire(clock::time_point) override { cancel(context_error::deadline_exceeded); }

  receiver<std::monostate> done() const { return receiver<std::monostate>(core_); }
  context_error err() const;
  std::optional<clock::time_point> deadline() const noexcept { return deadline_; }
  gl_resource_id resource() const noexcept { return core_->resource(); }
  static const std::shared_ptr<context_state> &root();

private:
  // Registers a derived context, or cancels it at once if this one is cancelled already.
  void adopt(const std::shared_ptr<context_state> &child);
  void forget(const context_state *child);

  const std::shared_ptr<context_state> parent_; // null for the root
  const std::shared_ptr<core> core_;
  const std::optional<clock::time_point> deadline_;
  mutable ranked_mutex<lock_rank::primitive> mu_;
  context_error err_ = context_error::none;            // mu_
  std::vector<std::weak_ptr<context_state>> children_; // mu_
};

} // namespace detail

} // namespace gridlock::inline GRIDLOCK_ABI
