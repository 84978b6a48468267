// end_holder: which actor holds one channel-end handle object, kept current for the wait graph.
//
// The ownership rule (see the README, "How gridlock knows who can release a wait"):
//   - a handle passed as an argument to gridlock::thread belongs to the new actor (EXACT);
//   - a handle used (send, receive, close, select) by an actor belongs to it (INFERRED), and so
//     do the copies it makes of it (and its moves), and a copy constructed inside the function
//     object of a gridlock::thread started for it (a lambda's captures: the actor that will use
//     it first), before any use;
//   - the two handles make_channel returns belong, unused, to the actor that made the channel
//     (UNUSED: a candidate releaser, named in explanations, never proof of a way out);
//   - a copy or moved-to handle nobody has used yet, and a handle object used by two different
//     actors (shared by reference), have an UNKNOWN holder: the end counts as releasable by a live
//     actor, so no partial deadlock is ever reported through it (global deadlock still is);
//   - when an actor exits, the graph drops everything it held.
//
// Cost: use() on the fast path is one relaxed load of `word_` and a thread-local read; it touches
// the global graph only when the holder changes (once per handle per actor). Copying or moving a
// handle reads one more thread-local (the adoption scope).
//
// Thread-safety: use() may race with itself (a handle shared by reference); a CAS settles the
// state, and hook calls are count updates that commute. Copy/move/destroy follow the usual rules
// for objects (no concurrent use of the object being destroyed).
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/self.hpp>
#include <gridlock/hooks.h>

#include <atomic>
#include <cstdint>

namespace gridlock::inline GRIDLOCK_ABI::detail {

// While gridlock::thread builds the function object and arguments of a new thread, handles
// constructed inside that storage [begin, end) on this thread belong to the new actor.
struct adoption {
  const void *begin;
  const void *end;
  gl_actor_id actor;
};
inline thread_local const adoption *adopting = nullptr;

class adoption_scope {
public:
  explicit adoption_scope(const adoption &a) noexcept : prev_(adopting) { adopting = &a; }
  ~adoption_scope() { adopting = prev_; }
  adoption_scope(const adoption_scope &) = delete;
  adoption_scope &operator=(const adoption_scope &) = delete;

private:
  const adoption *prev_;
};

class end_holder {
public:
  end_holder() = default;
  // The handles make_channel returns: the calling actor's, unused.
  end_holder(gl_resource_id r, gl_end e) noexcept : res_(r), end_(e), word_(pack(self(), kUnused)) {
    hold(word_.load());
  }
  // Copies and moves: see derived_from(). A move that keeps the state keeps the holding too;
  // otherwise the new object's holding is recorded and the old one's dropped.
  end_holder(const end_holder &o) noexcept
      : res_(o.res_), end_(o.end_), word_(derived_from(o.word_.load(std::memory_order_relaxed))) {
    hold(word_.load());
  }
  end_holder(end_holder &&o) noexcept : res_(o.res_), end_(o.end_) {
    const std::uint64_t w = o.word_.load(std::memory_order_relaxed);
    word_.store(derived_from(w), std::memory_order_relaxed);
    if (word_.load() != w) {
      hold(word_.load());
      o.release();
    }
    o.res_ = 0;
  }
  end_holder &operator=(end_holder o) noexcept {
    release();
    res_ = o.res_;
    end_ = o.end_;
    word_.store(o.word_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    o.res_ = 0; // o's holding moved into *this
    return *this;
  }
  ~end_holder() { release(); }

  // Records that the calling actor uses this handle object.
  [[gnu::always_inline]] void use() noexcept {
#ifndef GRIDLOCK_DISABLE
    const std::uint64_t w = word_.load(std::memory_order_relaxed);
    // Below 256: the holder is the caller (never actor 0), and the low byte is the state.
    const std::uint64_t mine = w ^ (self() << 8);
    if ((mine < 256 && mine != kUnused) || w == pack(0, kShared)) [[likely]]
      return;
    use_slow(self());
#endif
  }
  // Gives the handle to actor `a` explicitly (gridlock::thread arguments).
  void give_to(gl_actor_id a) noexcept;

private:
  // word_ packs the holder's actor id (high 56 bits) and the state (low 8 bits). kUnused with
  // actor 0 is in transit; with an actor, made by it and not used yet.
  static constexpr std::uint64_t kUnused = 0, kExact = 1, kInferred = 2, kShared = 3;
  static std::uint64_t state_of(std::uint64_t w) noexcept { return w & 0xff; }
  static gl_actor_id actor_of(std::uint64_t w) noexcept { return w >> 8; }
  static std::uint64_t pack(gl_actor_id a, std::uint64_t s) noexcept { return (a << 8) | s; }
  static bool used_by(std::uint64_t w, gl_actor_id a) noexcept {
    return actor_of(w) == a && a != 0 && state_of(w) != kUnused;
  }
  static gl_holding holding_of(std::uint64_t w) noexcept {
    switch (state_of(w)) {
    case kExact: return GL_HOLD_EXACT;
    case kInferred: return GL_HOLD_INFERRED;
    case kUnused: return actor_of(w) != 0 ? GL_HOLD_UNUSED : GL_HOLD_UNKNOWN;
    default: return GL_HOLD_UNKNOWN;
    }
  }
  // The state of a copy or move, made here, of a handle in state w: the new thread's inside
  // its adoption scope; else w itself when the caller holds it and has used it (passing it to
  // a function of its own); else in transit until used.
  std::uint64_t derived_from(std::uint64_t w) const noexcept {
    const adoption *a = adopting;
    const auto at = [](const void *p) { return reinterpret_cast<std::uintptr_t>(p); };
    if (a && at(this) >= at(a->begin) && at(this) < at(a->end)) return pack(a->actor, kInferred);
    return used_by(w, self()) ? w : pack(0, kUnused);
  }
  void hold(std::uint64_t w) const noexcept {
    if (res_) gl_end_hold(res_, end_, actor_of(w), holding_of(w));
  }
  void release() noexcept {
    if (res_) gl_end_release(res_, end_, actor_of(word_.load()), holding_of(word_.load()));
  }
  // Out of line: the fast path in use() stays a few instructions.
  [[gnu::noinline]] void use_slow(gl_actor_id me) noexcept {
    std::uint64_t w = word_.load(std::memory_order_relaxed);
    for (;;) {
      if (state_of(w) == kShared || used_by(w, me)) return;
      // Unused (in transit, or its maker's): the first user takes it. Held by another actor: now
      // shared by reference.
      const std::uint64_t next = state_of(w) == kUnused ? pack(me, kInferred) : pack(0, kShared);
      if (word_.compare_exchange_weak(w, next, std::memory_order_relaxed)) {
        change(w, next);
        return;
      }
    }
  }
  void change(std::uint64_t from, std::uint64_t to) noexcept;

  gl_resource_id res_ = 0;
  gl_end end_ = GL_END_SEND;
  std::atomic<std::uint64_t> word_{pack(0, kUnused)};
};

inline void end_holder::give_to(gl_actor_id a) noexcept {
  const std::uint64_t w = word_.exchange(pack(a, kExact), std::memory_order_relaxed);
  change(w, pack(a, kExact));
}

inline void end_holder::change(std::uint64_t from, std::uint64_t to) noexcept {
  if (!res_) return;
  gl_end_hold(res_, end_, actor_of(to), holding_of(to));
  gl_end_release(res_, end_, actor_of(from), holding_of(from));
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
