// block_on: the slow path shared by every gridlock primitive that blocks on one wait queue.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/self.hpp>
#include <gridlock/detail/wait_queue.hpp>

#include <initializer_list>
#include <mutex>
#include <optional>
#include <source_location>
#include <string>

namespace gridlock::inline GRIDLOCK_ABI::detail {

enum class block_result { served, timed_out, broken };
enum class queue_end { back, front };

inline gl_location to_gl(const std::source_location &l) noexcept {
  return gl_location{l.file_name(), l.function_name(), l.line(), l.column()};
}

// Describes a wait of the calling thread's parker (breakable by the detector).
inline gl_wait_desc describe(gl_op op, const gl_target *targets, std::size_t n, bool all,
                             bool timed, const std::source_location &where) noexcept {
  return gl_wait_desc{op,
                      all ? 1 : 0,
                      timed ? 1 : 0,
                      targets,
                      n,
                      to_gl(where),
                      &parker::request_break_fn,
                      &parker::current()};
}

// Called with `lk` (the primitive's lock) held, after the fast path found nothing to do: enqueues
// `n` on `q` (at the back, or at the front for a waiter that lost its turn), records the wait,
// releases `lk`, sleeps until served, timed out or broken, and records the end of the wait.
// Returns with `lk` released and `n` unlinked.
template <class Lock>
block_result block_on(Lock &lk, wait_queue &q, waiter_node &n, const gl_wait_desc &d,
                      std::optional<parker::clock::time_point> deadline,
                      queue_end end = queue_end::back) {
  parker &p = parker::current();
  p.reset();
  n.owner = &p;
  n.case_index = 0;
  n.actor = self();
  n.wait = gl_wait_begin(&d);
  if (end == queue_end::front)
    q.push_front(n);
  else
    q.push_back(n);
  lk.unlock();
  const int r = p.park(deadline);
  if (r < 0) {
    lk.lock();
    q.remove(n);
    lk.unlock();
  }
  gl_wait_end(n.wait);
  if (r >= 0) return block_result::served;
  return r == parker::kBroken ? block_result::broken : block_result::timed_out;
}

// Throws deadlock_error for a wait the detector broke.
[[noreturn]] void throw_broken(gl_op op);

// "channel at file.cpp:12": the name of a resource created without one.
std::string default_name(const char *what, const std::source_location &where);
// "file.cpp:42": the file's last path component and the line.
std::string file_and_line(const char *file, unsigned line);

// Lock-order prediction for gridlock's own locks (src/lock_order_graph.hpp): the calling thread
// has taken the lock whose resource is `r` at `where` (tried: by a call that could not block for
// ever) / has let it go. A thread-local push or pop; no lock, no allocation, unless a pair of
// sites is new.
#ifndef GRIDLOCK_DISABLE
void lock_taken(gl_resource_id r, const std::source_location &where, bool tried) noexcept;
void lock_let_go(gl_resource_id r) noexcept;
#else
inline void lock_taken(gl_resource_id, const std::source_location &, bool) noexcept {}
inline void lock_let_go(gl_resource_id) noexcept {}
#endif

} // namespace gridlock::inline GRIDLOCK_ABI::detail
