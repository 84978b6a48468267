// The interposed pthread and semaphore functions: each calls the C library's own (real()) and,
// only when the call really blocks, records the wait through the hook API, so the program's
// threads, locks, joins, condition variables, semaphores and barriers are in the same wait graph,
// detector and reports as gridlock's own primitives.
//
// Linked into libgridlock itself (every program written for gridlock gets it: interpose=0 turns
// it off, read once at start) and into libgridlock-preload.so (gridlock-run).
//
// Rules every function here keeps:
//   - Inside gridlock (gl_in_runtime: the detector's threads, exit and fork handlers, the thread
//     of a gridlock::thread being created) or with interpose=0 it only calls the real function:
//     gridlock never records itself, never recurses. (gridlock's own locks and condition
//     variables are futexes, detail/futex.hpp: they never come here.)
//   - A call that does not block costs the real call plus a try: a trylock that succeeds, a
//     tryjoin of a thread that has exited, a trywait on a posted semaphore records nothing.
//   - A blocking call records its wait just before blocking and ends it once the real call
//     returns, whatever it returned; the real call's result and errno are the caller's.
//   - Every hook is called inside a hook_scope (gl_in_runtime), so its own locks pass through.
//   - Every lock the program takes and lets go (mutexes, rwlocks, trylocks included, a condition
//     wait's mutex) goes to the lock-order graph (gl_lock_acquired/gl_lock_released): a
//     thread-local push or pop, so inversions are predicted from runs that did not deadlock.
//
// Who a wait waits for (docs/architecture.md, "Link instrumentation"):
//   mutex lock        - its owner, read from the mutex (glibc's __data.__owner): definite; a
//                       normal mutex locked again by its owner waits for itself
//   write lock        - every holder: the writer (__data.__cur_writer) and the readers
//   read lock         - the writer
//   thread join       - the joined thread
//   condition wait    - the threads that signalled or broadcast it before (probable)
//   semaphore acquire - the threads that posted it before (probable)
//   barrier wait      - any other thread (those not yet arrived are not known)
#include "../symbolizer/symbolizer.hpp"
#include "real_pthread.hpp"
#include "sync_objects.hpp"
#include "thread_table.hpp"

#include <gridlock/detail/runtime_scope.hpp>
#include <gridlock/hooks.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>

