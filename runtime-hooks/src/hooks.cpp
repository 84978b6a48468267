// The C hook API of <gridlock/hooks.h>, over the runtime's wait graph.
#include "alt_stack.hpp"
#include "flight_recorder.hpp"
#include "lock_order_graph.hpp"
#include "runtime.hpp"
#include <gridlock/detail/runtime_scope.hpp>

#include <gridlock/hooks.h>

#include <memory>
#include <string>
#include <unistd.h>

using gridlock::detail::flight_recorder;
using gridlock::detail::runtime;

extern "C" const char *gl_op_name(gl_op op) {
  switch (op) {
  case GL_OP_CHAN_SEND: return "chan send";
  case GL_OP_CHAN_RECV: return "chan receive";
  case GL_OP_SELECT: return "select";
  case GL_OP_MAILBOX_SEND: return "mailbox send";
  case GL_OP_RECEIVE: return "mailbox receive";
  case GL_OP_RECEIVE_FROM: return "mailbox receive_from";
  case GL_OP_LOCK: return "mutex lock";
  case GL_OP_JOIN: return "thread join";
  case GL_OP_CUSTOM: return "wait";
  case GL_OP_RECEIVE_ALL: return "mailbox receive_all";
  case GL_OP_READ_LOCK: return "read lock";
  case GL_OP_WRITE_LOCK: return "write lock";
  case GL_OP_GROUP_WAIT: return "wait_group wait";
  case GL_OP_COND_WAIT: return "condition wait";
  case GL_OP_ACQUIRE: return "semaphore acquire";
  case GL_OP_CALL_ONCE: return "call_once";
  case GL_OP_BARRIER_WAIT: return "barrier wait";
  }
  return "wait";
}

#ifndef GRIDLOCK_DISABLE

__thread int gl_in_runtime __attribute__((tls_model("initial-exec"))) = 0;

namespace {

// The calling thread's actor; its destructor (thread exit) removes the actor from the graph.
struct thread_actor {
  gl_actor_id id = 0;
  std::shared_ptr<gridlock::detail::actor_stats> stats; // shared with the graph's record
  gridlock::detail::alt_stack signal_stack;             // for the crash handler
  ~thread_actor() {
    // The main thread's thread-locals die only as the process exits (exit(), or main
    // returning), before the exit handlers run: it stays an actor with what it holds, so its
    // peers do not look deadlocked while the process ends (still blocked, they are leaks).
    if (id == 0 || ::gettid() == ::getpid()) return;
    const gridlock::detail::runtime_scope inside;
    flight_recorder::get().actor_exited(id);
    auto &rt = runtime::get();
    auto lk = rt.lock_graph();
    rt.graph().remove_actor(id);
  }
};
thread_local thread_actor current;

// The calling thread's spare wait record: a thread blocks in one wait at a time (a signal
// handler may nest a second, which then allocates), so waits after the first allocate nothing.
thread_local std::unique_ptr<gl_wait> spare_wait;

gl_wait *take_wait_record() {
  if (spare_wait) return spare_wait.release();
  return new gl_wait;
}

// After gl_wait_end nothing refers to w any more (the detector's victims are done once `waking`
// is clear, epilogues are copies).
void give_back_wait_record(gl_wait *w) noexcept {
  if (spare_wait) {
    delete w;
    return;
  }
  w->recycle();
  spare_wait.reset(w);
}

std::string default_actor_name(gl_actor_id id) {
  return ::gettid() == ::getpid() ? "main" : "thread-" + std::to_string(id);
}

// A wait for a message (a channel, a select, a mailbox): whoever serves it needs nothing the
// waiter holds but what it takes on the way - unlike a lock, whose releaser had to take it first.
bool message_wait(gl_op op) {
  switch (op) {
  case GL_OP_CHAN_SEND:
  case GL_OP_CHAN_RECV:
  case GL_OP_SELECT:
  case GL_OP_MAILBOX_SEND:
  case GL_OP_RECEIVE:
  case GL_OP_RECEIVE_FROM:
  case GL_OP_RECEIVE_ALL: return true;
  default: return false;
  }
}

} // namespace

gl_actor_id gridlock::detail::this_thread_actor() noexcept { return current.id; }

