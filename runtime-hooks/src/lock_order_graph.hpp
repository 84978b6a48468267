// lock_order_graph: the order in which the program takes its locks over the whole run - the
// seed's "resource ordering" (take resources in one global order and nothing can deadlock)
// checked at run time, so a lock-order inversion is reported even when the run did not deadlock.
// (Not to be confused with <gridlock/detail/lock_order.hpp>: the ranks of gridlock's own locks.)
//
// What is recorded: an edge a -> b each time a thread takes b while holding a, once per pair of
// call sites (a's lock call, b's lock call), with the thread, both sites and the locks it held
// besides a (gates). A thread's held locks live in a thread-local array (kHeld at once; deeper
// ones are not ordered); re-locking a held lock (a recursive mutex) only counts.
//
// Mixed prediction: a blocking wait for a message (a channel receive or send, a select, a mailbox
// receive) is a vertex beside the locks. (Not a wait for a lock: its releaser had to take it
// first, so a lock taken before that proves nothing; a lock taken while holding it is an edge.) A
// thread that waits on resource r while holding lock L adds L -> r (as if the wait took a lock);
// the thread that serves that wait (gl_wait_released) adds r -> M for each lock M it let go of just
// before (the slots above its held locks keep those let go of since they were taken, at no cost to
// an unlock): it took M before it served. L == M closes a cycle: had the
// waiter held L before the server took it, the server would have blocked on L and never served - a
// deadlock this run was lucky to miss. A thread that starts another forgets its recent locks:
// they happened before the new thread existed, so no schedule has the new thread wait while
// holding one of them first (setup, then spawn). Other orderings by messages are not tracked: a
// server that takes L, then tells the waiter to go on and lock L, is reported though no schedule
// deadlocks (as lockdep's thread-blind inversions).
//
// What is reported, once per cycle of locks (kind "lock-order-inversion", certainty "possible"):
// a cycle closed by a new edge, unless
//   - its edges cannot each be given a different thread that took it (a thread waits at one place
//     at a time: one thread cannot deadlock with itself that way, nor two with three edges that
//     need one of them twice);
//   - one lock was held at every acquisition of the cycle (a gate: lockdep's and Helgrind's
//     known false positive);
//   - some lock of it is both held and taken in shared mode (readers do not block readers).
// The finding is built on the acquiring thread, outside every lock, and queued for the detector
// thread, which writes it (runtime::queue_finding): the program's thread never waits for a report.
//
// Bounded: edges are deduplicated by call-site pair (at most kSitesPerEdge kept per lock pair);
// at most kMaxLocks locks (65,536) and kMaxEdges edges (262,144) are recorded, the rest ignored.
//
// Cost: acquired()/released() are a thread-local array scan (no lock, no allocation) while the
// thread holds no lock or the pair of sites was seen by this thread before; a new pair takes the
// graph's lock once, walks the stack once (symbolizer) and searches for a cycle (BFS).
//
// Thread-safety: every function may be called from any thread concurrently.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/hooks.h>

#include <cstddef>

namespace gridlock::inline GRIDLOCK_ABI::detail::lock_order_graph {

// The calling thread has just taken `lock` with `op` (GL_OP_LOCK, GL_OP_WRITE_LOCK,
// GL_OP_READ_LOCK); pc: the return address of its lock call. tried: by a call that could not
// have blocked for ever (a trylock, a timed lock): no edge into it, only out of it later.
void acquired(const void *lock, gl_op op, const void *pc, bool tried) noexcept;
// The calling thread let go of `lock` (in any order).
void released(const void *lock) noexcept;

// Whether the calling thread holds a lock (a thread-local load).
bool holds_locks() noexcept;
// The calling thread starts another: it forgets the locks it let go of before (a thread-local
// store).
void starting_thread() noexcept;
// The calling thread begins a blocking wait (`op` at `where`) on `resources` while it holds
// locks: one edge from each held lock to each resource.
void waiting(const gl_target *targets, std::size_t n, gl_op op, const gl_location &where) noexcept;
// The calling thread serves a wait on `targets` made by a thread that held locks: one edge from
// each resource to each lock this thread let go of recently. May be called under a primitive's
// lock: the first time a pair of sites is seen it symbolizes and, for a new cycle, queues a
// finding (the graph lock, never a report written).
void serving(const gl_target *targets, std::size_t n) noexcept;

// fork: the forking thread holds the graph's lock across fork() (runtime's pthread_atfork
// handlers), so a child never inherits it taken.
void before_fork();
void after_fork();

} // namespace gridlock::inline GRIDLOCK_ABI::detail::lock_order_graph