namespace gridlock::interpose {
namespace {

// While alive, the calling thread is inside gridlock (gl_in_runtime): what a hook does with
// locks and threads passes through the interposed functions.
// It also keeps errno as the real call left it.
class hook_scope {
public:
  hook_scope() noexcept : saved_errno_(errno) {}
  ~hook_scope() { errno = saved_errno_; }
  hook_scope(const hook_scope &) = delete;
  hook_scope &operator=(const hook_scope &) = delete;

private:
  int saved_errno_;
  detail::runtime_scope inside_;
};

// interpose=0: every call goes straight to the real function (set once, at start).
bool recording = true;

bool inside_gridlock() noexcept { return gl_in_runtime != 0 || !recording; }

// The calling thread's kernel id, cached (reset in a forked child: its thread has a new one).
thread_local int cached_tid = 0;
int this_tid() noexcept {
  if (cached_tid == 0) cached_tid = static_cast<int>(::gettid());
  return cached_tid;
}

// A wait recorded around one blocking call: begun by the constructor (inside a hook_scope), ended
// by finish(), which returns the real call's result with its errno intact.
class recorded_wait {
public:
  recorded_wait(gl_op op, const gl_target &target, bool timed) {
    hook_scope inside;
    gl_actor_self();
    gl_wait_desc d{};
    d.op = op;
    d.timed = timed ? 1 : 0;
    d.targets = &target;
    d.n_targets = 1;
    d.where = symbolizer::first_user_frame();
    wait_ = gl_wait_begin(&d);
  }
  template <class R> R finish(R result) {
    hook_scope inside; // keeps the real call's errno
    gl_wait_end(wait_);
    return result;
  }
  recorded_wait(const recorded_wait &) = delete;
  recorded_wait &operator=(const recorded_wait &) = delete;

private:
  gl_wait_t wait_ = nullptr;
};

gl_target target_of_kind(gl_target_kind kind, gl_resource_id r) {
  return gl_target{kind, 0, r, GL_END_SEND};
}

gl_resource_id resource_of(const void *addr, object_kind kind, const int *owner_tid = nullptr) {
  hook_scope inside;
  return sync_objects::get().resource(addr, kind, owner_tid);
}

// The program destroys the object: its resource goes with it.
void forget_object(const void *addr) {
  if (inside_gridlock()) return;
  hook_scope inside;
  sync_objects::get().forget(addr);
}

// ---- mutexes -----------------------------------------------------------------------------------

// A lock released within a few hundred nanoseconds is not a wait worth recording.
constexpr int kSpins = 64;

int mutex_owner(const pthread_mutex_t *m) noexcept {
  return __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED);
}
bool relocks_fail_or_nest(const pthread_mutex_t *m) noexcept {
  const int kind = m->__data.__kind & 3; // PTHREAD_MUTEX_KIND_MASK_NP
  return kind == PTHREAD_MUTEX_RECURSIVE_NP || kind == PTHREAD_MUTEX_ERRORCHECK_NP;
}

// The lock-order graph learns of every lock the program takes and lets go (pc: its call site).
int note_acquired(const void *lock, gl_op op, const void *pc, bool tried, int rc) {
  if (rc == 0 || rc == EOWNERDEAD) gl_lock_acquired(lock, op, pc, tried ? 1 : 0);
  return rc;
}

// A free mutex (its lock word is 0) is simply locked: glibc's trylock costs twice its lock (8.2
// vs 3.4 ns a pair here). Taken by someone else in the instant between the look and the lock,
// the call blocks unrecorded - gridlock then sees a running thread: a deadlock through that one
// wait could be missed, never one reported that is not there. A taken mutex is tried, spun on,
// and only then waited for, recorded.
template <class Lock>
[[gnu::noinline]] int acquire_taken_mutex(pthread_mutex_t *m, bool timed, Lock &lock) {
  const real_functions &r = real();
  if (r.mutex_trylock(m) == 0) return 0;
  for (int i = 0; i < kSpins; ++i) { // reads while it is taken: no cache-line ping-pong
    __builtin_ia32_pause();
    if (__atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) == 0 && r.mutex_trylock(m) == 0)
      return 0;
  }
  const bool own = mutex_owner(m) == this_tid();
  if (own && relocks_fail_or_nest(m)) return lock(); // EDEADLK or a nested lock: no wait
  const gl_resource_id res = resource_of(m, object_kind::mutex, &m->__data.__owner);
  if (res == 0) return lock();
  gl_target t = target_of_kind(GL_TARGET_OWNER, res);
  if (own) { // a normal mutex locked again by its owner: it waits for itself
    t.kind = GL_TARGET_ACTOR;
    t.actor = gl_actor_self();
  }
  recorded_wait w(GL_OP_LOCK, t, timed);
  return w.finish(lock());
}

// The fast path stays small: the taken-mutex path (the wait, the symbolizer) is out of line.
template <class Lock> int lock_mutex(pthread_mutex_t *m, bool timed, const void *pc, Lock &&lock) {
  if (inside_gridlock()) return lock();
  const bool free = __atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) == 0;
  return note_acquired(m, GL_OP_LOCK, pc, timed,
                       free ? lock() : acquire_taken_mutex(m, timed, lock));
}

// ---- rwlocks -----------------------------------------------------------------------------------

const int *writer_of(pthread_rwlock_t *rw) noexcept { return &rw->__data.__cur_writer; }

void note_read_lock(pthread_rwlock_t *rw, int rc, const void *pc, bool tried) {
  if (rc != 0) return;
  gl_lock_acquired(rw, GL_OP_READ_LOCK, pc, tried ? 1 : 0);
  if (const gl_resource_id res = resource_of(rw, object_kind::rwlock, writer_of(rw))) {
    hook_scope inside;
    gl_shared_acquire(res);
  }
}

template <class Lock> int acquire_read(pthread_rwlock_t *rw, bool timed, Lock &lock) {
  if (real().rwlock_tryrdlock(rw) == 0) return 0;
  const gl_resource_id res = resource_of(rw, object_kind::rwlock, writer_of(rw));
  if (res == 0) return lock();
  recorded_wait w(GL_OP_READ_LOCK, target_of_kind(GL_TARGET_OWNER, res), timed);
  return w.finish(lock());
}

