// Test support: run a program as a child process with arguments and extra environment, capture
// its output, and kill it if it runs longer than a generous deadline.
#pragma once

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace gridlock::testing {

struct process_result {
  bool exited = false;
  int status = -1; // exit status, or the signal when !exited
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path &p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// `env` entries ("KEY=value") replace variables of the same name. If `enough` is given and
// returns true while the child runs (polled every 10 ms), the child is killed (SIGKILL): it
// has shown what the caller waited for, e.g. a report of a deadlock that keeps it stuck.
inline process_result run_process(const std::vector<std::string> &argv,
                                  const std::vector<std::string> &env = {},
                                  std::chrono::seconds deadline = std::chrono::seconds(120),
                                  const std::function<bool()> &enough = {}) {
  const temp_dir dir("proc"); // the child's stdout and stderr
  std::vector<std::string> env_strings = env;
  for (char **e = environ; *e; ++e) {
    const std::string var(*e);
    const auto key = var.substr(0, var.find('=') + 1);
    const bool replaced = std::any_of(env.begin(), env.end(),
                                      [&](const std::string &x) { return x.rfind(key, 0) == 0; });
    if (!replaced) env_strings.push_back(var);
  }
  std::vector<char *> envp, args;
  for (auto &s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto &s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, (dir / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&fa, 2, (dir / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  pid_t pid;
  process_result r;
  if (posix_spawn(&pid, args[0], &fa, nullptr, args.data(), envp.data()) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    ADD_FAILURE() << "cannot start " << argv[0];
    return r;
  }
  posix_spawn_file_actions_destroy(&fa);
  int wstatus = 0;
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (::waitpid(pid, &wstatus, WNOHANG) == 0) {
    if (enough && enough()) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &wstatus, 0);
      break;
    }
    if (std::chrono::steady_clock::now() > until) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &wstatus, 0);
      ADD_FAILURE() << argv[0] << " did not finish within " << deadline.count() << " s";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  r.exited = WIFEXITED(wstatus);
  r.status = r.exited ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus);
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  return r;
}

} // namespace gridlock::testing
