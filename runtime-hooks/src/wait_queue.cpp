#include <gridlock/detail/abi.hpp>
#include <gridlock/detail/wait_queue.hpp>

namespace gridlock::inline GRIDLOCK_ABI::detail {

void wait_queue::push_back(waiter_node &n) noexcept {
  n.prev = tail_;
  n.next = nullptr;
  if (tail_)
    tail_->next = &n;
  else
    head_ = &n;
  tail_ = &n;
  n.linked = true;
}

void wait_queue::push_front(waiter_node &n) noexcept {
  n.prev = nullptr;
  n.next = head_;
  if (head_)
    head_->prev = &n;
  else
    tail_ = &n;
  head_ = &n;
  n.linked = true;
}

void wait_queue::remove(waiter_node &n) noexcept {
  if (!n.linked) return;
  if (n.prev)
    n.prev->next = n.next;
  else
    head_ = n.next;
  if (n.next)
    n.next->prev = n.prev;
  else
    tail_ = n.prev;
  n.prev = n.next = nullptr;
  n.linked = false;
}

waiter_node *wait_queue::pop_claimed_slow() noexcept {
  while (waiter_node *n = head_) {
    remove(*n);
    if (n->owner->claim(n->case_index)) return n;
    // Its owner was served by another select case, timed out or was broken: drop the node.
  }
  return nullptr;
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