template <class Lock> int read_lock(pthread_rwlock_t *rw, bool timed, const void *pc, Lock &&lock) {
  if (inside_gridlock()) return lock();
  const int rc = acquire_read(rw, timed, lock);
  note_read_lock(rw, rc, pc, timed);
  return rc;
}

template <class Lock> int acquire_write(pthread_rwlock_t *rw, bool timed, Lock &lock) {
  if (real().rwlock_trywrlock(rw) == 0) return 0;
  const gl_resource_id res = resource_of(rw, object_kind::rwlock, writer_of(rw));
  if (res == 0) return lock();
  recorded_wait w(GL_OP_WRITE_LOCK, target_of_kind(GL_TARGET_ALL_HOLDERS, res), timed);
  return w.finish(lock());
}

template <class Lock>
int write_lock(pthread_rwlock_t *rw, bool timed, const void *pc, Lock &&lock) {
  if (inside_gridlock()) return lock();
  return note_acquired(rw, GL_OP_WRITE_LOCK, pc, timed, acquire_write(rw, timed, lock));
}

// ---- condition variables and semaphores --------------------------------------------------------

void note_notifier(const void *addr, object_kind kind) {
  hook_scope inside;
  if (detail::notifiers *n = sync_objects::get().notifiers_of(addr, kind)) n->note();
}

// The mutex is let go during the wait and taken again before it returns.
template <class Wait>
int condition_wait(pthread_cond_t *c, pthread_mutex_t *m, bool timed, const void *pc, Wait &&wait) {
  if (inside_gridlock()) return wait();
  gl_lock_released(m);
  const gl_resource_id res = resource_of(c, object_kind::condition);
  int rc = 0;
  if (res == 0) {
    rc = wait();
  } else {
    recorded_wait w(GL_OP_COND_WAIT, target_of_kind(GL_TARGET_HOLDERS, res), timed);
    rc = w.finish(wait());
  }
  gl_lock_acquired(m, GL_OP_LOCK, pc, 0);
  return rc;
}

template <class Wait> int semaphore_wait(sem_t *s, bool timed, Wait &&wait) {
  if (inside_gridlock()) return wait();
  if (real().sem_trywait(s) == 0) return 0;
  const gl_resource_id res = resource_of(s, object_kind::semaphore);
  if (res == 0) return wait();
  recorded_wait w(GL_OP_ACQUIRE, target_of_kind(GL_TARGET_HOLDERS, res), timed);
  return w.finish(wait());
}

// ---- threads -----------------------------------------------------------------------------------

// The calling thread leaves the thread table when it exits (also through pthread_exit).
struct table_entry {
  gl_actor_id actor = 0;
  ~table_entry() {
    if (actor == 0) return;
    hook_scope inside;
    thread_table::get().leave(::pthread_self(), actor);
  }
};
thread_local table_entry this_thread_entry;

struct thread_start {
  void *(*routine)(void *);
  void *arg;
  gl_actor_id actor; // 0: created by gridlock itself, which makes (or not) an actor of it
};

void *start_thread(void *p) {
  const thread_start start = *static_cast<thread_start *>(p);
  delete static_cast<thread_start *>(p);
  if (start.actor != 0) {
    hook_scope inside;
    gl_actor_attach(start.actor);
    this_thread_entry.actor = start.actor;
  }
  return start.routine(start.arg);
}

// The main thread (set by the constructor): joined without a try first, as ThreadSanitizer cannot
// try-join a thread whose creation it did not see (its check fails) - and it runs anyway.
pthread_t main_thread;

template <class Join> int join_thread(pthread_t t, void **ret, bool timed, Join &&join) {
  if (inside_gridlock()) return join();
  if (!pthread_equal(t, main_thread)) {
    const int tried = real().tryjoin_np(t, ret);
    if (tried != EBUSY) return tried; // joined, or an error the blocking join would give too
  }
  gl_actor_id target = 0;
  {
    hook_scope inside;
    target = thread_table::get().actor_of(t);
  }
  if (target == 0) return join();
  recorded_wait w(GL_OP_JOIN, gl_target{GL_TARGET_ACTOR, target, 0, GL_END_SEND}, timed);
  return w.finish(join());
}

// ---- process set-up ----------------------------------------------------------------------------

