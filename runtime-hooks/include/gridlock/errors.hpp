// Errors thrown by gridlock's primitives.
#pragma once

#include <stdexcept>
#include <string>
#include <system_error>

namespace gridlock {

// Thrown by a send on a channel that is closed, or whose receivers are all gone (a send that would
// otherwise block forever).
class channel_closed : public std::runtime_error {
public:
  channel_closed() : std::runtime_error("gridlock: send on a closed channel") {}
};

// Thrown from the blocking call of the victim the detector chose to break a definite deadlock
// (on_deadlock=break). code() is std::errc::resource_deadlock_would_occur. The operation did not
// happen: nothing was sent, received or locked.
class deadlock_error : public std::system_error {
public:
  explicit deadlock_error(const std::string &what)
      : std::system_error(std::make_error_code(std::errc::resource_deadlock_would_occur), what) {}
};

} // namespace gridlock
