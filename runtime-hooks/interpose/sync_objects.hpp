// sync_objects: the gridlock resources that stand for the program's own pthread objects
// (mutexes, rwlocks, condition variables, semaphores, barriers), by address.
//
// A resource is created at the first wait that really blocks on the object (or, for condition
// variables and semaphores, its first signal or post: who notified it before is what a later
// waiter waits for) and destroyed with the object (pthread_*_destroy, sem_destroy). Objects never
// destroyed (std::mutex has a trivial destructor) keep their resource; memory reused for another
// object of the same kind reuses it, which is right: the owner is read from the object itself.
//
// Bounded: at most kMaxObjects at once. Beyond, lookups of new objects return 0 and their waits
// are not recorded (gridlock then sees a running thread: no finding, never a false one).
//
// Names: the object's symbol from the symbol tables ("forks+40"), else "<kind> 0x7f...".
//
// Thread-safety: every call may be made from any thread concurrently, inside gl_in_runtime (its
// lock is a std::mutex that the interposer must pass through). Cost: a hash lookup under one lock.
#pragma once

#include <gridlock/detail/notifiers.hpp>
#include <gridlock/hooks.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace gridlock::interpose {

enum class object_kind { mutex, rwlock, condition, semaphore, barrier };

class sync_objects {
public:
  static constexpr std::size_t kMaxObjects = std::size_t{1} << 16;

  static sync_objects &get();

  // The resource of the object at addr, created if need be (0: over the bound). owner_tid: where
  // the C library keeps the thread id of its owner (mutex, rwlock writer), or null.
  gl_resource_id resource(const void *addr, object_kind kind, const int *owner_tid = nullptr);
  // The object's notifiers (condition variables, semaphores), created with its resource; null
  // over the bound.
  detail::notifiers *notifiers_of(const void *addr, object_kind kind);
  // The resource of the object at addr if it has one, else 0.
  gl_resource_id find(const void *addr);
  // The object is destroyed: so is its resource.
  void forget(const void *addr);

  // fork: the forking thread holds the table's lock across fork() (pthread_atfork), so a child
  // never inherits it taken.
  void lock() { mu_.lock(); }
  void unlock() { mu_.unlock(); }

private:
  struct object {
    gl_resource_id id = 0;
    object_kind kind = object_kind::mutex;
    std::unique_ptr<detail::notifiers> notified;
  };
  object *lookup(const void *addr, object_kind kind, const int *owner_tid); // mu_ held

  std::mutex mu_;
  std::unordered_map<const void *, object> objects_;
};

} // namespace gridlock::interpose