void before_fork() {
  hook_scope inside;
  thread_table::get().lock();
  sync_objects::get().lock();
}
void after_fork_in_parent() {
  hook_scope inside;
  sync_objects::get().unlock();
  thread_table::get().unlock();
}
void after_fork_in_child() {
  cached_tid = 0;
  after_fork_in_parent();
  hook_scope inside;
  thread_table::get().keep_only(::pthread_self());
}

// The main thread is an actor from the start; fork handlers keep the tables usable in a child.
// Registered after the runtime's own (gl_actor_self creates it), so they run before its
// prepare handler and after its parent and child handlers: tables, then the graph.
__attribute__((constructor)) void start_interposing() {
  real();
  hook_scope inside;
  recording = gl_interpose_enabled() != 0;
  if (!recording) return;
  main_thread = ::pthread_self();
  thread_table::get().enter(main_thread, gl_actor_self());
  ::pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}

} // namespace
} // namespace gridlock::interpose

using namespace gridlock::interpose;

extern "C" {

// Also the symbol a static link asks for (gridlock::runtime's link options): it is defined here
// only, so the interposer's object is linked even when a sanitizer's runtime, earlier on the
// link line, defines the pthread functions too.
int gl_interposing(void) { return recording ? 1 : 0; }

int pthread_mutex_lock(pthread_mutex_t *m) {
  return lock_mutex(m, false, __builtin_return_address(0), [m] { return real().mutex_lock(m); });
}
int pthread_mutex_trylock(pthread_mutex_t *m) {
  const int rc = real().mutex_trylock(m);
  if (inside_gridlock()) return rc;
  return note_acquired(m, GL_OP_LOCK, __builtin_return_address(0), true, rc);
}
int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *at) {
  return lock_mutex(m, true, __builtin_return_address(0),
                    [m, at] { return real().mutex_timedlock(m, at); });
}
int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock, const struct timespec *at) {
  return lock_mutex(m, true, __builtin_return_address(0),
                    [m, clock, at] { return real().mutex_clocklock(m, clock, at); });
}
int pthread_mutex_unlock(pthread_mutex_t *m) {
  if (!inside_gridlock()) gl_lock_released(m);
  return real().mutex_unlock(m);
}
int pthread_mutex_destroy(pthread_mutex_t *m) {
  forget_object(m);
  return real().mutex_destroy(m);
}

int pthread_rwlock_rdlock(pthread_rwlock_t *rw) {
  return read_lock(rw, false, __builtin_return_address(0),
                   [rw] { return real().rwlock_rdlock(rw); });
}
int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw) {
  const int rc = real().rwlock_tryrdlock(rw);
  if (!inside_gridlock()) note_read_lock(rw, rc, __builtin_return_address(0), true);
  return rc;
}
int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *at) {
  return read_lock(rw, true, __builtin_return_address(0),
                   [rw, at] { return real().rwlock_timedrdlock(rw, at); });
}
int pthread_rwlock_clockrdlock(pthread_rwlock_t *rw, clockid_t clock, const struct timespec *at) {
  return read_lock(rw, true, __builtin_return_address(0),
                   [rw, clock, at] { return real().rwlock_clockrdlock(rw, clock, at); });
}
int pthread_rwlock_wrlock(pthread_rwlock_t *rw) {
  return write_lock(rw, false, __builtin_return_address(0),
                    [rw] { return real().rwlock_wrlock(rw); });
}
int pthread_rwlock_trywrlock(pthread_rwlock_t *rw) {
  const int rc = real().rwlock_trywrlock(rw);
  if (inside_gridlock()) return rc;
  return note_acquired(rw, GL_OP_WRITE_LOCK, __builtin_return_address(0), true, rc);
}
int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *at) {
  return write_lock(rw, true, __builtin_return_address(0),
                    [rw, at] { return real().rwlock_timedwrlock(rw, at); });
}
int pthread_rwlock_clockwrlock(pthread_rwlock_t *rw, clockid_t clock, const struct timespec *at) {
  return write_lock(rw, true, __builtin_return_address(0),
                    [rw, clock, at] { return real().rwlock_clockwrlock(rw, clock, at); });
}
int pthread_rwlock_unlock(pthread_rwlock_t *rw) {
  if (!inside_gridlock()) {
    gl_lock_released(rw);
    if (__atomic_load_n(writer_of(rw), __ATOMIC_RELAXED) != this_tid()) {
      hook_scope inside; // a read lock let go
      if (const gl_resource_id res = sync_objects::get().find(rw)) gl_shared_release(res);
    }
  }
  return real().rwlock_unlock(rw);
}
int pthread_rwlock_destroy(pthread_rwlock_t *rw) {
  forget_object(rw);
  return real().rwlock_destroy(rw);
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) {
  return condition_wait(c, m, false, __builtin_return_address(0),
                        [c, m] { return real().cond_wait(c, m); });
}
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *at) {
  return condition_wait(c, m, true, __builtin_return_address(0),
                        [c, m, at] { return real().cond_timedwait(c, m, at); });
}
int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                           const struct timespec *at) {
  return condition_wait(c, m, true, __builtin_return_address(0),
                        [c, m, clock, at] { return real().cond_clockwait(c, m, clock, at); });
}
int pthread_cond_signal(pthread_cond_t *c) {
  if (!inside_gridlock()) note_notifier(c, object_kind::condition);
  return real().cond_signal(c);
}
int pthread_cond_broadcast(pthread_cond_t *c) {
  if (!inside_gridlock()) note_notifier(c, object_kind::condition);
  return real().cond_broadcast(c);
}
int pthread_cond_destroy(pthread_cond_t *c) {
  forget_object(c);
  return real().cond_destroy(c);
}

