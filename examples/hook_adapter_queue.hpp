// Instrumenting a queue you already have: a plain mutex + condition_variable queue made visible to
// gridlock with the C hook API of <gridlock/hooks.h> (the same calls gridlock's own channels make).
// pop() blocks while the queue is empty; a deadlock through it is found and can be broken.
#pragma once

#include <gridlock/hooks.h>
#include <source_location>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

template <class T> class instrumented_queue {
public:
  explicit instrumented_queue(const char *name) : res_(gl_resource_create("queue", name, -1)) {}
  ~instrumented_queue() { gl_resource_destroy(res_); }
  // Who can release a pop(): the actors that will push (here: declared by the pushers).
  void i_will_push() { gl_end_hold(res_, GL_END_SEND, gl_actor_self(), GL_HOLD_EXACT); }
  void i_am_done_pushing() { gl_end_release(res_, GL_END_SEND, gl_actor_self(), GL_HOLD_EXACT); }

  void push(T v) {
    std::lock_guard lk(mu_);
    items_.push_back(std::move(v));
    if (waiting_) gl_wait_released(waiting_); // before waking the waiter
    cv_.notify_one();
  }
  // Blocks while empty. std::nullopt if gridlock broke the wait (on_deadlock=break).
  std::optional<T> pop(std::source_location where = std::source_location::current()) {
    std::unique_lock lk(mu_);
    if (items_.empty()) { // it really blocks: record the wait under our own lock
      const gl_target t{GL_TARGET_HOLDERS, 0, res_, GL_END_SEND};
      const gl_wait_desc d{GL_OP_CUSTOM,
                           0,
                           0,
                           &t,
                           1,
                           {where.file_name(), where.function_name(), where.line(), 0},
                           &instrumented_queue::wake,
                           this};
      waiting_ = gl_wait_begin(&d);
      cv_.wait(lk, [&] { return !items_.empty() || broken_; });
      const gl_wait_t w = waiting_;
      waiting_ = nullptr;
      lk.unlock();
      const bool broken = gl_wait_end(w) != 0; // never under our lock: it may wait for wake()
      lk.lock();
      if (broken && items_.empty()) return std::nullopt;
    }
    T v = std::move(items_.front());
    items_.pop_front();
    return v;
  }

private:
  static void wake(void *self) { // gridlock's detector, breaking the wait: no gridlock lock held
    auto *q = static_cast<instrumented_queue *>(self);
    std::lock_guard lk(q->mu_);
    q->broken_ = true;
    q->cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> items_;
  gl_wait_t waiting_ = nullptr; // one consumer at a time
  bool broken_ = false;
  const gl_resource_id res_;
};
