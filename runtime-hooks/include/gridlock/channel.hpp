// Channels: typed FIFO queues between actors, as Go's channels.
//
//   auto [tx, rx] = gridlock::make_channel<int>(0, "jobs");   // capacity 0: rendezvous
//   tx.send(42);                                              // blocks until a receiver takes it
//   std::optional<int> v = rx.recv();                         // nullopt once closed and drained
//
// Semantics
//   - capacity 0: send blocks until a receiver takes the value (synchronous hand-off);
//     capacity N: send blocks while N values are buffered; unbounded: send never blocks.
//   - Fairness: blocked senders and blocked receivers are each served in FIFO order; a newcomer
//     never overtakes a blocked waiter (no barging).
//   - Closing: close(), or destroying the last sender handle, closes the channel. Receivers drain
//     the buffer, then get std::nullopt; blocked and later senders get channel_closed. When the
//     last receiver handle is destroyed, blocked and later sends throw channel_closed too, instead
//     of blocking forever.
//   - sender<T> / receiver<T> are copyable, reference-counted handles (multi-producer,
//     multi-consumer). A handle object may be used from several threads, but prefer one copy per
//     thread: gridlock learns who can release a wait from who holds which handle (end_holder.hpp).
//
// Cost: an operation that does not block takes the channel's own lock (never a global one),
// touches the wait graph not at all, and allocates nothing once the buffer has grown to its
// high-water mark (it doubles on demand up to the capacity and never shrinks). A send or receive
// that really blocks records one wait (one allocation, the graph lock) and may be reported.
//
// Blocking calls take a defaulted std::source_location: reports show the caller's file and
// line. A blocking call chosen as deadlock victim (on_deadlock=break) throws deadlock_error.
//
// Thread-safety: all operations are thread-safe.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/blocking.hpp>
#include <gridlock/detail/end_holder.hpp>
#include <gridlock/detail/lock_order.hpp>
#include <gridlock/detail/ring.hpp>
#include <gridlock/errors.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace gridlock::inline GRIDLOCK_ABI {

class select;
template <class T> class sender;
template <class T> class receiver;

