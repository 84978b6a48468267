#include <gridlock/detail/parker.hpp>

#include <mutex>

namespace gridlock::detail {

parker &parker::current() noexcept {
  thread_local parker p;
  return p;
}

void parker::reset() noexcept {
  std::lock_guard lk(m_);
  fired_.store(kWaiting, std::memory_order_relaxed);
  signaled_ = false;
  break_asked_ = false;
}

void parker::signal() noexcept {
  std::lock_guard lk(m_);
  signaled_ = true;
  cv_.notify_one();
}

void parker::request_break() noexcept {
  std::lock_guard lk(m_);
  break_asked_ = true;
  cv_.notify_one();
}

int parker::park(std::optional<clock::time_point> deadline) noexcept {
  std::unique_lock lk(m_.native());
  lock_order_acquire(lock_rank::parker);
  for (;;) {
    if (signaled_) break;
    const bool expired = deadline && clock::now() >= *deadline;
    if (break_asked_ || expired) {
      // Give up unless a waker claimed us first; if one did, wait for its signal().
      const int give_up = break_asked_ ? kBroken : kTimedOut;
      int expected = kWaiting;
      if (fired_.compare_exchange_strong(expected, give_up, std::memory_order_acq_rel)) break;
      cv_.wait(lk, [&] { return signaled_; });
      break;
    }
    if (deadline)
      cv_.wait_until(lk, *deadline);
    else
      cv_.wait(lk);
  }
  lock_order_release(lock_rank::parker);
  return fired_.load(std::memory_order_acquire);
}

} // namespace gridlock::detail
