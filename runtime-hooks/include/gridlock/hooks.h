/* gridlock hook API: the C ABI every instrumented wait goes through.
 *
 * gridlock's own channels, mailboxes, threads and mutexes are clients of this API; any other
 * queue, lock or message layer can be instrumented the same way by a thin adapter.
 *
 * The model
 *   - An *actor* is a thread. A thread becomes an actor the first time it calls gl_actor_self()
 *     (directly or through any gridlock primitive); it stops being one when it exits.
 *   - A *resource* is a channel, mailbox, mutex or any object an actor can wait on. Channels have
 *     two *ends* (send, receive); actors *hold* ends through handles. A mutex-like resource has one
 *     *owner*.
 *   - A *wait* is what a blocked actor waits for: a list of targets (an actor, the holders of a
 *     resource end, the owner of a resource, or any actor) combined with OR (any target can release
 *     it, e.g. a channel receive, a select) or AND (it needs all of them).
 *
 * When to call what (the contract for adapters)
 *   - Call nothing on an operation that does not block: the fast path stays uninstrumented.
 *   - Just before a thread really blocks, call gl_wait_begin() from that thread. Begin the wait
 *     before any other thread can satisfy it (typically under the queue's own lock, after the
 *     waiter is enqueued), so the graph never shows a wait that already ended.
 *   - The thread that satisfies a wait calls gl_wait_released() before waking the waiter. It is
 *     lock-free and wait-free, allocates nothing, and may be called under the queue's lock.
 *   - The waiter calls gl_wait_end() once it runs again, whatever woke it (release, timeout,
 *     break). After gl_wait_end() the handle is invalid.
 *   - gl_end_hold()/gl_end_release() keep the holder counts of channel ends; gl_owner_set() records
 *     who owns a mutex-like resource when a waiter depends on it, or gl_owner_watch() tells the
 *     detector where the primitive keeps its owner, read when it checks (no call per lock).
 *
 * Lock order: these calls take gridlock's internal graph lock (except gl_wait_released). They may
 * be called while holding the adapter's own queue lock, never from a gl_wake_fn callback.
 * They never call back into the adapter while holding the graph lock.
 *
 * Cost: gl_wait_begin allocates one record and takes the graph lock; gl_wait_end takes the graph
 * lock; gl_actor_self is a thread-local read after the first call on a thread.
 *
 * Thread-safety: every function may be called from any thread concurrently.
 *
 * With GRIDLOCK_DISABLE defined, every hook is an inline no-op (the overhead baseline).
 */
#ifndef GRIDLOCK_HOOKS_H
#define GRIDLOCK_HOOKS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t gl_actor_id;    /* 0 means "no actor" */
typedef uint64_t gl_resource_id; /* 0 means "no resource" */
typedef struct gl_wait *gl_wait_t;

/* Wait operations: a fixed vocabulary; each has a stable string (gl_op_name). Never reused. */
typedef enum gl_op {
  GL_OP_CHAN_SEND = 0,    /* "chan send" */
  GL_OP_CHAN_RECV = 1,    /* "chan receive" */
  GL_OP_SELECT = 2,       /* "select" */
  GL_OP_MAILBOX_SEND = 3, /* "mailbox send" */
  GL_OP_RECEIVE = 4,      /* "mailbox receive" */
  GL_OP_RECEIVE_FROM = 5, /* "mailbox receive_from" */
  GL_OP_LOCK = 6,         /* "mutex lock" */
  GL_OP_JOIN = 7,         /* "thread join" */
  GL_OP_CUSTOM = 8,       /* "wait" (adapters) */
  GL_OP_RECEIVE_ALL = 9,  /* "mailbox receive_all" */
  GL_OP_READ_LOCK = 10,   /* "read lock" (a shared_mutex / rwlock in shared mode) */
  GL_OP_WRITE_LOCK = 11,  /* "write lock" (a shared_mutex / rwlock in exclusive mode) */
  GL_OP_GROUP_WAIT = 12,  /* "wait_group wait" */
  GL_OP_COND_WAIT = 13,   /* "condition wait" */
  GL_OP_ACQUIRE = 14,     /* "semaphore acquire" */
  GL_OP_CALL_ONCE = 15,   /* "call_once" */
  GL_OP_BARRIER_WAIT = 16 /* "barrier wait" */
} gl_op;