namespace detail {

enum class op_status { done, would_block, closed };

// Message numbers for the flight recorder: the k-th value into a channel is the k-th out (FIFO),
// so a send and its receive share k. Counted only while the recorder is on (trace=1): the fast
// path without it is one relaxed load. Turning the recorder on while values are buffered would
// pair those values' receives with later sends; trace is meant to be set before the channels are
// used. Actor 0 means the calling thread. Guarded by the channel's lock; compiled out with
// GRIDLOCK_DISABLE.
class msg_keys {
public:
#ifndef GRIDLOCK_DISABLE
  void sent(gl_resource_id r, gl_actor_id a) noexcept {
    if (gl_trace_on()) [[unlikely]]
      record(GL_EV_SEND, r, a, in_++);
  }
  void received(gl_resource_id r, gl_actor_id a) noexcept {
    if (gl_trace_on()) [[unlikely]]
      record(GL_EV_RECEIVE, r, a, out_++);
  }

private:
  // Out of line, so the fast path stays small enough to inline.
  [[gnu::noinline, gnu::cold]] static void record(gl_event ev, gl_resource_id r, gl_actor_id a,
                                                  std::uint64_t k) noexcept {
    gl_trace_record(ev, a, r, k, 0);
  }
  std::uint64_t in_ = 0, out_ = 0;
#else
  void sent(gl_resource_id, gl_actor_id) noexcept {}
  void received(gl_resource_id, gl_actor_id) noexcept {}
#endif
};

// The shared state of one channel. hchan-like invariants, all guarded by mu:
//   - buf.size() <= cap (unless unbounded); cap == 0: buf is always empty.
//   - recvq non-empty  => buf is empty (a receiver only blocks on an empty buffer).
//   - sendq non-empty  => buf is full (or cap == 0).
//   - closed           => recvq is empty; sendq is empty.
//   - no_receivers     => sendq is empty.
template <class T> class chan_core {
public:
  // kind: the resource kind reports show ("channel"; a timer's or a context's channel says so).
  chan_core(std::size_t cap, bool unbounded, std::string name, const char *kind = "channel")
      : cap_(cap), unbounded_(unbounded), name_(std::move(name)),
        res_(gl_resource_create(kind, name_.c_str(),
                                unbounded ? -1 : static_cast<std::int64_t>(cap))) {}
  ~chan_core() { gl_resource_destroy(res_); }
  chan_core(const chan_core &) = delete;
  chan_core &operator=(const chan_core &) = delete;

  gl_resource_id resource() const noexcept { return res_; }
  ranked_mutex<lock_rank::primitive> &mutex() noexcept { return mu_; }
  wait_queue &sendq() noexcept { return sendq_; }
  wait_queue &recvq() noexcept { return recvq_; }

  // --- all of the following require mu held ---
  // Inlined: with the hooks in, the compiler would otherwise call out for the hot path.
  [[gnu::always_inline]] op_status try_send_locked(T &v) {
    if (closed_ || no_receivers_) return op_status::closed;
    if (waiter_node *n = recvq_.pop_claimed()) {
      *static_cast<std::optional<T> *>(n->slot) = std::move(v);
      keys_.sent(res_, 0);
      keys_.received(res_, n->actor);
      wake(*n);
      return op_status::done;
    }
    if (unbounded_ || buf_.size() < cap_) {
      buf_.push_back(std::move(v));
      keys_.sent(res_, 0);
      return op_status::done;
    }
    return op_status::would_block;
  }
  [[gnu::always_inline]] op_status try_recv_locked(std::optional<T> &out) {
    if (!buf_.empty()) {
      out = buf_.pop_front();
      keys_.received(res_, 0);
      if (waiter_node *n = sendq_.pop_claimed()) { // room now: admit the oldest blocked sender
        buf_.push_back(std::move(*static_cast<T *>(n->slot)));
        keys_.sent(res_, n->actor);
        wake(*n);
      }
      return op_status::done;
    }
    if (waiter_node *n = sendq_.pop_claimed()) { // rendezvous: take straight from the sender
      out = std::move(*static_cast<T *>(n->slot));
      keys_.sent(res_, n->actor);
      keys_.received(res_, 0);
      wake(*n);
      return op_status::done;
    }
    return closed_ ? op_status::closed : op_status::would_block;
  }

  // --- these take mu themselves ---
  void close() {
    std::lock_guard lk(mu_);
    closed_ = true;
    fail_all(recvq_);
    fail_all(sendq_);
  }
  void receivers_gone() {
    std::lock_guard lk(mu_);
    no_receivers_ = true;
    fail_all(sendq_);
  }
  void add_sender() noexcept { senders_.fetch_add(1, std::memory_order_relaxed); }
  void drop_sender() {
    if (senders_.fetch_sub(1, std::memory_order_acq_rel) == 1) close();
  }
  void add_receiver() noexcept { receivers_.fetch_add(1, std::memory_order_relaxed); }
  void drop_receiver() {
    if (receivers_.fetch_sub(1, std::memory_order_acq_rel) == 1) receivers_gone();
  }

private:
  static void fail_all(wait_queue &q) {
    q.drain([](waiter_node &n) {
      n.closed = true;
      wake(n);
    });
  }

  ranked_mutex<lock_rank::primitive> mu_;
  ring<T> buf_;
  const std::size_t cap_;
  const bool unbounded_;
  bool closed_ = false;
  bool no_receivers_ = false;
  wait_queue sendq_;
  wait_queue recvq_;
  std::atomic<std::size_t> senders_{0};
  std::atomic<std::size_t> receivers_{0};
  msg_keys keys_;
  const std::string name_;
  const gl_resource_id res_;
};

// What a sender and a receiver have in common: the core, the holder record, the count.
template <class T, gl_end End> class chan_handle {
public:
  chan_handle() = default;
  explicit chan_handle(std::shared_ptr<chan_core<T>> c)
      : core_(std::move(c)), holder_(core_->resource(), End) {
    add();
  }
  chan_handle(const chan_handle &o) : core_(o.core_), holder_(o.holder_) { add(); }
  chan_handle(chan_handle &&o) noexcept = default;
  chan_handle &operator=(chan_handle o) noexcept {
    std::swap(core_, o.core_);
    std::swap(holder_, o.holder_);
    return *this;
  }
  ~chan_handle() {
    if (!core_) return;
    if constexpr (End == GL_END_SEND)
      core_->drop_sender();
    else
      core_->drop_receiver();
  }

  // For gridlock::thread: the handle belongs to actor a from now on.
  void give_to(gl_actor_id a) noexcept { holder_.give_to(a); }

protected:
  chan_core<T> &core() {
    if (!core_)
      throw std::logic_error(
          "gridlock: use of an empty (default-constructed or moved-from) channel handle");
    holder_.use();
    return *core_;
  }
  gl_target target() const noexcept {
    // A sender waits for the holders of the receive end, and the other way round.
    return gl_target{GL_TARGET_HOLDERS, 0, core_->resource(),
                     End == GL_END_SEND ? GL_END_RECV : GL_END_SEND};
  }
  friend class gridlock::select;

private:
  void add() noexcept {
    if (!core_) return; // a copy of an empty handle is empty
    if constexpr (End == GL_END_SEND)
      core_->add_sender();
    else
      core_->add_receiver();
  }
  std::shared_ptr<chan_core<T>> core_;
  end_holder holder_;
};

template <class Rep, class Period>
parker::clock::time_point deadline_after(std::chrono::duration<Rep, Period> d) {
  return parker::clock::now() + std::chrono::ceil<parker::clock::duration>(d);
}

} // namespace detail

