// runtime: the process-wide state behind the hooks — actors, the wait graph, the detector and the
// options — created on first use and never destroyed (threads may still block during exit).
//
// Lock order (see <gridlock/detail/lock_order.hpp>): a primitive's lock, then graph_mu, then the
// flight recorder's, then a parker. Nothing here reports, logs or calls back under graph_mu.
//
// fork: a child process has one thread, the one that forked. pthread_atfork handlers make the
// child usable: before the fork, the forking thread takes every lock gridlock has, outermost
// first (report writer, finding handler, options, graph, flight recorder, lock-order graph,
// symbolizer), so no other thread is inside a gridlock critical section when memory is copied;
// parent and child release them after.
// The child also drops the actors of the threads it does not have (as if they had exited: a wait
// on what they held is one no live actor can release), forgets the parent's detector thread and
// findings (its own detector starts at its first blocking wait), and gets a fresh condition
// variable (the copied one may count waiters that are not in the child). Primitives shared with
// threads the child does not have are the host's to avoid, as with any mutex held across fork.
#pragma once

#include <gridlock/detail/abi.hpp>

#include "detector.hpp"
#include "options.hpp"
#include "wait_graph.hpp"

#include <gridlock/detail/fairness.hpp>
#include <gridlock/detail/lock_order.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace gridlock::inline GRIDLOCK_ABI::detail {

class runtime {
public:
  // The instance; the first call reads GRIDLOCK_OPTIONS (exiting with status 2 on a bad one).
  static runtime &get();

  using graph_lock = std::unique_lock<ranked_mutex<lock_rank::graph>>;
  graph_lock lock_graph() { return graph_lock(graph_mu_); }
  graph_lock try_lock_graph() { return graph_lock(graph_mu_, std::try_to_lock); }
  wait_graph &graph() noexcept { return graph_; } // graph_mu held
  // Signals the detector and the waiters of broken waits; used with graph_mu.
  futex_condition &graph_changed() noexcept { return graph_cv_; }

  options current_options();
  void configure(std::string_view text);
  fairness_settings fairness() const noexcept {
    return {std::chrono::milliseconds(starvation_ms_.load(std::memory_order_relaxed)),
            bypass_.load(std::memory_order_relaxed),
            std::chrono::milliseconds(aging_ms_.load(std::memory_order_relaxed))};
  }
  detector &the_detector() noexcept { return detector_; }

  gl_actor_id new_actor_id() noexcept {
    return next_actor_.fetch_add(1, std::memory_order_relaxed);
  }
  gl_resource_id new_resource_id() noexcept {
    return next_resource_.fetch_add(1, std::memory_order_relaxed);
  }
  std::uint64_t new_wait_seq() noexcept {
    return next_wait_.fetch_add(1, std::memory_order_relaxed);
  }

  // A wait began (graph_mu held): wakes or starts the detector.
  void on_wait_begun(graph_lock &lk);
  // A wait is about to end (graph_mu held): a starvation reported on it gets its epilogue.
  void on_wait_ending(graph_lock &lk, const gl_wait &w);
  // A finding made on another thread (a predicted lock-order inversion): its actors are named
  // after `actors` (one per entry of f.actors), it is numbered and queued for the detector
  // thread, which writes it at its next check (started if need be). No gridlock lock held.
  void queue_finding(report::finding f, const std::vector<gl_actor_id> &actors);
  // The resource's name ("resource-<r>" once it is gone) and kind ("resource"). Take the graph
  // lock.
  std::string resource_name(gl_resource_id r);
  std::string resource_kind(gl_resource_id r);

private:
  runtime();
  static void at_exit();
  static void before_fork();
  static void after_fork(bool in_child);
  void publish_settings(); // options_mu held: the lock-free copies (fairness, trace flag)

  ranked_mutex<lock_rank::graph> graph_mu_;
  futex_condition graph_cv_;
  wait_graph graph_;
  futex_mutex options_mu_;
  options options_;
  detector detector_;
  std::atomic<gl_actor_id> next_actor_{1};
  std::atomic<gl_resource_id> next_resource_{1};
  std::atomic<std::uint64_t> next_wait_{1};
  // Copies of the fairness options, read lock-free by primitives.
  std::atomic<int> starvation_ms_{2000};
  std::atomic<std::uint64_t> bypass_{100};
  std::atomic<int> aging_ms_{0};
};

// The calling thread's actor, 0 if it has none yet (hooks.cpp).
gl_actor_id this_thread_actor() noexcept;

} // namespace gridlock::inline GRIDLOCK_ABI::detail
