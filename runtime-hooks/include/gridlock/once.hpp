// gridlock::once_flag / gridlock::call_once: std::call_once (Go's sync.Once), with the callers
// that wait for the running initialisation in the wait graph.
//
//   gridlock::once_flag init("config");
//   gridlock::call_once(init, load_config, path);
//
// Semantics: as std::call_once. The first caller runs f(args...); callers that arrive meanwhile
// block until it returns, then return without running f. If f throws, the exception propagates
// to its caller and the flag stays unset: the next caller (a waiting one, first) runs f.
//
// Who releases whom: a blocked caller waits for the actor running f (definite). A call_once on
// the same flag from inside f - directly or through other calls - waits for itself: a definite
// self-deadlock, reported (std::call_once just hangs).
//
// Cost: call_once on a flag already set is one acquire load; the first call one CAS plus a
// thread-local read. Only a caller that blocks touches the wait graph.
//
// Errors: a call_once chosen as deadlock victim (on_deadlock=break) throws deadlock_error.
//
// Thread-safety: call_once may be called on one flag from any thread concurrently.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/blocking.hpp>
#include <gridlock/detail/lock_order.hpp>
#include <gridlock/detail/self.hpp>

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace gridlock::inline GRIDLOCK_ABI {

class once_flag {
public:
  explicit once_flag(std::string_view name = {},
                     std::source_location where = std::source_location::current());
  ~once_flag();
  once_flag(const once_flag &) = delete;
  once_flag &operator=(const once_flag &) = delete;

private:
  friend struct once_site;
  static constexpr int kUnset = 0, kRunning = 1, kDone = 2;
  // True: the caller must run the function, then finish(). False: it has run.
  bool begin(const std::source_location &where);
  void finish(bool ran) noexcept;

  std::atomic<int> state_{kUnset};
  alignas(std::atomic_ref<gl_actor_id>::required_alignment) gl_actor_id owner_ = 0; // the runner
  detail::ranked_mutex<detail::lock_rank::primitive> mu_;
  detail::wait_queue waiters_; // mu_
  const std::string name_;
  const gl_resource_id res_;
};

// call_once's first parameter: the flag and the caller's line (a default argument cannot follow
// the function's arguments).
struct once_site {
  once_site(once_flag &f, std::source_location w = std::source_location::current())
      : flag(f), where(w) {}
  template <class F, class... Args> void run(F &&f, Args &&...args) {
    if (flag.state_.load(std::memory_order_acquire) == once_flag::kDone || !flag.begin(where))
      return;
    try {
      std::invoke(std::forward<F>(f), std::forward<Args>(args)...);
    } catch (...) {
      flag.finish(false);
      throw;
    }
    flag.finish(true);
  }
  once_flag &flag;
  std::source_location where;
};

template <class F, class... Args> void call_once(once_site site, F &&f, Args &&...args) {
  site.run(std::forward<F>(f), std::forward<Args>(args)...);
}

} // namespace gridlock::inline GRIDLOCK_ABI