// The sending end of a channel. Blocking calls throw channel_closed on a closed channel (or one
// without receivers) and deadlock_error if chosen as a deadlock victim.
template <class T> class sender : public detail::chan_handle<T, GL_END_SEND> {
  using base = detail::chan_handle<T, GL_END_SEND>;

public:
  using base::base;

  // Blocks while the buffer is full (capacity 0: until a receiver has taken v).
  void send(T v, std::source_location where = std::source_location::current()) {
    send_until(v, std::nullopt, where); // without a deadline it returns only once sent (or throws)
  }
  // Never blocks. True: v was sent (moved from). False: it would block; v is untouched.
  bool try_send(T &v) {
    auto &c = this->core();
    std::lock_guard lk(c.mutex());
    return check(c.try_send_locked(v));
  }
  // Blocks at most d. False on timeout, v untouched.
  template <class Rep, class Period>
  bool send_for(T &v, std::chrono::duration<Rep, Period> d,
                std::source_location where = std::source_location::current()) {
    return send_until(v, detail::deadline_after(d), where);
  }
  // Closes the channel (idempotent): receivers drain it, then get std::nullopt.
  void close() { this->core().close(); }

private:
  static bool check(detail::op_status s) {
    if (s == detail::op_status::closed) throw channel_closed();
    return s == detail::op_status::done;
  }
  bool send_until(T &v, std::optional<detail::parker::clock::time_point> deadline,
                  const std::source_location &where) {
    auto &c = this->core();
    std::unique_lock lk(c.mutex());
    if (const auto s = c.try_send_locked(v); s != detail::op_status::would_block) return check(s);
    detail::waiter_node n;
    n.slot = &v;
    const gl_target t = this->target();
    const auto d = detail::describe(GL_OP_CHAN_SEND, &t, 1, false, deadline.has_value(), where);
    switch (detail::block_on(lk, c.sendq(), n, d, deadline)) {
    case detail::block_result::served:
      if (n.closed) throw channel_closed();
      return true;
    case detail::block_result::timed_out: return false;
    case detail::block_result::broken: detail::throw_broken(GL_OP_CHAN_SEND);
    }
    return false;
  }
};

// The receiving end of a channel.
template <class T> class receiver : public detail::chan_handle<T, GL_END_RECV> {
  using base = detail::chan_handle<T, GL_END_RECV>;

public:
  using base::base;

  // Blocks until a value arrives; std::nullopt once the channel is closed and drained.
  std::optional<T> recv(std::source_location where = std::source_location::current()) {
    return recv_until(std::nullopt, where);
  }
  // Never blocks: a value, or std::nullopt if none is ready (or closed and drained).
  std::optional<T> try_recv() {
    auto &c = this->core();
    std::lock_guard lk(c.mutex());
    std::optional<T> out;
    c.try_recv_locked(out);
    return out;
  }
  // Blocks at most d; std::nullopt on timeout or when closed and drained.
  template <class Rep, class Period>
  std::optional<T> recv_for(std::chrono::duration<Rep, Period> d,
                            std::source_location where = std::source_location::current()) {
    return recv_until(detail::deadline_after(d), where);
  }

private:
  std::optional<T> recv_until(std::optional<detail::parker::clock::time_point> deadline,
                              const std::source_location &where) {
    auto &c = this->core();
    std::unique_lock lk(c.mutex());
    std::optional<T> out;
    if (c.try_recv_locked(out) != detail::op_status::would_block) return out;
    detail::waiter_node n;
    n.slot = &out;
    const gl_target t = this->target();
    const auto d = detail::describe(GL_OP_CHAN_RECV, &t, 1, false, deadline.has_value(), where);
    if (detail::block_on(lk, c.recvq(), n, d, deadline) == detail::block_result::broken)
      detail::throw_broken(GL_OP_CHAN_RECV);
    return out; // nullopt if closed or timed out
  }
};

namespace detail {
// Both ends built in place (no move): they stay their maker's unused handles (end_holder.hpp).
template <class T>
std::pair<sender<T>, receiver<T>> channel_ends(std::shared_ptr<chan_core<T>> core) {
  return std::pair<sender<T>, receiver<T>>(std::piecewise_construct, std::forward_as_tuple(core),
                                           std::forward_as_tuple(core));
}
} // namespace detail

// Creates a channel of the given capacity (0 = rendezvous). `name` appears in reports; by default
// the channel is named after the line that created it.
template <class T>
std::pair<sender<T>, receiver<T>>
make_channel(std::size_t capacity, std::string_view name = {},
             std::source_location where = std::source_location::current()) {
  auto core = std::make_shared<detail::chan_core<T>>(
      capacity, false, name.empty() ? detail::default_name("channel", where) : std::string(name));
  return detail::channel_ends(std::move(core));
}

// Creates a channel whose send never blocks.
template <class T>
std::pair<sender<T>, receiver<T>>
make_unbounded_channel(std::string_view name = {},
                       std::source_location where = std::source_location::current()) {
  auto core = std::make_shared<detail::chan_core<T>>(
      0, true, name.empty() ? detail::default_name("channel", where) : std::string(name));
  return detail::channel_ends(std::move(core));
}

} // namespace gridlock::inline GRIDLOCK_ABI
