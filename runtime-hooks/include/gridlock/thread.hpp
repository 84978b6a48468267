// gridlock::thread: a named, std::jthread-like thread that is an actor from its first instruction.
//
//   auto [tx, rx] = gridlock::make_channel<int>(0, "jobs");
//   gridlock::thread worker("worker", [](gridlock::receiver<int> in) { ... }, std::move(rx));
//
// - Channel handles passed as arguments (or in a std::array / std::vector argument), copied or
//   moved, belong to the new actor from the start (an EXACT holding: deadlocks through them are
//   reported as definite). Copies captured by the function object (a lambda's captures) belong to
//   it too, as if it had used them (INFERRED: probable, unless the whole process is stuck).
// - join() is a recorded wait on the thread's actor; the destructor joins a joinable thread (and
//   reports that wait at the line that created the thread).
// - An exception escaping the thread function calls std::terminate, as with std::thread.
//
// Thread-safety: as std::jthread (one object, one thread at a time).
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/actor.hpp>
#include <gridlock/channel.hpp>

#include <functional>
#include <gridlock/detail/end_holder.hpp>
#include <gridlock/detail/runtime_scope.hpp>
#include <memory>
#include <ranges>
#include <source_location>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>

namespace gridlock::inline GRIDLOCK_ABI {

namespace detail {
// Hands the handles among a new thread's arguments to its actor: handles themselves, and ranges
// of them (std::array, std::vector). Other arguments are left alone.
// Handles are the arguments with a give_to member (channel ends, cancel functions).
template <class A> void give_to(A &arg, gl_actor_id a) noexcept {
  if constexpr (requires { arg.give_to(a); })
    arg.give_to(a);
  else if constexpr (std::ranges::range<A>)
    for (auto &element : arg) give_to(element, a);
}

// The new thread's function object and arguments, built in their final place: handles copied or
// moved into them (a lambda's captures) belong to the new actor (end_holder's adoption).
template <class Bound> struct bound_deleter {
  void operator()(Bound *b) const noexcept {
    std::destroy_at(b);
    std::allocator<Bound>().deallocate(b, 1);
  }
};
template <class Bound, class... Parts>
std::unique_ptr<Bound, bound_deleter<Bound>> bind_for(gl_actor_id a, Parts &&...parts) {
  Bound *b = std::allocator<Bound>().allocate(1);
  const adoption scope{b, b + 1, a};
  try {
    adoption_scope adopt(scope);
    std::construct_at(b, std::forward<Parts>(parts)...);
  } catch (...) {
    std::allocator<Bound>().deallocate(b, 1);
    throw;
  }
  return std::unique_ptr<Bound, bound_deleter<Bound>>(b);
}
} // namespace detail

// A thread's name, and where the thread was created: its destructor's join is reported there.
struct thread_name {
  thread_name(const char *n, std::source_location w = std::source_location::current())
      : name(n), where(w) {}
  thread_name(std::string_view n, std::source_location w = std::source_location::current())
      : name(n), where(w) {}
  thread_name(const std::string &n, std::source_location w = std::source_location::current())
      : name(n), where(w) {}
  std::string_view name;
  std::source_location where;
};

class thread {
public:
  thread() noexcept = default;

  template <class F, class... Args>
  explicit thread(thread_name name, F &&f, Args &&...args)
      : actor_(gl_actor_create(std::string(name.name).c_str())), created_(name.where),
        done_(std::make_shared<std::atomic<bool>>(false)) {
    // The function object and arguments are built in place and never move again before the new
    // actor runs, so the handles given to it stay its own (a move by the holder keeps the
    // holding).
    auto bound = detail::bind_for<std::tuple<std::decay_t<F>, std::decay_t<Args>...>>(
        actor_, std::forward<F>(f), std::forward<Args>(args)...);
    std::apply([&](auto &, auto &...a) { (detail::give_to(a, actor_), ...); }, *bound);
    try {
      const detail::runtime_scope creating; // the interposer makes no second actor of it
      t_ = std::thread([id = actor_, done = done_, b = std::move(bound)] {
        gl_actor_attach(id);
        std::apply([](auto &fn, auto &...a) { std::invoke(std::move(fn), std::move(a)...); }, *b);
        done->store(true, std::memory_order_release);
      });
    } catch (...) { // no thread: no actor either
      gl_actor_discard(actor_);
      throw;
    }
  }
  thread(thread &&) noexcept = default;
  thread &operator=(thread &&o) noexcept {
    if (joinable()) join();
    t_ = std::move(o.t_);
    actor_ = o.actor_;
    created_ = o.created_;
    done_ = std::move(o.done_);
    return *this;
  }
  // Joins a joinable thread; a blocking join is reported at the line that created the thread.
  ~thread() {
    if (joinable()) join(created_);
  }

  bool joinable() const noexcept { return t_.joinable(); }
  actor_id id() const noexcept { return actor_; }
  void detach() { t_.detach(); }
  // Waits for the thread to finish; recorded as a wait on its actor when it really blocks.
  void join(std::source_location where = std::source_location::current());

private:
  void joined() const noexcept; // the flight recorder's join event
  std::thread t_;
  actor_id actor_ = 0;
  std::source_location created_;
  std::shared_ptr<std::atomic<bool>> done_; // set by the thread after its function returned
};

} // namespace gridlock::inline GRIDLOCK_ABI
