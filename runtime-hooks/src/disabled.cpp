// What a GRIDLOCK_DISABLE build of libgridlock has instead of the runtime (wait graph, detector,
// reports): the few functions the primitives and the public API call, doing nothing. Options are
// still checked, so a bad one is an error in both builds.
#include <gridlock/detail/fairness.hpp>
#include <gridlock/findings.hpp>
#include <gridlock/options.hpp>

#include "options.hpp"

#ifndef GRIDLOCK_DISABLE
#error "disabled.cpp is the GRIDLOCK_DISABLE build's runtime"
#endif

namespace gridlock::inline GRIDLOCK_ABI {
namespace detail {
fairness_settings fairness() noexcept { return {}; }
void report_starved_message(const starved_message &) {}
} // namespace detail

void configure(std::string_view text) {
  detail::options unused;
  detail::parse_options(text, unused); // throws std::invalid_argument on a bad option
}
void on_finding(std::function<void(const finding_summary &)>) {}
std::size_t report_leaks_now() { return 0; }
} // namespace gridlock::inline GRIDLOCK_ABI
