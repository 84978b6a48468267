#include <gridlock/detail/abi.hpp>
#include <gridlock/select.hpp>

#include <stdexcept>

namespace gridlock::inline GRIDLOCK_ABI {

void select::lock_all() {
  locks_.clear();
  for (auto &c : cases_) locks_.push_back(&c->mutex());
  std::sort(locks_.begin(), locks_.end());
  locks_.erase(std::unique(locks_.begin(), locks_.end()), locks_.end());
  for (auto *m : locks_) m->lock();
}

void select::unlock_all() {
  for (auto it = locks_.rbegin(); it != locks_.rend(); ++it) (*it)->unlock();
}

// All locks held. Tries the cases starting from a position that rotates per thread (a select is
// usually rebuilt every round, so a per-object counter would always favour the first case); the
// index that ran, or -1.
int select::try_all_locked() {
  thread_local std::size_t rotation = 0;
  const std::size_t n = cases_.size();
  const std::size_t start = rotation++ % n;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = (start + k) % n;
    if (cases_[i]->try_locked()) return static_cast<int>(i);
  }
  return -1;
}

bool select::run(bool block, std::optional<detail::parker::clock::time_point> deadline,
                 const std::source_location &where) {
  if (cases_.empty()) throw std::logic_error("gridlock::select: no cases");
  lock_all();
  if (const int i = try_all_locked(); i >= 0 || !block) {
    unlock_all();
    if (i < 0) return false;
    cases_[i]->run_callback();
    return true;
  }
  // Nothing ready: one node per case, all on this thread's parker, under one OR wait.
  detail::parker &p = detail::parker::current();
  p.reset();
  std::vector<gl_target> targets;
  for (auto &c : cases_) targets.push_back(c->target());
  const auto d = detail::describe(GL_OP_SELECT, targets.data(), targets.size(), false,
                                  deadline.has_value(), where);
  const gl_wait_t w = gl_wait_begin(&d);
  const gl_actor_id me = gl_actor_self();
  for (std::size_t i = 0; i < cases_.size(); ++i) {
    detail::waiter_node &n = cases_[i]->node;
    n = detail::waiter_node{};
    n.owner = &p;
    n.case_index = static_cast<int>(i);
    n.actor = me;
    n.wait = w;
    cases_[i]->prepare(n);
    cases_[i]->queue().push_back(n);
  }
  unlock_all();
  const int fired = p.park(deadline);
  lock_all();
  for (auto &c : cases_) c->queue().remove(c->node);
  unlock_all();
  gl_wait_end(w);
  if (fired >= 0) {
    cases_[fired]->finish(cases_[fired]->node);
    cases_[fired]->run_callback();
    return true;
  }
  if (fired == detail::parker::kBroken) detail::throw_broken(GL_OP_SELECT);
  return false;
}

} // namespace gridlock::inline GRIDLOCK_ABI
