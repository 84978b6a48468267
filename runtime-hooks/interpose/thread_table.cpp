#include "thread_table.hpp"

namespace gridlock::interpose {

thread_table &thread_table::get() {
  static thread_table *table = new thread_table; // never destroyed: threads outlive statics
  return *table;
}

void thread_table::enter(pthread_t t, gl_actor_id a) {
  std::lock_guard lk(mu_);
  if (left_early_.erase(a) == 0) actors_[t] = a;
}

void thread_table::leave(pthread_t t, gl_actor_id a) {
  std::lock_guard lk(mu_);
  if (auto it = actors_.find(t); it != actors_.end() && it->second == a)
    actors_.erase(it);
  else
    left_early_.insert(a);
}

gl_actor_id thread_table::actor_of(pthread_t t) {
  std::lock_guard lk(mu_);
  auto it = actors_.find(t);
  return it == actors_.end() ? 0 : it->second;
}

void thread_table::keep_only(pthread_t t) {
  std::lock_guard lk(mu_);
  auto it = actors_.find(t);
  const gl_actor_id a = it == actors_.end() ? 0 : it->second;
  actors_.clear();
  left_early_.clear();
  if (a) actors_[t] = a;
}

} // namespace gridlock::interpose