extern "C" {

gl_actor_id gl_actor_self(void) {
  if (current.id != 0) return current.id;
  current.signal_stack.install(); // system calls: before the graph lock
  auto &rt = runtime::get();
  const gl_actor_id id = rt.new_actor_id();
  const std::string name = default_actor_name(id);
  flight_recorder::get().name_actor(id, name);
  const int tid = ::gettid();
  auto lk = rt.lock_graph();
  rt.graph().add_actor(id, name);
  rt.graph().set_thread(id, tid);
  current.id = id;
  current.stats = rt.graph().actor(id)->stats;
  return id;
}

void gl_actor_delivered(gl_actor_id to) {
  gl_actor_self();
  if (!current.stats) return;
  gridlock::detail::actor_stats &s = *current.stats;
  s.delivered.fetch_add(1, std::memory_order_relaxed);
  s.recent[s.next.fetch_add(1, std::memory_order_relaxed) % s.recent.size()].store(
      to, std::memory_order_relaxed);
}

void gl_actor_set_name(const char *name) { gl_actor_rename(gl_actor_self(), name); }

void gl_actor_rename(gl_actor_id a, const char *name) {
  flight_recorder::get().name_actor(a, name ? name : "");
  auto &rt = runtime::get();
  auto lk = rt.lock_graph();
  rt.graph().rename_actor(a, name ? name : "");
}

gl_actor_id gl_actor_create(const char *name) {
  gridlock::detail::lock_order_graph::starting_thread();
  auto &rt = runtime::get();
  const gl_actor_id id = rt.new_actor_id();
  const std::string actor_name = name && *name ? name : "thread-" + std::to_string(id);
  flight_recorder::get().name_actor(id, actor_name);
  if (gl_trace_on()) gl_trace_record(GL_EV_SPAWN, 0, 0, 0, id);
  auto lk = rt.lock_graph();
  rt.graph().add_actor(id, actor_name);
  return id;
}

void gl_actor_attach(gl_actor_id id) {
  current.signal_stack.install();
  const int tid = ::gettid();
  auto &rt = runtime::get();
  auto lk = rt.lock_graph();
  rt.graph().set_thread(id, tid);
  if (const auto *a = rt.graph().actor(id)) current.stats = a->stats;
  current.id = id;
}

void gl_actor_discard(gl_actor_id id) {
  flight_recorder::get().actor_exited(id);
  auto &rt = runtime::get();
  auto lk = rt.lock_graph();
  rt.graph().remove_actor(id);
}

gl_resource_id gl_resource_create(const char *kind, const char *name, int64_t capacity) {
  auto &rt = runtime::get();
  const gl_resource_id id = rt.new_resource_id();
  if (gl_trace_on()) flight_recorder::get().name_resource(id, name ? name : "");
  auto lk = rt.lock_graph();
  rt.graph().add_resource(id, kind ? kind : "resource", name ? name : "", capacity);
  return id;
}

void gl_resource_destroy(gl_resource_id r) {
  flight_recorder::get().resource_destroyed(r);
  auto &rt = runtime::get();
  auto lk = rt.lock_graph();
  rt.graph().remove_resource(r);
}

void gl_end_hold(gl_resource_id r, gl_end end, gl_actor_id a, gl_holding how) {
  auto &rt = runtime::get();
  auto lk = rt.lock_graph();
  rt.graph().hold(r, end, a, how, +1);
}

void gl_end_release(gl_resource_id r, gl_end end, gl_actor_id a, gl_holding how) {
  auto &rt = runtime::get();
  auto lk = rt.lock_graph();
  rt.graph().hold(r, end, a, how, -1);
}

void gl_owner_set(gl_resource_id r, gl_actor_id owner) {
  auto &rt = runtime::get();
  auto lk = rt.lock_graph();
  rt.graph().set_owner(r, owner);
}

void gl_resource_guessed_holders(gl_resource_id r) {
  auto &rt = runtime::get();
  auto lk = rt.lock_graph();
  rt.graph().guess_holders(r);
}

void gl_served_watch(gl_resource_id r, const uint64_t *cell) {
  auto &rt = runtime::get();
  auto lk = rt.lock_graph();
  rt.graph().watch_served(r, cell);
}

void gl_resource_inherit(gl_resource_id r, gl_end end, gl_resource_id from) {
  auto &rt = runtime::get();
  auto lk = rt.lock_graph();
  rt.graph().inherit(r, end, from);
}

void gl_owner_watch(gl_resource_id r, const gl_actor_id *owner) {
  auto &rt = runtime::get();
  auto lk = rt.lock_graph();
  rt.graph().watch_owner(r, owner);
}

void gl_owner_watch_tid(gl_resource_id r, const int *tid) {
  auto &rt = runtime::get();
  auto lk = rt.lock_graph();
  rt.graph().watch_owner_tid(r, tid);
}

// Only the calling thread writes its cells: plain relaxed loads and stores suffice.
void gl_shared_acquire(gl_resource_id r) {
  gl_actor_self();
  if (!current.stats) return;
  gridlock::detail::actor_stats &s = *current.stats;
  for (auto &cell : s.shared)
    if (cell.load(std::memory_order_relaxed) == 0) {
      cell.store(r, std::memory_order_relaxed);
      return;
    }
  s.shared_overflow.store(s.shared_overflow.load(std::memory_order_relaxed) + 1,
                          std::memory_order_relaxed);
}

void gl_shared_release(gl_resource_id r) {
  if (!current.stats) return;
  gridlock::detail::actor_stats &s = *current.stats;
  for (auto &cell : s.shared)
    if (cell.load(std::memory_order_relaxed) == r) {
      cell.store(0, std::memory_order_relaxed);
      return;
    }
  if (const auto n = s.shared_overflow.load(std::memory_order_relaxed); n != 0)
    s.shared_overflow.store(n - 1, std::memory_order_relaxed);
}

void gl_lock_acquired(const void *lock, gl_op op, const void *pc, int tried) {
  gridlock::detail::lock_order_graph::acquired(lock, op, pc, tried != 0);
}

int gl_interpose_enabled(void) { return runtime::get().current_options().interpose ? 1 : 0; }

void gl_lock_released(const void *lock) { gridlock::detail::lock_order_graph::released(lock); }

gl_wait_t gl_wait_begin(const gl_wait_desc *d) {
  auto &rt = runtime::get();
  gl_wait *w = take_wait_record();
  w->actor = gl_actor_self();
  w->seq = rt.new_wait_seq();
  w->op = d->op;
  w->all = d->all != 0;
  w->timed = d->timed != 0;
  w->targets.assign(d->targets, d->targets + d->n_targets);
  w->where = d->where;
  w->since = gl_wait::clock::now();
  w->wake = d->wake;
  w->wake_ctx = d->wake_ctx;
  if (gl_trace_on())
    flight_recorder::get().record(GL_EV_BLOCK, w->actor, d->n_targets ? d->targets[0].resource : 0,
                                  0, 0, d->op, &d->where);
  // A message wait (not an interposed pthread wait: those are lock edges already) while the
  // thread holds locks: mixed lock-order prediction (lock_order_graph.hpp).
  w->holding_locks = gl_in_runtime == 0 && message_wait(d->op) &&
                     gridlock::detail::lock_order_graph::holds_locks();
  if (w->holding_locks)
    gridlock::detail::lock_order_graph::waiting(d->targets, d->n_targets, d->op, d->where);
  auto lk = rt.lock_graph();
  rt.graph().begin_wait(w);
  rt.on_wait_begun(lk);
  ++gl_in_runtime; // until gl_wait_end: how the wait is carried out is part of it
  return w;
}

void gl_wait_released(gl_wait_t w) {
  if (!w) return;
  if (w->holding_locks)
    gridlock::detail::lock_order_graph::serving(w->targets.data(), w->targets.size());
  w->released.store(true, std::memory_order_release);
}

int gl_wait_end(gl_wait_t w) {
  if (!w) return 0;
  --gl_in_runtime;
  auto &rt = runtime::get();
  bool broken;
  {
    auto lk = rt.lock_graph();
    rt.graph_changed().wait(lk, [&] { return !w->waking; }); // the detector is in wake()
    rt.on_wait_ending(lk, *w);
    rt.graph().end_wait(w);
    broken = w->broken;
  }
  if (gl_trace_on()) flight_recorder::get().record(GL_EV_UNBLOCK, w->actor, 0, 0, 0);
  give_back_wait_record(w);
  return broken ? 1 : 0;
}

void gl_trace_record(gl_event ev, gl_actor_id actor, gl_resource_id r, uint64_t key,
                     gl_actor_id peer) {
  try {
    flight_recorder::get().record(ev, actor ? actor : gl_actor_self(), r, key, peer);
  } catch (const std::bad_alloc &) {
    // Out of memory: the event is lost, the host carries on.
  }
}

} // extern "C"

#endif // GRIDLOCK_DISABLE
