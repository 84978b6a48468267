#include <gridlock/detail/blocking.hpp>
#include <gridlock/errors.hpp>

#include <string>

namespace gridlock::detail {

void throw_broken(gl_op op) {
  throw deadlock_error(std::string("gridlock: deadlock detected; this ") + gl_op_name(op) +
                       " was chosen as the victim to break it (on_deadlock=break)");
}

std::string default_name(const char *what, const gridlock::source_location &where) {
  std::string file = where.file_name();
  if (const auto slash = file.rfind('/'); slash != std::string::npos) file.erase(0, slash + 1);
  return std::string(what) + " at " + file + ":" + std::to_string(where.line());
}

} // namespace gridlock::detail