typedef enum gl_end { GL_END_SEND = 0, GL_END_RECV = 1 } gl_end;

/* How an actor came to hold a channel end (stable values; never reused):
 *   EXACT    - given to it explicitly (a gridlock::thread argument);
 *   INFERRED - it used the handle (send/recv through it), or the handle is part of the function
 *              object of a gridlock::thread started for it (a lambda's captured copy);
 *   UNKNOWN  - nobody is known: a copy or moved handle in transit, or a handle used by several
 *              actors. An end with any UNKNOWN holder counts as releasable by a live actor:
 *              gridlock never reports a partial deadlock through it;
 *   UNUSED   - actor `a` made the handle (make_channel) and has never used it. It is a candidate
 *              releaser: named in explanations, and a partial deadlock whose only way out is such
 *              a holder is reported as probable ("unless 'main' uses its unused copy ...");
 *   TIMER    - no actor: a pending timer (`a` is 0). */
typedef enum gl_holding {
  GL_HOLD_EXACT = 0,
  GL_HOLD_INFERRED = 1,
  GL_HOLD_UNKNOWN = 2,
  GL_HOLD_UNUSED = 3,
  GL_HOLD_TIMER = 4 /* a pending timer will release it (a timer's channel, a context's deadline):
                       live, and while any is pending the process is never stuck as a whole */
} gl_holding;

typedef enum gl_target_kind {
  GL_TARGET_ACTOR = 0,      /* released by one actor (receive_from, join, synchronous send) */
  GL_TARGET_HOLDERS = 1,    /* released by any holder of resource's `end` (channel ops) */
  GL_TARGET_OWNER = 2,      /* released by the resource's owner (mutex) */
  GL_TARGET_ANY_ACTOR = 3,  /* released by any actor (receive from any source) */
  GL_TARGET_ALL_HOLDERS = 4 /* released once *every* actor holding the resource has let go: its
                               owner and its shared holders (gl_shared_acquire) - an AND over
                               them, as a writer of a reader/writer lock waits */
} gl_target_kind;

typedef struct gl_target {
  gl_target_kind kind;
  gl_actor_id actor;       /* GL_TARGET_ACTOR */
  gl_resource_id resource; /* the resource waited on (all kinds; 0 for a bare actor wait) */
  gl_end end;              /* GL_TARGET_HOLDERS: the end whose holders release the wait */
} gl_target;

typedef struct gl_location {
  const char *file; /* static storage (std::source_location strings) */
  const char *function;
  uint32_t line;
  uint32_t column;
} gl_location;

/* Called by the detector, outside all of gridlock's locks, to interrupt a wait it chose as the
 * victim of a definite deadlock (on_deadlock=break). The waiter must then wake, call gl_wait_end()
 * and fail its operation (gl_wait_end returns 1). gl_wait_end() does not return until a running
 * wake call has finished, so `ctx` stays valid for its duration. */
typedef void (*gl_wake_fn)(void *ctx);

typedef struct gl_wait_desc {
  gl_op op;
  int all;   /* 1: AND over targets; 0: OR */
  int timed; /* 1: the wait has a timeout; it is live and never part of a deadlock */
  const gl_target *targets;
  size_t n_targets;
  gl_location where;
  gl_wake_fn wake; /* NULL: the wait cannot be broken */
  void *wake_ctx;
} gl_wait_desc;

const char *gl_op_name(gl_op op);

