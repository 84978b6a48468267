#include "runtime.hpp"
#include <gridlock/detail/abi.hpp>

#include "../symbolizer/symbolizer.hpp"
#include "crash_flush.hpp"
#include "flight_recorder.hpp"
#include "lock_order_graph.hpp"
#include "report_writer.hpp"
#include <gridlock/detail/runtime_scope.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <pthread.h>
#include <stdexcept>
#include <unistd.h>
#include <utility>

// A program may embed default options by defining this function (as __tsan_default_options).
extern "C" __attribute__((weak)) const char *__gridlock_default_options();

namespace gridlock::inline GRIDLOCK_ABI::detail {

runtime &runtime::get() {
  static runtime *instance = new runtime; // leaked on purpose: used until the last thread exits
  return *instance;
}

runtime::runtime() : detector_(*this) {
  // Built-in defaults first (__gridlock_default_options), then the environment.
  const auto apply = [this](const char *where, const char *text) {
    if (!text) return;
    try {
      parse_options(text, options_);
    } catch (const std::invalid_argument &e) {
      std::fprintf(stderr, "gridlock: error: %s: %s\n", where, e.what());
      std::_Exit(2);
    }
  };
  if (__gridlock_default_options)
    apply("__gridlock_default_options()", __gridlock_default_options());
  apply("GRIDLOCK_OPTIONS", std::getenv("GRIDLOCK_OPTIONS"));
  if (options_.help) std::fputs(options_help().c_str(), stderr);
  install_crash_flush(detector_);
  publish_settings();
  std::atexit(&runtime::at_exit);
  ::pthread_atfork(
      &before_fork, [] { after_fork(false); }, [] { after_fork(true); });
}

void runtime::publish_settings() {
  starvation_ms_.store(options_.starvation_ms, std::memory_order_relaxed);
  bypass_.store(static_cast<std::uint64_t>(options_.starvation_bypass), std::memory_order_relaxed);
  aging_ms_.store(options_.aging_ms, std::memory_order_relaxed);
  flight_recorder::enable(options_.trace);
  if (options_.trace) ensure_crash_reporter(); // the trace is worth a crash report
}

void runtime::at_exit() {
  const runtime_scope inside;
  get().detector_.at_exit();
}

// The locks in lock order, outermost first; released in reverse (see fork in runtime.hpp).
void runtime::before_fork() {
  const runtime_scope inside;
  runtime &rt = get();
  report_writer_before_fork();
  rt.options_mu_.lock();
  rt.graph_mu_.lock();
  flight_recorder::get().lock_for_fork();
  lock_order_graph::before_fork();
  symbolizer::before_fork();
}

void runtime::after_fork(bool in_child) {
  const runtime_scope inside;
  runtime &rt = get();
  if (in_child) {
    rt.graph_.remove_actors_except(this_thread_actor());
    rt.graph_.set_thread(this_thread_actor(), ::gettid()); // the child's thread has its own id
    // A fresh detector: no thread yet (it starts at the child's first blocking wait), nothing
    // reported. Same address, so crash_flush's pointer to it stays valid.
    std::destroy_at(&rt.detector_);
    std::construct_at(&rt.detector_, rt);
    crash_flush_after_fork_in_child();
    std::destroy_at(&rt.graph_cv_); // it may count sleepers that are not in the child
    std::construct_at(&rt.graph_cv_);
  }
  symbolizer::after_fork();
  lock_order_graph::after_fork();
  flight_recorder::get().unlock_after_fork();
  rt.graph_mu_.unlock();
  rt.options_mu_.unlock();
  report_writer_after_fork(in_child);
}

options runtime::current_options() {
  std::lock_guard lk(options_mu_);
  return options_;
}

void runtime::configure(std::string_view text) {
  std::lock_guard lk(options_mu_);
  parse_options(text, options_);
  publish_settings();
}

void runtime::on_wait_begun(graph_lock &) {
  detector_.ensure_started();
  if (detector_.idle()) graph_cv_.notify_all();
}

void runtime::queue_finding(report::finding f, const std::vector<gl_actor_id> &actors) {
  auto lk = lock_graph();
  for (std::size_t i = 0; i < actors.size() && i < f.actors.size(); ++i) {
    f.actors[i].name = graph_.name_of(actors[i]);
    f.cycle.push_back(f.actors[i].name);
  }
  detector_.queue(std::move(f));
  graph_cv_.notify_all();
}

std::string runtime::resource_name(gl_resource_id r) {
  auto lk = lock_graph();
  const resource_info *info = graph_.resource(r);
  return info ? info->name : "resource-" + std::to_string(r);
}

std::string runtime::resource_kind(gl_resource_id r) {
  auto lk = lock_graph();
  const resource_info *info = graph_.resource(r);
  return info ? info->kind : "resource";
}

void runtime::on_wait_ending(graph_lock &, const gl_wait &w) {
  if (w.starvation_finding) {
    detector_.starvation_ended(w);
    graph_cv_.notify_all();
  }
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail

namespace gridlock::inline GRIDLOCK_ABI::detail {
fairness_settings fairness() noexcept { return runtime::get().fairness(); }
void report_starved_message(const starved_message &m) {
  runtime::get().the_detector().report_message(m);
}
} // namespace gridlock::inline GRIDLOCK_ABI::detail

namespace gridlock::inline GRIDLOCK_ABI {
std::size_t report_leaks_now() {
  return detail::runtime::get().the_detector().report_leaks("at the end of the test");
}
void on_finding(std::function<void(const finding_summary &)> handler) {
  detail::set_finding_handler(std::move(handler));
}
void configure(std::string_view options) { detail::runtime::get().configure(options); }
} // namespace gridlock::inline GRIDLOCK_ABI
