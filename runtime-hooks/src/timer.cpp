#include <gridlock/detail/abi.hpp>
#include <gridlock/timer.hpp>

namespace gridlock::inline GRIDLOCK_ABI {

namespace detail {

void channel_timer::fire(clock::time_point now) {
  std::lock_guard lk(core_->mutex());
  time_point v = now;
  (void)core_->try_send_locked(v); // full: the value is dropped, as Go drops a tick
}

void func_timer::fire(clock::time_point) { gridlock::thread(name_, f_).detach(); }

std::shared_ptr<channel_timer> make_channel_timer(std::string_view name, const char *what,
                                                  timer_wheel::clock::duration period,
                                                  const std::source_location &where) {
  auto core = std::make_shared<chan_core<time_point>>(
      1, false, name.empty() ? default_name(what, where) : std::string(name), "timer");
  return std::make_shared<channel_timer>(std::move(core), period);
}

} // namespace detail

timer after_func_timer(std::shared_ptr<detail::timer_entry> e) { return timer(std::move(e)); }

} // namespace gridlock::inline GRIDLOCK_ABI