/* Flight-recorder events (trace=1): a fixed vocabulary with stable strings (gl_event_name). */
typedef enum gl_event {
  GL_EV_SEND = 0,      /* "send": a value entered a channel, or a message a mailbox (synchronous) */
  GL_EV_RECEIVE = 1,   /* "receive" */
  GL_EV_POST = 2,      /* "post": an asynchronous mailbox message */
  GL_EV_BLOCK = 3,     /* "block" (recorded by gl_wait_begin) */
  GL_EV_UNBLOCK = 4,   /* "unblock" (recorded by gl_wait_end) */
  GL_EV_LOCK = 5,      /* "lock" */
  GL_EV_UNLOCK = 6,    /* "unlock" */
  GL_EV_SPAWN = 7,     /* "spawn": peer is the new actor (recorded by gl_actor_create) */
  GL_EV_JOIN = 8,      /* "join": peer is the joined actor */
  GL_EV_READ_LOCK = 9, /* "read lock": a shared (reader's) lock taken */
  GL_EV_READ_UNLOCK = 10 /* "read unlock" */
} gl_event;

const char *gl_event_name(gl_event ev);

#ifndef GRIDLOCK_DISABLE

/* Nonzero while the calling thread runs gridlock's own code: a thread of gridlock's (detector,
 * crash reporter, timer), an exit, fork or thread-exit handler of the runtime, the creation of a
 * gridlock::thread, an interposer's call of a hook - or while it is in a wait begun with
 * gl_wait_begin and not yet ended: the C library calls that carry a recorded wait out (an
 * instrumented queue's std::condition_variable wait) are part of it, not waits of their own. An
 * interposer of the C library's synchronisation functions (gridlock's, linked into libgridlock and
 * libgridlock-preload) passes such calls straight through: gridlock's threads and the libraries it
 * calls (the symbolizer's libdw) end in the same functions. (gridlock's own locks are futexes and
 * never do.) Written by its own thread only; initial-exec TLS (one load). */
extern __thread int gl_in_runtime __attribute__((tls_model("initial-exec")));

/* Whether an interposer records the program's own pthread calls: the option `interpose` (1
 * unless interpose=0). Read once, when the interposer starts; the first call reads the options
 * (as every hook's first call does). Thread-safe. */
int gl_interpose_enabled(void);

/* 1 if gridlock's interposer of the C library's pthread functions is in the process (linked with
 * libgridlock or preloaded) and records the program's waits; 0 with interpose=0 or without it. */
int gl_interposing(void);

/* The calling thread's actor id, registering it on first use. Registering (here or through
 * gl_actor_attach) also gives the thread an alternate signal stack of 64 KiB if it has none, so a
 * stack overflow still gets its crash report; it is removed when the thread exits. */
gl_actor_id gl_actor_self(void);
/* Names the calling thread's actor (copied). */
void gl_actor_set_name(const char *name);
/* The calling actor has just delivered (or queued) a process-addressed message to actor `to`: the
 * fairness monitor counts it as `to` being served by the caller. Two relaxed atomic operations;
 * lock-free; never blocks. */
void gl_actor_delivered(gl_actor_id to);
/* Names actor `a` (copied), from any thread: a thread named by another (pthread_setname_np). */
void gl_actor_rename(gl_actor_id a, const char *name);
/* Registers an actor for a thread that is about to start; the new thread calls
 * gl_actor_attach(id) first thing. Lets a spawner hand ends to the actor before it runs. */
gl_actor_id gl_actor_create(const char *name);
void gl_actor_attach(gl_actor_id id);
/* An actor gl_actor_create made for a thread that could not be started: it is removed with what
 * it held, as if its thread had exited. */
void gl_actor_discard(gl_actor_id id);

/* kind: "channel", "mailbox", "mutex", ... (static storage). capacity < 0: unbounded/none. */
gl_resource_id gl_resource_create(const char *kind, const char *name, int64_t capacity);
void gl_resource_destroy(gl_resource_id r);

void gl_end_hold(gl_resource_id r, gl_end end, gl_actor_id a, gl_holding how);
void gl_end_release(gl_resource_id r, gl_end end, gl_actor_id a, gl_holding how);
void gl_owner_set(gl_resource_id r, gl_actor_id owner);
/* The holders of r's ends are only guesses (the actors that released or notified it before, for
 * a semaphore or a condition variable): a deadlock through r is probable at most, even when it
 * has no holder left (a lost wake-up). */
