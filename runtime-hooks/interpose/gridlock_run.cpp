// gridlock-run: runs a program with libgridlock-preload.so preloaded, so its pthread mutexes,
// rwlocks, joins, condition variables, semaphores and barriers are watched for deadlocks.
//
//   gridlock-run [key=value ...] [--] program [args...]
//
// Each key=value is a gridlock option (GRIDLOCK_OPTIONS' syntax; the same checks): they are
// appended to GRIDLOCK_OPTIONS, so they win over the environment's. The library is taken from
// GRIDLOCK_PRELOAD if set, else found beside this executable or in ../lib. Exit status: the
// program's; 2 for a bad option or a missing library, 127 when the program cannot be run.
#include "../src/options.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr const char *kLibrary = "libgridlock-preload.so";

[[noreturn]] void fail(const std::string &message, int status = 2) {
  std::fprintf(stderr, "gridlock-run: error: %s\n", message.c_str());
  std::exit(status);
}

void usage() {
  std::fputs("usage: gridlock-run [key=value ...] [--] program [args...]\n"
             "Runs program with libgridlock-preload.so preloaded: deadlocks among its threads\n"
             "(mutexes, rwlocks, joins, condition variables, semaphores, barriers) are reported.\n"
             "Options are gridlock's (GRIDLOCK_OPTIONS); gridlock-run help=1 lists them.\n",
             stdout);
}

fs::path preload_library() {
  if (const char *given = std::getenv("GRIDLOCK_PRELOAD"); given && *given) {
    if (!fs::exists(given)) fail(std::string("GRIDLOCK_PRELOAD: no such file: ") + given);
    return fs::absolute(given);
  }
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) fail("cannot find this executable: " + ec.message());
  for (const fs::path &dir : {self.parent_path(), self.parent_path().parent_path() / "lib"})
    if (fs::exists(dir / kLibrary)) return dir / kLibrary;
  fail(std::string("cannot find ") + kLibrary + " beside " + self.string() +
       " or in ../lib (set GRIDLOCK_PRELOAD)");
}

// "a:b" joined with ':' or ' ', skipping empty parts.
std::string joined(const char *before, const std::string &added, char sep) {
  std::string out = before ? before : "";
  if (added.empty()) return out;
  if (!out.empty()) out += sep;
  return out + added;
}

} // namespace

int main(int argc, char **argv) {
  int i = 1;
  std::string options;
  for (; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg == "-h" || arg == "--help") {
      usage();
      return 0;
    }
    if (arg.starts_with("-")) fail("unknown option '" + std::string(arg) + "' (see --help)");
    if (arg.find('=') == std::string_view::npos) break; // the program
    options = joined(options.c_str(), std::string(arg), ':');
  }
  gridlock::detail::options checked;
  try {
    if (const char *env = std::getenv("GRIDLOCK_OPTIONS"))
      gridlock::detail::parse_options(env, checked);
    gridlock::detail::parse_options(options, checked);
  } catch (const std::invalid_argument &e) {
    fail(e.what());
  }
  if (checked.help) {
    std::fputs(gridlock::detail::options_help().c_str(), stdout);
    return 0;
  }
  if (i >= argc) fail("no program given (see --help)");
  const fs::path library = preload_library();
  ::setenv("GRIDLOCK_OPTIONS", joined(std::getenv("GRIDLOCK_OPTIONS"), options, ':').c_str(), 1);
  ::setenv("LD_PRELOAD", joined(std::getenv("LD_PRELOAD"), library.string(), ' ').c_str(), 1);
  ::execvp(argv[i], argv + i);
  fail(std::string("cannot run '") + argv[i] + "': " + std::strerror(errno), 127);
}
