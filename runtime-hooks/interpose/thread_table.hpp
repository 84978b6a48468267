// thread_table: which actor each of the program's threads is, by pthread_t - what a join waits
// for and whom pthread_setname_np names.
//
// A thread is entered by its creator as soon as pthread_create returns (so a join that follows
// finds it) and leaves when it exits (a thread-local destructor), so the table holds live threads
// only: thousands of short threads cost nothing once gone. A thread that exits before its creator
// has entered it is remembered until then, and never entered.
//
// Thread-safety: every call may be made from any thread concurrently, inside gl_in_runtime.
// Cost: a hash operation under one lock.
#pragma once

#include <gridlock/hooks.h>

#include <mutex>
#include <pthread.h>
#include <unordered_map>
#include <unordered_set>

namespace gridlock::interpose {

class thread_table {
public:
  static thread_table &get();

  void enter(pthread_t t, gl_actor_id a);
  void leave(pthread_t t, gl_actor_id a);
  // The actor of a live thread, 0 if unknown (not started through pthread_create, or exited).
  gl_actor_id actor_of(pthread_t t);
  // A forked child has only the thread that forked.
  void keep_only(pthread_t t);

  // fork: the forking thread holds the table's lock across fork() (pthread_atfork), so a child
  // never inherits it taken.
  void lock() { mu_.lock(); }
  void unlock() { mu_.unlock(); }

private:
  std::mutex mu_;
  std::unordered_map<pthread_t, gl_actor_id> actors_;
  std::unordered_set<gl_actor_id> left_early_; // exited before their creator entered them
};

} // namespace gridlock::interpose