void gl_resource_guessed_holders(gl_resource_id r);
/* The primitive counts in *cell (relaxed atomic increments) each time it serves a newcomer past
 * the waits queued on r - a reader let in while a writer waits: each counts as a bypass of every
 * wait on r for the fairness monitor, as an overtaking by a younger wait does. The cell must
 * stay valid until gl_resource_destroy(r). */
void gl_served_watch(gl_resource_id r, const uint64_t *cell);
/* The holders of resource `from`'s `end` (and of whatever it inherits from) count as holders of
 * r's `end` too: a derived context is cancelled by whoever can cancel its parent. Set once, before
 * anybody waits on r; `from` must outlive r. */
void gl_resource_inherit(gl_resource_id r, gl_end end, gl_resource_id from);
/* The owner of r is *owner from now on (0: none or unknown), read with relaxed atomic loads
 * whenever the detector looks; the cell must stay valid until gl_resource_destroy(r). */
void gl_owner_watch(gl_resource_id r, const gl_actor_id *owner);
/* The owner of r is the actor of the thread whose kernel thread id (gettid) is *tid (0: none),
 * read with relaxed atomic loads whenever the detector looks - where a C library keeps a lock's
 * owner (glibc's pthread_mutex_t::__data.__owner). A thread id of a thread that is not an actor
 * counts as unknown (live); of an actor that has exited, as an owner that never lets go. The cell
 * must stay valid until gl_resource_destroy(r). */
void gl_owner_watch_tid(gl_resource_id r, const int *tid);
/* The calling actor holds r in shared mode (a read lock) from now on, until gl_shared_release(r);
 * a GL_TARGET_ALL_HOLDERS wait on r waits for it. Recorded in a per-actor table of
 * GL_SHARED_CELLS cells the detector reads when it looks: no graph lock, no allocation, a few
 * relaxed atomic operations. Beyond GL_SHARED_CELLS shared holdings at once, an actor's further
 * ones are counted but not named, and ALL_HOLDERS waits on any resource count as live (a way out
 * gridlock cannot see). Nested shared holdings of one resource are counted each. */
enum { GL_SHARED_CELLS = 16 };
void gl_shared_acquire(gl_resource_id r);
void gl_shared_release(gl_resource_id r);

/* Lock-order prediction (the seed's "resource ordering"): an adapter of a lock calls
 * gl_lock_acquired(lock, op, pc, tried) right after the calling thread has taken `lock` (any
 * unique address: the lock object) with op GL_OP_LOCK, GL_OP_WRITE_LOCK or GL_OP_READ_LOCK, and
 * gl_lock_released(lock) when it lets go (in any order). pc is the return address of the lock
 * call (its call site); tried is 1 for a call that could not block for ever (a trylock, a timed
 * lock). gridlock keeps the order in which locks are taken over the whole run and reports each
 * cycle of it once as a "lock-order-inversion" (possible), even when the run did not deadlock -
 * not when one thread took all of it, one common lock was held at every acquisition of it, or
 * its locks are held and taken shared (src/lock_order_graph.hpp).
 * Cost: a thread-local array scan, no lock and no allocation, unless the thread takes a lock while
 * holding another at a pair of call sites it has not recorded before (then the graph's lock and a
 * stack walk, once). Never blocks on anything but gridlock's own leaf lock; may be called under
 * the adapter's lock. */
void gl_lock_acquired(const void *lock, gl_op op, const void *pc, int tried);
void gl_lock_released(const void *lock);

gl_wait_t gl_wait_begin(const gl_wait_desc *desc);
void gl_wait_released(gl_wait_t w);
/* Returns 1 if the detector broke this wait (on_deadlock=break), else 0. */
int gl_wait_end(gl_wait_t w);

