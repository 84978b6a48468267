// ring<T>: the FIFO buffer of a channel. A circular array that grows by doubling up to the
// channel's capacity and never shrinks, so once it has reached its high-water mark a send or
// receive allocates nothing. Not synchronized (guarded by the channel's lock).
#pragma once

#include <gridlock/detail/abi.hpp>

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace gridlock::inline GRIDLOCK_ABI::detail {

template <class T> class ring {
public:
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }

  void push_back(T v) {
    if (size_ == slots_.size()) grow();
    std::size_t tail = head_ + size_; // wrapped without a division: this is the hot path
    if (tail >= slots_.size()) tail -= slots_.size();
    slots_[tail].emplace(std::move(v));
    ++size_;
  }
  // Requires !empty().
  T pop_front() {
    std::optional<T> &slot = slots_[head_];
    T v = std::move(*slot);
    slot.reset();
    if (++head_ == slots_.size()) head_ = 0;
    --size_;
    return v;
  }

private:
  [[gnu::noinline]] void grow() {
    std::vector<std::optional<T>> bigger(slots_.empty() ? 4 : 2 * slots_.size());
    for (std::size_t i = 0; i < size_; ++i)
      bigger[i] = std::move(slots_[(head_ + i) % slots_.size()]);
    slots_ = std::move(bigger);
    head_ = 0;
  }

  std::vector<std::optional<T>> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

} // namespace gridlock::inline GRIDLOCK_ABI::detail
