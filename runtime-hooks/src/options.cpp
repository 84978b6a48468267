#include "options.hpp"
#include <gridlock/detail/abi.hpp>

#include <gridlock/report/formats.hpp>

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace gridlock::inline GRIDLOCK_ABI::detail {
namespace {

// Program-supplied text quoted in an error, made printable so the error stays one line: control
// bytes and bytes >= 0x7f become \xNN; long text is cut.
std::string quoted(std::string_view s) {
  constexpr std::size_t kMax = 80;
  std::string out;
  for (const char c : s.substr(0, kMax)) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7f) {
      out += c;
    } else {
      static const char *hex = "0123456789abcdef";
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 15];
    }
  }
  if (s.size() > kMax) out += "...";
  return "'" + out + "'";
}

[[noreturn]] void bad_value(std::string_view key, std::string_view value, const char *expected) {
  throw std::invalid_argument("bad value " + quoted(value) + " for option " + quoted(key) +
                              " (expected " + expected + ")");
}

int integer(std::string_view key, std::string_view v, int lo, int hi) {
  int out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc{} || end != v.data() + v.size() || out < lo || out > hi)
    bad_value(key, v,
              ("an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]").c_str());
  return out;
}

bool boolean(std::string_view key, std::string_view v) {
  if (v == "1" || v == "true") return true;
  if (v == "0" || v == "false") return false;
  bad_value(key, v, "0 or 1");
}

void formats(std::string_view key, std::string_view v, options &o) {
  std::vector<const report::format *> chosen;
  while (!v.empty()) {
    const auto comma = v.find(',');
    const std::string_view name = v.substr(0, comma);
    const report::format *f = report::find_format(name);
    if (!f) bad_value(key, name, ("a list of " + report::format_names()).c_str());
    if (std::find(chosen.begin(), chosen.end(), f) == chosen.end()) chosen.push_back(f);
    v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
  }
  o.formats = std::move(chosen);
}

using setter = std::function<void(std::string_view key, std::string_view value, options &)>;

struct option_spec {
  setter set;
  const char *default_value;
  const char *help;
};

const std::map<std::string, option_spec, std::less<>> &specs() {
  static const std::map<std::string, option_spec, std::less<>> table{
      {"detect_delay_ms",
       {[](auto k, auto v, options &o) { o.detect_delay_ms = integer(k, v, 1, 3600000); }, "200",
        "a deadlock is reported once every wait of its cycle is this old"}},
      {"starvation_ms",
       {[](auto k, auto v, options &o) { o.starvation_ms = integer(k, v, 1, 86400000); }, "2000",
        "a wait or queued message this old may be starvation"}},
      {"starvation_bypass",
       {[](auto k, auto v, options &o) { o.starvation_bypass = integer(k, v, 1, 1 << 30); }, "100",
        "...if at least this many others were served meanwhile"}},
      {"on_deadlock",
       {[](auto k, auto v, options &o) {
          if (v == "report")
            o.on_deadlock = on_deadlock_action::report;
          else if (v == "abort")
            o.on_deadlock = on_deadlock_action::abort;
          else if (v == "break")
            o.on_deadlock = on_deadlock_action::brk;
          else
            bad_value(k, v, "report, abort or break");
        },
        "report",
        "report | abort (after the report is on disk) | break (deadlock_error in one victim)"}},
      {"aging",
       {[](auto k, auto v, options &o) { o.aging_ms = integer(k, v, 0, 86400000); }, "0",
        "priority mailboxes: one priority step per this many ms waited (0: off)"}},
      {"report_leaks",
       {[](auto k, auto v, options &o) { o.report_leaks = boolean(k, v); }, "1",
        "report actors still blocked when the program exits"}},
      {"interpose",
       {[](auto k, auto v, options &o) { o.interpose = boolean(k, v); }, "1",
        "record the program's own pthread mutexes, joins, condition variables, semaphores and "
        "barriers beside gridlock's primitives (read at start)"}},
      {"report_dir",
       {[](auto, auto v, options &o) { o.report_dir = std::string(v); }, "",
        "write gridlock.<pid>.<n>.json/.html there (atomically, never overwriting)"}},
      {"report_format",
       {[](auto k, auto v, options &o) { formats(k, v, o); }, "text,json",
        "text (stderr or log_path) and any of json, sarif, html, perfetto (files in report_dir)"}},
      {"strip_path_prefix",
       {[](auto, auto v, options &o) { o.strip_path_prefix = std::string(v); }, "",
        "print source paths relative to this directory (SARIF: relative to %SRCROOT%)"}},
      {"log_path",
       {[](auto, auto v, options &o) { o.log_path = std::string(v); }, "",
        "write the text report to <log_path>.<pid> instead of stderr"}},
      {"exitcode",
       {[](auto k, auto v, options &o) { o.exitcode = integer(k, v, 0, 255); }, "0",
        "exit status of a process that reported something (0: leave it unchanged)"}},
      {"trace",
       {[](auto k, auto v, options &o) { o.trace = boolean(k, v); }, "0",
        "flight recorder: each actor's last 128 events with Lamport and vector clocks, in "
        "reports"}},
      {"verbosity",
       {[](auto k, auto v, options &o) { o.verbosity = integer(k, v, 0, 3); }, "0",
        "2: one line per detector check on stderr"}},
      {"help",
       {[](auto k, auto v, options &o) { o.help = boolean(k, v); }, "0",
        "print every option with its default on stderr"}},
  };
  return table;
}

} // namespace

void parse_options(std::string_view text, options &o) {
  options next = o;
  while (!text.empty()) {
    const auto colon = text.find(':');
    const std::string_view item = text.substr(0, colon);
    text = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    const std::string_view key = item.substr(0, eq);
    if (eq == std::string_view::npos)
      throw std::invalid_argument("option " + quoted(key) + " has no value (expected key=value)");
    const auto it = specs().find(key);
    if (it == specs().end()) throw std::invalid_argument("unknown option " + quoted(key));
    it->second.set(key, item.substr(eq + 1), next);
  }
  o = next;
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail

namespace gridlock::inline GRIDLOCK_ABI::detail {

std::string options_help() {
  std::string out =
      "gridlock options (GRIDLOCK_OPTIONS=\"key=value:key=value\", or gridlock::configure):\n";
  for (const auto &[key, spec] : specs())
    out += "  " + key + "=" + (*spec.default_value ? spec.default_value : "(none)") + "\n      " +
           spec.help + "\n";
  return out;
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
