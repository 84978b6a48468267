#include <gridlock/detail/abi.hpp>
#include <gridlock/shared_mutex.hpp>

namespace gridlock::inline GRIDLOCK_ABI {

shared_mutex::shared_mutex(std::string_view name, rw_policy policy, std::source_location where)
    : blocks_readers_(policy == rw_policy::prefer_writers ? kWriter | kParked : kWriter),
      policy_(policy),
      name_(name.empty() ? detail::default_name("shared_mutex", where) : std::string(name)),
      res_(gl_resource_create("shared_mutex", name_.c_str(), -1)) {
  gl_owner_watch(res_, &owner_);
  gl_served_watch(res_, &readers_past_);
}

shared_mutex::~shared_mutex() { gl_resource_destroy(res_); }

// Under mu_: may a reader take the lock in state s?
bool shared_mutex::can_read(std::uint32_t s) const noexcept {
  return !(s & kWriter) && (policy_ == rw_policy::prefer_readers || writers_.empty());
}

// Under mu_: sets kParked on the exact state s (false: the state changed, look again).
bool shared_mutex::park(std::uint32_t &s) noexcept {
  return (s & kParked) || state_.compare_exchange_strong(s, s | kParked, std::memory_order_relaxed);
}

void shared_mutex::lock_slow(const std::source_location &where) {
  std::unique_lock lk(mu_);
  for (;;) {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    if (!(s & (kWriter | kReaders))) {
      if (state_.compare_exchange_weak(s, s | kWriter, std::memory_order_acquire)) {
        set_owner(detail::self());
        return;
      }
      continue;
    }
    if (!park(s)) continue;
    // Served means handed the lock: unlock_slow() made us the owner.
    detail::waiter_node n;
    const gl_target every_holder{GL_TARGET_ALL_HOLDERS, 0, res_, GL_END_SEND};
    const auto d = detail::describe(GL_OP_WRITE_LOCK, &every_holder, 1, true, false, where);
    if (detail::block_on(lk, writers_, n, d, std::nullopt) == detail::block_result::broken)
      detail::throw_broken(GL_OP_WRITE_LOCK);
    return;
  }
}

void shared_mutex::lock_shared_slow(const std::source_location &where) {
  std::unique_lock lk(mu_);
  for (;;) {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    if (can_read(s)) {
      if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire)) {
        gl_shared_acquire(res_);
        if (!writers_.empty()) // prefer_readers: in past a waiting writer
          std::atomic_ref<std::uint64_t>(readers_past_).fetch_add(1, std::memory_order_relaxed);
        return;
      }
      continue;
    }
    if (!park(s)) continue;
    // The writer holding it, and the oldest waiting writer that goes first (prefer_writers).
    gl_target t[2] = {{GL_TARGET_OWNER, 0, res_, GL_END_SEND}};
    std::size_t n_targets = 1;
    if (policy_ == rw_policy::prefer_writers && !writers_.empty())
      t[n_targets++] = {GL_TARGET_ACTOR, writers_.front_actor(), res_, GL_END_SEND};
    detail::waiter_node n;
    const auto d = detail::describe(GL_OP_READ_LOCK, t, n_targets, true, false, where);
    if (detail::block_on(lk, readers_, n, d, std::nullopt) == detail::block_result::broken)
      detail::throw_broken(GL_OP_READ_LOCK);
    gl_shared_acquire(res_); // unlock_slow() counted us among the readers
    return;
  }
}

// The lock may be free: hand it on. After a writer, the readers that queued meanwhile go first;
// after the last reader, the oldest writer. Woken after mu_ is released: a new holder may unlock
// and destroy the lock at once.
// A reader's unlock may find the lock taken meanwhile by a writer that came in under mu_ (and
// kWriter set): it then has nothing to hand on. `after_writer` says who calls, not the state.
void shared_mutex::unlock_slow(bool after_writer) {
  detail::wake_list woken;
  {
    std::lock_guard lk(mu_);
    std::uint32_t s = after_writer
                          ? state_.fetch_and(~kWriter, std::memory_order_release) & ~kWriter
                          : state_.load(std::memory_order_relaxed);
    const auto grant_readers = [&] {
      std::uint32_t granted = 0;
      while (detail::waiter_node *n = readers_.pop_claimed()) {
        ++granted;
        woken.add(*n);
      }
      state_.fetch_add(granted, std::memory_order_acquire);
      return granted != 0;
    };
    const auto grant_writer = [&] {
      s = state_.load(std::memory_order_relaxed);
      while (!(s & (kWriter | kReaders)) && !writers_.empty())
        if (state_.compare_exchange_weak(s, s | kWriter, std::memory_order_acquire)) {
          if (detail::waiter_node *n = writers_.pop_claimed()) {
            set_owner(n->actor);
            woken.add(*n);
            return true;
          }
          state_.fetch_and(~kWriter, std::memory_order_release); // every writer had left
          return false;
        }
      return false;
    };
    if (!(s & (kWriter | kReaders))) {
      if (after_writer)
        grant_readers() || grant_writer();
      else
        grant_writer() || grant_readers();
    }
    if (readers_.empty() && writers_.empty()) state_.fetch_and(~kParked, std::memory_order_relaxed);
  }
  woken.wake_all();
}

} // namespace gridlock::inline GRIDLOCK_ABI
