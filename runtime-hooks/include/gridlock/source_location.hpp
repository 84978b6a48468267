// gridlock::source_location: where a blocking call was made, for reports.
//
// It is std::source_location wherever the standard library provides it (GCC 11+, Clang 15+). Clang
// 14 with libstdc++ lacks the builtin std::source_location needs; there gridlock uses the older
// __builtin_FILE/LINE/FUNCTION/COLUMN with the same interface, so gridlock's headers (and the
// gridlock-check static checker, built on Clang 14) work with either compiler.
#pragma once

#if __has_include(<source_location>)
#include <source_location>
#endif

namespace gridlock {

#if defined(__cpp_lib_source_location)
using source_location = std::source_location;
#else
class source_location {
public:
  static constexpr source_location current(const char *file = __builtin_FILE(),
                                           const char *function = __builtin_FUNCTION(),
                                           unsigned line = __builtin_LINE(),
                                           unsigned column = __builtin_COLUMN()) noexcept {
    source_location l;
    l.file_ = file;
    l.function_ = function;
    l.line_ = line;
    l.column_ = column;
    return l;
  }
  constexpr source_location() noexcept = default;
  constexpr const char *file_name() const noexcept { return file_; }
  constexpr const char *function_name() const noexcept { return function_; }
  constexpr unsigned line() const noexcept { return line_; }
  constexpr unsigned column() const noexcept { return column_; }

private:
  const char *file_ = "";
  const char *function_ = "";
  unsigned line_ = 0;
  unsigned column_ = 0;
};
#endif

} // namespace gridlock
