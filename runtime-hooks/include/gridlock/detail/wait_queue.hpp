// wait_queue: the FIFO of blocked operations on one side of a primitive (a channel's senders or
// receivers, a mutex's lockers). Intrusive: nodes live on the blocked threads' stacks.
// Guarded by the owning primitive's lock; no operation allocates.
//
// Fairness: nodes are served in queue order: pop_claimed() returns the first node whose parker it
// could claim, dropping nodes of waiters already served elsewhere (another select case), timed
// out or broken. Channels queue at the back only (FIFO); the mutex puts a locker that was woken
// but lost the race back at the front.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/parker.hpp>
#include <gridlock/hooks.h>

namespace gridlock::inline GRIDLOCK_ABI::detail {

struct waiter_node {
  parker *owner = nullptr;
  int case_index = 0;
  gl_actor_id actor = 0;    // the blocked actor (mutex hand-off names the new owner)
  gl_wait_t wait = nullptr; // the graph record of the owner's wait, marked released on claim
  void *slot = nullptr;     // typed by the primitive: value to send / place to receive into
  bool closed = false;      // result: the primitive was closed instead of serving the node
  waiter_node *prev = nullptr;
  waiter_node *next = nullptr;
  bool linked = false;
};

class wait_queue {
public:
  bool empty() const noexcept { return head_ == nullptr; }
  void push_back(waiter_node &n) noexcept;
  void push_front(waiter_node &n) noexcept;
  // Unlinks n if it is still queued (a waiter cleaning up after a timeout, a break or another
  // select case). Idempotent.
  void remove(waiter_node &n) noexcept;
  // The oldest node whose owner could be claimed, unlinked; nullptr if none. The caller must
  // complete the node and then call wake().
  waiter_node *pop_claimed() noexcept { return head_ ? pop_claimed_slow() : nullptr; }
  // The actor of the oldest queued node (0 if none); it may have been served elsewhere already.
  gl_actor_id front_actor() const noexcept { return head_ ? head_->actor : 0; }
  // Claims and unlinks every node (close), calling f(node) for each.
  template <class F> void drain(F f) {
    while (waiter_node *n = pop_claimed()) f(*n);
  }

private:
  waiter_node *pop_claimed_slow() noexcept;
  waiter_node *head_ = nullptr;
  waiter_node *tail_ = nullptr;
};

// Marks the node's wait released in the graph and wakes its owner. Call after completing it.
// Where the woken thread may destroy the primitive as soon as it runs (a mailbox's owner, a
// mutex's next owner), call it after releasing the primitive's lock: the node and the parker stay
// valid until the signal, the primitive does not. Channels may wake under their lock: every
// thread inside a channel operation holds a handle that keeps its state alive.
inline void wake(waiter_node &n) noexcept {
  gl_wait_released(n.wait);
  n.owner->signal();
}

// Claimed nodes to wake once the primitive's lock is released (when a woken waiter may destroy
// the primitive at once): chained through the nodes' own `next`, so collecting allocates nothing.
class wake_list {
public:
  void add(waiter_node &n) noexcept {
    n.next = head_;
    head_ = &n;
  }
  bool empty() const noexcept { return head_ == nullptr; }
  // Wakes every node. A node dies as soon as its owner runs: its successor is read first.
  void wake_all() noexcept {
    while (waiter_node *n = head_) {
      head_ = n->next;
      wake(*n);
    }
  }

private:
  waiter_node *head_ = nullptr;
};

} // namespace gridlock::inline GRIDLOCK_ABI::detail
