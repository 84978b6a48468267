// select: wait on several channel operations at once, as Go's select; exactly one ready case runs.
//
//   gridlock::select sel;
//   sel.recv(rx, [](std::optional<int> v) { ... });   // nullopt: that channel is closed and
//   drained sel.send(tx, 42, [] { ... }); sel.wait();                                       // an
//   OR wait in the graph
//
// Semantics: the cases are tried from a starting case that rotates on every select of a thread,
// so no ready case starves another. wait()
// blocks until one case completes and then runs its callback (outside every lock); wait_for()
// returns false on timeout with no case run; try_select() never blocks (Go's `default:`). A send
// case on a closed channel throws channel_closed. Build a new select for each round: a send case
// holds its value until it is sent.
//
// Locking: a blocking select takes the locks of all its channels, one after another in address
// order (the only place gridlock holds several primitive locks), tries every case, and if none is
// ready enqueues one node per case, all pointing to this thread's parker; the first channel to
// claim the parker wins and the other nodes are removed.
//
// Cost: building a select allocates one small object per case; try_select() never touches the
// wait graph; a blocking wait records one OR wait.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/channel.hpp>
#include <gridlock/detail/lock_order.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

namespace gridlock::inline GRIDLOCK_ABI {

class select {
public:
  select() = default;
  select(const select &) = delete;
  select &operator=(const select &) = delete;

  template <class T, class F> select &recv(receiver<T> &rx, F on_value) {
    cases_.push_back(std::make_unique<recv_case<T, F>>(rx, std::move(on_value)));
    return *this;
  }
  // A receiver the select keeps for itself: `sel.recv(gridlock::after(1s), ...)`,
  // `sel.recv(ctx.done(), ...)`.
  template <class T, class F> select &recv(receiver<T> &&rx, F on_value) {
    cases_.push_back(std::make_unique<recv_case<T, F>>(std::move(rx), std::move(on_value)));
    return *this;
  }
  template <class T, class F> select &send(sender<T> &tx, T value, F on_sent) {
    cases_.push_back(std::make_unique<send_case<T, F>>(tx, std::move(value), std::move(on_sent)));
    return *this;
  }

  // Blocks until one case ran.
  void wait(std::source_location where = std::source_location::current()) {
    run(true, std::nullopt, where);
  }
  // Blocks at most d; false on timeout (no case ran).
  template <class Rep, class Period>
  bool wait_for(std::chrono::duration<Rep, Period> d,
                std::source_location where = std::source_location::current()) {
    return run(true, detail::deadline_after(d), where);
  }
  // Runs a ready case if there is one; never blocks.
  bool try_select() { return run(false, std::nullopt, std::source_location::current()); }

private:
  using lock_type = detail::ranked_mutex<detail::lock_rank::primitive>;

  struct case_base {
    virtual ~case_base() = default;
    virtual lock_type &mutex() = 0;
    virtual bool try_locked() = 0; // completes the operation if it is ready now
    virtual detail::wait_queue &queue() = 0;
    virtual void prepare(detail::waiter_node &n) = 0;      // points n.slot at this case's storage
    virtual void finish(const detail::waiter_node &n) = 0; // after a waker served the node
    virtual gl_target target() = 0;
    virtual void run_callback() = 0;
    detail::waiter_node node;
  };

  template <class T, class F> struct recv_case final : case_base {
    recv_case(receiver<T> &r, F f) : rx(r), fn(std::move(f)) {}
    recv_case(receiver<T> &&r, F f) : own(std::move(r)), rx(*own), fn(std::move(f)) {}
    lock_type &mutex() override { return rx.core().mutex(); }
    bool try_locked() override {
      value.reset();
      return rx.core().try_recv_locked(value) != detail::op_status::would_block;
    }
    detail::wait_queue &queue() override { return rx.core().recvq(); }
    void prepare(detail::waiter_node &n) override {
      value.reset();
      n.slot = &value;
    }
    void finish(const detail::waiter_node &) override {} // value was written (or closed: nullopt)
    gl_target target() override { return rx.target(); }
    void run_callback() override { fn(std::move(value)); }
    std::optional<receiver<T>> own; // a receiver given by value
    receiver<T> &rx;
    F fn;
    std::optional<T> value;
  };

  template <class T, class F> struct send_case final : case_base {
    send_case(sender<T> &t, T v, F f) : tx(t), value(std::move(v)), fn(std::move(f)) {}
    lock_type &mutex() override { return tx.core().mutex(); }
    bool try_locked() override {
      const auto s = tx.core().try_send_locked(value);
      if (s == detail::op_status::closed) closed = true;
      return s != detail::op_status::would_block;
    }
    detail::wait_queue &queue() override { return tx.core().sendq(); }
    void prepare(detail::waiter_node &n) override { n.slot = &value; }
    void finish(const detail::waiter_node &n) override { closed = n.closed; }
    gl_target target() override { return tx.target(); }
    void run_callback() override {
      if (closed) throw channel_closed();
      fn();
    }
    sender<T> &tx;
    T value;
    F fn;
    bool closed = false;
  };

  bool run(bool block, std::optional<detail::parker::clock::time_point> deadline,
           const std::source_location &where);
  void lock_all();
  void unlock_all();
  int try_all_locked();

  std::vector<std::unique_ptr<case_base>> cases_;
  std::vector<lock_type *> locks_; // unique, in address order
};

} // namespace gridlock::inline GRIDLOCK_ABI
