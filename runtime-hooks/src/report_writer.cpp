#include "report_writer.hpp"
#include <gridlock/detail/abi.hpp>

#include "flight_recorder.hpp"
#include "runtime.hpp"

#include <gridlock/detail/futex.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace gridlock::inline GRIDLOCK_ABI::detail {
namespace {

futex_mutex
    writer_mu; // serializes whole reports so they never interleave; taken with no other lock
unsigned next_file = 1;
bool file_error_shown = false;

bool write_all(int fd, const std::string &s) {
  for (std::size_t done = 0; done < s.size();) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Writes `text` to a temporary file in `dir`, then links it as dir/gridlock.<pid>.<n>.<ext> for the
// first free n >= `n` (updated): atomic, and never replaces an existing file.
std::string publish(const std::string &dir, const std::string &ext, const std::string &text,
                    unsigned &n) {
  ::mkdir(dir.c_str(), 0777); // may exist already
  const std::string pid = std::to_string(::getpid());
  const std::string tmp = dir + "/.gridlock." + pid + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + tmp + ": " + std::strerror(errno));
  const bool ok = write_all(fd, text) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
  }
  for (;; ++n) {
    const std::string final = dir + "/gridlock." + pid + "." + std::to_string(n) + "." + ext;
    if (::link(tmp.c_str(), final.c_str()) == 0) {
      ::unlink(tmp.c_str());
      return final;
    }
    if (errno != EEXIST) {
      ::unlink(tmp.c_str());
      throw std::runtime_error("cannot create " + final + ": " + std::strerror(errno));
    }
  }
}

// Rewrites dir/index.html: every gridlock.*.json report in dir (of this and other processes),
// a row per finding, linking to its HTML page. The one file gridlock replaces: via a temporary and
// rename(), so a reader never sees half a page. Unreadable reports are skipped.
void write_index(const std::string &dir) {
  namespace fs = std::filesystem;
  std::vector<report::indexed_report> all;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!report::is_report_json(name)) continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    try {
      report::indexed_report x{"", name, report::from_json(text.str())};
      const fs::path html = fs::path(entry.path()).replace_extension(".html");
      if (fs::exists(html, ec)) x.html_file = html.filename().string();
      all.push_back(std::move(x));
    } catch (const std::exception &) {
      // not a report of ours (or being written by another process): left out
    }
  }
  std::sort(all.begin(), all.end(),
            [](const auto &a, const auto &b) { return a.json_file < b.json_file; });
  const std::string tmp = dir + "/.index." + std::to_string(::getpid()) + ".tmp";
  {
    std::ofstream out(tmp);
    out << report::to_html_index(all, "gridlock reports in " + dir);
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  if (::rename(tmp.c_str(), (dir + "/index.html").c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot create " + dir + "/index.html: " + std::strerror(errno));
  }
}

// The terminal report: stderr, or <log_path>.<pid> (appended; opened per report, never kept open).
void write_text(const options &opt, const std::string &text) {
  if (opt.log_path.empty()) {
    write_all(STDERR_FILENO, text);
    return;
  }
  const std::string path = opt.log_path + "." + std::to_string(::getpid());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0 || !write_all(fd, text)) {
    if (!file_error_shown)
      std::fprintf(stderr, "gridlock: error: cannot write %s: %s\n", path.c_str(),
                   std::strerror(errno));
    file_error_shown = true;
    write_all(STDERR_FILENO, text);
  }
  if (fd >= 0) ::close(fd);
}

std::string program_name() {
  return program_invocation_short_name ? program_invocation_short_name : "";
}

futex_mutex handler_mu; // guards `handler` only; never held while calling it
std::shared_ptr<std::function<void(const finding_summary &)>> handler;

void notify(const report::report &r) {
  std::shared_ptr<std::function<void(const finding_summary &)>> h;
  {
    std::lock_guard lk(handler_mu);
    h = handler;
  }
  if (!h) return;
  for (const auto &f : r.findings) {
    finding_summary s{f.kind, f.certainty, f.summary, "", 0};
    if (!f.actors.empty())
      s.file = f.actors.front().where.file, s.line = f.actors.front().where.line;
    (*h)(s);
  }
}

// What a report carries besides its findings: the flight recorder's events (trace=1) and, for
// the files a reader opens later, the source lines of each location.
void complete(const options &opt, report::report &r) {
  r.program = program_name();
  r.pid = ::getpid();
  if (opt.trace) {
    std::set<std::string> involved;
    for (const auto &f : r.findings)
      for (const auto &a : f.actors) involved.insert(a.name);
    r.trace = flight_recorder::get().snapshot(involved, [](const std::set<gl_resource_id> &ids) {
      std::map<gl_resource_id, std::string> names;
      auto &rt = runtime::get();
      auto lk = rt.lock_graph();
      for (gl_resource_id id : ids)
        if (const resource_info *r = rt.graph().resource(id)) names.emplace(id, r->name);
      return names;
    });
  }
  if (!opt.report_dir.empty()) report::attach_source_context(r); // read before paths are cut
  report::strip_path_prefix(r, opt.strip_path_prefix);
}

} // namespace

report::location to_location(const gl_location &l) {
  if (!l.file) return {};
  return report::location::at(l.file, l.line, l.column, l.function ? l.function : "");
}

void set_finding_handler(std::function<void(const finding_summary &)> h) {
  std::lock_guard lk(handler_mu);
  handler =
      h ? std::make_shared<std::function<void(const finding_summary &)>>(std::move(h)) : nullptr;
}

void write_report(const options &opt, report::report r) {
  complete(opt, r);
  const report::render_options how{"gridlock", opt.strip_path_prefix};
  std::unique_lock lk(writer_mu);
  std::string where;
  if (!opt.report_dir.empty()) {
    try {
      unsigned n = next_file; // every file of one report shares its number
      for (const report::format *f : opt.formats) {
        if (f->extension.empty()) continue; // text: below
        const std::string file =
            publish(opt.report_dir, std::string(f->extension), f->render(r, how), n);
        where += (where.empty() ? "" : " and ") + file;
      }
      next_file = n + 1;
      if (opt.wants("html")) write_index(opt.report_dir);
    } catch (const std::exception &e) {
      if (!file_error_shown) std::fprintf(stderr, "gridlock: error: %s\n", e.what());
      file_error_shown = true;
    }
  }
  if (opt.wants("text")) {
    std::string text = report::find_format("text")->render(r, how);
    if (!where.empty()) text += "gridlock: report written to " + where + "\n";
    write_text(opt, text);
  }
  lk.unlock();
  notify(r);
}

void report_writer_before_fork() {
  writer_mu.lock();
  handler_mu.lock();
}

void report_writer_after_fork(bool in_child) {
  if (in_child) {
    next_file = 1;
    file_error_shown = false;
  }
  handler_mu.unlock();
  writer_mu.unlock();
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