/* The flight recorder (option trace=1). gl_trace_on() is one relaxed load: adapters call
 * gl_trace_record() only when it returns 1, so a program without trace pays nothing else.
 *
 * gl_trace_record(ev, actor, r, key, peer) appends an event of `actor` (0: the caller) about
 * resource r to that actor's ring (the last 128 events of each actor are kept: kRing in
 * src/flight_recorder.hpp). For SEND, POST and RECEIVE, `key` names the message on r: the receive
 * of (r, key) is matched with its send, and the receiver's Lamport and vector clocks merge the
 * sender's (as if the clocks travelled with the message). Call them under the queue's own lock,
 * where the message changes hands. For SPAWN and JOIN, `peer` is the other actor: a spawned actor
 * starts from its parent's clock, a join merges the joined actor's. Takes the recorder's lock (a
 * leaf: call it under any lock but the graph's). Allocates only while tracing. */
extern int gl_trace_flag; /* written by the runtime; read through gl_trace_on() */
static inline int gl_trace_on(void) { return __atomic_load_n(&gl_trace_flag, __ATOMIC_RELAXED); }
void gl_trace_record(gl_event ev, gl_actor_id actor, gl_resource_id r, uint64_t key,
                     gl_actor_id peer);

#else /* GRIDLOCK_DISABLE: every hook compiles to nothing */

static inline gl_actor_id gl_actor_self(void) { return 0; }
static inline void gl_actor_set_name(const char *n) { (void)n; }
static inline void gl_actor_delivered(gl_actor_id to) { (void)to; }
static inline gl_actor_id gl_actor_create(const char *n) {
  (void)n;
  return 0;
}
static inline void gl_actor_attach(gl_actor_id a) { (void)a; }
static inline void gl_actor_discard(gl_actor_id a) { (void)a; }
static inline gl_resource_id gl_resource_create(const char *k, const char *n, int64_t c) {
  (void)k;
  (void)n;
  (void)c;
  return 0;
}
static inline void gl_resource_destroy(gl_resource_id r) { (void)r; }
static inline void gl_end_hold(gl_resource_id r, gl_end e, gl_actor_id a, gl_holding h) {
  (void)r;
  (void)e;
  (void)a;
  (void)h;
}
static inline void gl_end_release(gl_resource_id r, gl_end e, gl_actor_id a, gl_holding h) {
  (void)r;
  (void)e;
  (void)a;
  (void)h;
}
static inline void gl_owner_set(gl_resource_id r, gl_actor_id a) {
  (void)r;
  (void)a;
}
static inline void gl_owner_watch(gl_resource_id r, const gl_actor_id *owner) {
  (void)r;
  (void)owner;
}
static inline void gl_resource_guessed_holders(gl_resource_id r) { (void)r; }
static inline void gl_served_watch(gl_resource_id r, const uint64_t *cell) {
  (void)r;
  (void)cell;
}
static inline void gl_resource_inherit(gl_resource_id r, gl_end e, gl_resource_id from) {
  (void)r;
  (void)e;
  (void)from;
}
static inline void gl_owner_watch_tid(gl_resource_id r, const int *tid) {
  (void)r;
  (void)tid;
}
static inline void gl_actor_rename(gl_actor_id a, const char *n) {
  (void)a;
  (void)n;
}
static inline void gl_shared_acquire(gl_resource_id r) { (void)r; }
static inline void gl_shared_release(gl_resource_id r) { (void)r; }
static inline void gl_lock_acquired(const void *l, gl_op op, const void *pc, int tried) {
  (void)l;
  (void)op;
  (void)pc;
  (void)tried;
}
static inline void gl_lock_released(const void *l) { (void)l; }
static inline gl_wait_t gl_wait_begin(const gl_wait_desc *d) {
  (void)d;
  return NULL;
}
static inline void gl_wait_released(gl_wait_t w) { (void)w; }
static inline int gl_wait_end(gl_wait_t w) {
  (void)w;
  return 0;
}
static inline int gl_trace_on(void) { return 0; }
static inline void gl_trace_record(gl_event ev, gl_actor_id a, gl_resource_id r, uint64_t k,
                                   gl_actor_id p) {
  (void)ev;
  (void)a;
  (void)r;
  (void)k;
  (void)p;
}

#endif

#ifdef __cplusplus
}
#endif

#endif /* GRIDLOCK_HOOKS_H */
