// gridlock's own lock order, checked in debug builds (docs/architecture.md, "gridlock's own lock
// order", walks through it with the code paths).
//
// Every internal mutex has a rank. A thread may only acquire a mutex whose rank is strictly
// greater than the rank of every gridlock mutex it already holds, save several primitives in
// select:
//
//   1  primitive    a channel's, mailbox's or mutex's state lock. Only select holds several at
//                   once: select::lock_all (select.cpp) takes the locks of all its cases' channels,
//                   each once, in ascending address order, and holds them all while it tries the
//                   cases and, if none is ready, records its wait and enqueues its nodes. That
//                   cannot deadlock: every other path holds at most one primitive lock and takes
//                   no other under it, and every select takes its set in the same global
//                   (address) order. The checker lets rank 1 be taken under rank 1 but does not
//                   verify that order.
//   2  graph        the runtime's wait-graph lock (taken inside the hooks of <gridlock/hooks.h>,
//                   and by the detector and the report writer).
//   3  trace        the flight recorder (trace=1). A leaf: nothing is acquired under it.
//
// A parked thread sleeps on a futex word of its own (parker.hpp): no lock, so a waker may wake it
// while holding any of these.
//
// The detector has no lock of its own: its state is guarded by the graph lock.
//
// Unranked, each taken with no other gridlock lock held: the report writer's lock, the finding
// handler's and the options'. Only the fork handler (runtime.hpp) holds them together, outermost
// first: writer, handler, options, then graph and trace. Innermost of all, a leaf: the graph
// layout's lock (reports/src/wait_for_svg.cpp), taken while rendering HTML, under the writer's
// lock or none; nothing is taken under it.
//
// So a channel may call a hook or wake a parked thread while holding its lock; the detector
// never touches a primitive, and never reports, logs or calls back while holding the graph lock:
// it collects under the lock and acts after releasing it.
//
// Checked when GRIDLOCK_CHECK_LOCK_ORDER is defined (the CMake option of that name: on in Debug
// builds and in gridlock's own test builds); otherwise ranked_mutex is a plain futex_mutex
// (futex.hpp: never a pthread object, so no interposer of the C library sees it).
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/futex.hpp>

namespace gridlock::inline GRIDLOCK_ABI::detail {

enum class lock_rank : unsigned { primitive = 1, graph = 2, trace = 3 };

#ifdef GRIDLOCK_CHECK_LOCK_ORDER
// Aborts with a message if the calling thread holds a mutex of rank >= r.
void lock_order_acquire(lock_rank r);
void lock_order_release(lock_rank r);
// How many mutexes of rank r the calling thread has acquired so far (tests of the fast path).
unsigned long lock_acquisitions(lock_rank r);
#else
inline void lock_order_acquire(lock_rank) {}
inline void lock_order_release(lock_rank) {}
#endif

// Adaptive locks: lock() retries try_lock() a little before it sleeps, because gridlock's
// critical sections are short and a futex sleep and wake-up costs tens of microseconds (more in a
// VM). The graph lock retries 64 times; a primitive's lock only 16 times: a hand-off (ping-pong,
// rendezvous) gains from catching the lock awake (pingpong 0.09 -> 0.8 M round trips/s), but two
// threads streaming through a big buffer do better when one sleeps and the other fills or drains
// it alone (spsc at capacity 4096: 12 M items/s without retries, 5.5 M with 16, 3 M with 64).
template <lock_rank Rank> class ranked_mutex {
public:
  void lock() {
    lock_order_acquire(Rank);
    constexpr int spins = Rank == lock_rank::graph ? 64 : Rank == lock_rank::primitive ? 16 : 0;
    for (int i = 0; i < spins; ++i) {
      if (m_.try_lock()) return;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    m_.lock();
  }
  // Never blocks (the crash handler's way in); the rank is checked as for lock().
  bool try_lock() {
    lock_order_acquire(Rank);
    if (m_.try_lock()) return true;
    lock_order_release(Rank);
    return false;
  }
  void unlock() {
    m_.unlock();
    lock_order_release(Rank);
  }

private:
  futex_mutex m_;
};

} // namespace gridlock::inline GRIDLOCK_ABI::detail