int sem_wait(sem_t *s) {
  return semaphore_wait(s, false, [s] { return real().sem_wait(s); });
}
int sem_timedwait(sem_t *s, const struct timespec *at) {
  return semaphore_wait(s, true, [s, at] { return real().sem_timedwait(s, at); });
}
int sem_clockwait(sem_t *s, clockid_t clock, const struct timespec *at) {
  return semaphore_wait(s, true, [s, clock, at] { return real().sem_clockwait(s, clock, at); });
}
int sem_post(sem_t *s) {
  if (!inside_gridlock()) note_notifier(s, object_kind::semaphore);
  return real().sem_post(s);
}
int sem_destroy(sem_t *s) {
  forget_object(s);
  return real().sem_destroy(s);
}

int pthread_barrier_wait(pthread_barrier_t *b) {
  if (inside_gridlock()) return real().barrier_wait(b);
  const gl_resource_id res = resource_of(b, object_kind::barrier);
  if (res == 0) return real().barrier_wait(b);
  recorded_wait w(GL_OP_BARRIER_WAIT, target_of_kind(GL_TARGET_ANY_ACTOR, res), false);
  return w.finish(real().barrier_wait(b));
}
int pthread_barrier_destroy(pthread_barrier_t *b) {
  forget_object(b);
  return real().barrier_destroy(b);
}

// The new thread's actor is made here, before it runs, and entered in the thread table as soon as
// it has a pthread_t: a join right after pthread_create finds it.
int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*routine)(void *), void *arg) {
  gl_actor_id actor = 0;
  if (!inside_gridlock()) {
    hook_scope inside;
    actor = gl_actor_create("");
  }
  auto *start = new (std::nothrow) thread_start{routine, arg, actor};
  const int rc = start ? real().create(t, attr, start_thread, start) : EAGAIN;
  if (actor == 0) return rc;
  hook_scope inside;
  if (rc != 0) {
    delete start;
    gl_actor_discard(actor);
  } else {
    thread_table::get().enter(*t, actor);
  }
  return rc;
}
int pthread_join(pthread_t t, void **ret) {
  return join_thread(t, ret, false, [t, ret] { return real().join(t, ret); });
}
int pthread_timedjoin_np(pthread_t t, void **ret, const struct timespec *at) {
  return join_thread(t, ret, true, [t, ret, at] { return real().timedjoin_np(t, ret, at); });
}
int pthread_clockjoin_np(pthread_t t, void **ret, clockid_t clock, const struct timespec *at) {
  return join_thread(t, ret, true,
                     [t, ret, clock, at] { return real().clockjoin_np(t, ret, clock, at); });
}
int pthread_setname_np(pthread_t t, const char *name) {
  const int rc = real().setname_np(t, name);
  if (rc != 0 || inside_gridlock()) return rc;
  hook_scope inside;
  if (pthread_equal(t, ::pthread_self()))
    gl_actor_set_name(name);
  else if (const gl_actor_id a = thread_table::get().actor_of(t))
    gl_actor_rename(a, name);
  return rc;
}

} // extern "C"
