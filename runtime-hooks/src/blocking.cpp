#include <gridlock/detail/abi.hpp>
#include <gridlock/detail/blocking.hpp>
#include <gridlock/errors.hpp>

#include <string>

namespace gridlock::inline GRIDLOCK_ABI::detail {

void throw_broken(gl_op op) {
#ifdef GRIDLOCK_DISABLE
  (void)op; // no detector, so no wait is ever broken
  throw deadlock_error("gridlock: deadlock detected");
#else
  throw deadlock_error(std::string("gridlock: deadlock detected; this ") + gl_op_name(op) +
                       " was chosen as the victim to break it (on_deadlock=break)");
#endif
}

std::string file_and_line(const char *file, unsigned line) {
  std::string name = file;
  if (const auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
  return name + ":" + std::to_string(line);
}

std::string default_name(const char *what, const std::source_location &where) {
  return std::string(what) + " at " + file_and_line(where.file_name(), where.line());
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
