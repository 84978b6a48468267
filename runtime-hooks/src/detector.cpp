#include "detector.hpp"

#include <gridlock/detail/abi.hpp>
#include <gridlock/detail/timer_wheel.hpp>

#include "crash_flush.hpp"
#include "flight_recorder.hpp"
#include "report_writer.hpp"
#include "runtime.hpp"
#include <gridlock/detail/runtime_scope.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <gridlock/detail/blocking.hpp>

namespace gridlock::inline GRIDLOCK_ABI::detail {
namespace {

// ThreadSanitizer runs a background thread of its own in every process it instruments.
#if defined(__SANITIZE_THREAD__)
constexpr std::size_t kToolThreads = 1;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr std::size_t kToolThreads = 1;
#else
constexpr std::size_t kToolThreads = 0;
#endif
#else
constexpr std::size_t kToolThreads = 0;
#endif

// Threads of this process that are not actors may exist (the detector thread excepted)?
// Unknown (no /proc) counts as yes: it only makes verdicts more careful.
std::size_t process_threads() {
  DIR *d = ::opendir("/proc/self/task");
  if (!d) return SIZE_MAX;
  std::size_t n = 0;
  while (const dirent *e = ::readdir(d))
    if (e->d_name[0] != '.') ++n;
  ::closedir(d);
  return n > kToolThreads ? n - kToolThreads : n;
}

std::int64_t ms_between(clock::time_point a, clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

// Collects, under the graph lock, what a report needs about a set of blocked actors.
class finding_builder {
public:
  finding_builder(const wait_graph &g, clock::time_point now) : g_(g), now_(now) {}

  report::finding build(const char *kind, const std::vector<gl_actor_id> &members,
                        const std::vector<gl_actor_id> &cycle, bool definite) {
    report::finding f;
    f.kind = kind;
    f.certainty = definite ? "definite" : "probable";
    for (gl_actor_id a : cycle) f.cycle.push_back(name(a));
    for (std::size_t i = 0; i < members.size(); ++i) {
      const gl_actor_id next = i < cycle.size() ? cycle[(i + 1) % cycle.size()] : 0;
      f.actors.push_back(entry(members[i], next, members, f.resources));
    }
    if (gl_trace_on()) { // on the trace's time line: when the last wait began, and now
      clock::time_point closed{};
      for (gl_actor_id a : cycle.empty() ? members : cycle)
        closed = std::max(closed, g_.actor(a)->wait->since);
      f.closed_us = flight_recorder::get().micros(closed);
      f.detected_us = flight_recorder::get().micros(now_);
    }
    return f;
  }

  // ", unless 'main' uses its unused copy of the receive end of 'x' or ...": a probable
  // deadlock's way out.
  std::string unless(const std::vector<unused_copy> &copies) const {
    std::string s;
    for (const unused_copy &u : copies)
      s += (s.empty() ? ", unless " : " or ") + ("'" + name(u.holder) + "' uses its ") + copy_of(u);
    return s;
  }

private:
  std::string name(gl_actor_id a) const { return g_.name_of(a); }

  std::string copy_of(const unused_copy &u) const {
    const resource_info *r = g_.resource(u.resource);
    return std::string("unused copy of the ") + (u.end == GL_END_SEND ? "send" : "receive") +
           " end of '" + (r ? r->name : "?") + "'";
  }

  // What an actor is doing now, for a sentence: "blocked in thread join on 'A'", "running".
  std::string doing(gl_actor_id a) const {
    const actor_info *info = g_.actor(a);
    const gl_wait *w = info ? info->wait : nullptr;
    if (!w || w->released.load(std::memory_order_acquire)) return "running";
    const std::string on = resources_of(*w, nullptr);
    return std::string(w->timed ? "in a timed " : "blocked in ") + gl_op_name(w->op) +
           (on.empty() ? "" : " on '" + on + "'");
  }

  // "'main' also holds an unused copy of the receive end of 'x'; it is blocked in ...": the
  // holders that could release a wait had they used their handle ("holds" when nobody else
  // could).
  std::string unused_copies_note(const std::vector<unused_copy> &copies, bool others) const {
    std::string note;
    const char *holds = others ? "' also holds an " : "' holds an ";
    for (const unused_copy &u : copies)
      note += (note.empty() ? "" : " ") + ("'" + name(u.holder) + holds) + copy_of(u) + "; it is " +
              doing(u.holder) + ".";
    return note;
  }

  // Why nobody left can release a wait, where the primitive says more than "nobody": a lost
  // wake-up (semaphore, condition variable), a lost cancel function, a spent timer.
  std::string nobody_left(const gl_wait &w, const std::string &resource) const {
    if (w.op == GL_OP_COND_WAIT)
      return "lost wake-up: no live actor has ever notified '" + resource + "'.";
    if (w.op == GL_OP_ACQUIRE)
      return "lost wake-up: no live actor has ever released '" + resource + "'.";
    for (const gl_target &t : w.targets) {
      const resource_info *r = g_.resource(t.resource);
      if (!r) continue;
      if (t.kind == GL_TARGET_OWNER || t.kind == GL_TARGET_ALL_HOLDERS) {
        if (const gl_actor_id owner = g_.owner_of(*r); owner != 0 && !g_.actor(owner))
          return "'" + name(owner) + "' holds '" + r->name +
                 "' and has exited: it will never unlock it.";
        if (t.kind == GL_TARGET_ALL_HOLDERS && r->exited_shared_count() != 0)
          return "'" + name(r->extra->exited_shared_holders.front()) + "' took a read lock on '" +
                 r->name + "' and has exited without releasing it.";
        continue;
      }
      // A holder gridlock cannot name (a pending timer, a deadline): nothing to explain.
      if (t.kind != GL_TARGET_HOLDERS || r->unknown[t.end] > 0) continue;
      if (std::string_view(r->kind) == "context")
        return "cancel function lost: no live actor holds a cancel function of context '" +
               r->name + "' or of a context it derives from, and no deadline is pending.";
      if (std::string_view(r->kind) == "timer")
        return "timer '" + r->name +
               "' is stopped or has fired and its value was taken: "
               "nothing will be sent on its channel again.";
    }
    return "";
  }

  void add_resource(std::vector<report::resource_entry> &out, report::resource_entry r) const {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const auto &x) {
      return x.name == r.name && x.kind == r.kind;
    });
    if (!seen) out.push_back(std::move(r));
  }

  // The resource a target names ("" for none), added to `res` when given.
  std::string resource_of(const gl_target &t, std::vector<report::resource_entry> *res) const {
    if (t.kind == GL_TARGET_ACTOR && t.resource == 0) { // join
      if (res) add_resource(*res, {name(t.actor), "thread", std::nullopt});
      return name(t.actor);
    }
    const resource_info *r = g_.resource(t.resource);
    if (!r) return "";
    std::optional<std::int64_t> cap;
    if (std::string_view(r->kind) == "channel" && r->capacity >= 0) cap = r->capacity;
    if (res) add_resource(*res, {r->name, r->kind, cap});
    return r->name;
  }

  // The resources a wait names, "a | b" ("" for none), added to `res` when given.
  std::string resources_of(const gl_wait &w, std::vector<report::resource_entry> *res) const {
    std::string all;
    std::vector<std::string> seen;
    for (const gl_target &t : w.targets)
      if (std::string r = resource_of(t, res);
          !r.empty() && std::find(seen.begin(), seen.end(), r) == seen.end()) {
        all += (all.empty() ? "" : " | ") + r;
        seen.push_back(std::move(r));
      }
    return all;
  }

  report::actor_entry entry(gl_actor_id a, gl_actor_id next,
                            const std::vector<gl_actor_id> &members,
                            std::vector<report::resource_entry> &res) const {
    const gl_wait &w = *g_.actor(a)->wait;
    report::actor_entry e;
    e.name = name(a);
    e.op = gl_op_name(w.op);
    e.resource = resources_of(w, &res);
    e.where = to_location(w.where);
    e.waited_ms = ms_between(w.since, now_);
    e.mode = w.all ? "all" : "any";
    // The next actor of the cycle first, then every other stuck actor that could release it,
    // holders of unused copies last.
    std::vector<gl_actor_id> could = g_.releasers(a);
    const std::vector<unused_copy> copies = g_.unused_copies(a);
    e.note = could.empty() && copies.empty() ? nobody_left(w, e.resource)
                                             : unused_copies_note(copies, !could.empty());
    for (const unused_copy &u : copies) could.push_back(u.holder);
    if (next) e.waits_for.push_back(name(next));
    for (gl_actor_id r : could)
      if (std::find(members.begin(), members.end(), r) != members.end() &&
          std::find(e.waits_for.begin(), e.waits_for.end(), name(r)) == e.waits_for.end())
        e.waits_for.push_back(name(r));
    return e;
  }

  const wait_graph &g_;
  clock::time_point now_;
};

std::string cycle_summary(const report::finding &f, bool global) {
  std::string s;
  if (f.cycle.size() == 1) {
    s = "1 actor waits for itself: " + f.cycle.front() + " -> " + f.cycle.front();
  } else if (!f.cycle.empty()) {
    s = std::to_string(f.cycle.size()) + " actors wait for each other in a cycle: ";
    for (const auto &n : f.cycle) s += n + " -> ";
    s += f.cycle.front();
  } else {
    s = std::to_string(f.actors.size()) + " actor" + (f.actors.size() > 1 ? "s wait" : " waits") +
        " for something no live actor can do";
    if (std::any_of(f.actors.begin(), f.actors.end(),
                    [](const auto &a) { return a.note.starts_with("lost wake-up"); }))
      s += " (a lost wake-up)";
  }
  if (global) s += "; every actor of the process is blocked";
  return s;
}

} // namespace

namespace {

std::string describe_wait(const report::actor_entry &a) {
  return a.op + (a.resource.empty() ? "" : " on '" + a.resource + "'");
}

// A starvation finding for wait w (graph lock held).
report::finding starvation_finding(finding_builder &builder, const wait_graph &g, const gl_wait &w,
                                   std::uint64_t bypass) {
  report::finding f = builder.build("starvation", {w.actor}, {}, true);
  f.bypass_count = static_cast<std::int64_t>(bypass);
  for (gl_actor_id a : g.served_instead_of(w)) f.served_instead.push_back(g.name_of(a));
  report::actor_entry &a = f.actors.front();
  const bool from_actor = w.op == GL_OP_RECEIVE_FROM && !w.targets.empty();
  if (from_actor) a.waits_for = {g.name_of(w.targets[0].actor)};
  f.summary =
      "'" + a.name + "' waited " + std::to_string(a.waited_ms) + " ms in " + describe_wait(a) +
      (from_actor ? " for a message from '" + a.waits_for.front() + "', which served others "
                  : " while others were served ") +
      std::to_string(bypass) + " times";
  f.action = "reported";
  return f;
}

} // namespace

void detector::check_starvation(const options &opt, outcome &out) {
  wait_graph &g = rt_.graph();
  const clock::time_point now = clock::now();
  const auto limit = std::chrono::milliseconds(opt.starvation_ms);
  finding_builder builder(g, now);
  for (gl_actor_id a : g.blocked_actors()) {
    gl_wait &w = *g.actor(a)->wait;
    if (w.starvation_finding || now - w.since < limit) continue;
    const std::uint64_t bypass = std::max(w.bypass_seen, g.bypass_of(w));
    w.bypass_seen = bypass;
    if (bypass < static_cast<std::uint64_t>(opt.starvation_bypass)) continue;
    out.report.findings.push_back(starvation_finding(builder, g, w, bypass));
    w.starvation_finding = out.report.findings.back().id = next_id();
  }
}

void detector::starvation_ended(const gl_wait &w) {
  const wait_graph &g = rt_.graph();
  finding_builder builder(g, clock::now());
  report::finding f = starvation_finding(builder, g, w, std::max(w.bypass_seen, g.bypass_of(w)));
  const std::string waited = std::to_string(f.actors.front().waited_ms);
  f.summary = "ended: '" + f.actors.front().name + "' " +
              (w.broken ? "was broken out of its wait after " + waited + " ms"
                        : "was served after " + waited + " ms (" + std::to_string(*f.bypass_count) +
                              " others served first)");
  f.action = w.broken ? "ended (broken)" : "ended";
  f.id = next_id();
  f.after = w.starvation_finding;
  f.after_why = "the starvation ended";
  queued_.push_back(std::move(f));
}

void detector::queue(report::finding f) {
  f.id = next_id();
  queued_.push_back(std::move(f));
  ensure_started();
}

void detector::report_message(const starved_message &m) {
  report::finding f;
  f.kind = "starvation";
  f.certainty = "definite";
  f.bypass_count = static_cast<std::int64_t>(m.bypass);
  report::actor_entry a;
  a.op = "mailbox post";
  a.resource = m.mailbox;
  a.where = to_location(to_gl(m.where));
  a.waited_ms = m.age.count();
  {
    auto lk = rt_.lock_graph();
    const wait_graph &g = rt_.graph();
    a.name = g.name_of(m.source);
    for (gl_actor_id id : m.served_instead) f.served_instead.push_back(g.name_of(id));
    f.id = next_id();
  }
  const std::string what = "a priority-" + std::to_string(m.priority) + " message from '" + a.name +
                           "' in mailbox '" + m.mailbox + "'";
  f.summary = m.ended ? "ended: " + what + " was received after " + std::to_string(m.age.count()) +
                            " ms (" + std::to_string(m.bypass) + " others served first)"
                      : what + " waited " + std::to_string(m.age.count()) + " ms while " +
                            std::to_string(m.bypass) + " others were served";
  f.action = m.ended ? "ended" : "reported";
  f.actors.push_back(std::move(a));
  f.resources.push_back({m.mailbox, "mailbox", std::nullopt});
  report::report r;
  r.findings.push_back(std::move(f));
  write_report(rt_.current_options(), std::move(r));
}

void detector::ensure_started() {
  if (started_) return;
  started_ = true;
  ensure_crash_reporter();
  std::thread t = internal_thread([this] { loop(); });
  thread_ = t.get_id();
  t.detach();
}

void detector::loop() {
  for (;;) {
    const options opt = rt_.current_options();
    const std::size_t threads = process_threads(); // outside the lock: it reads /proc
    outcome out;
    if (!next_check(opt, threads, out)) continue;
    act(opt, out);
    auto lk = rt_.lock_graph();
    --acting_;
    rt_.graph_changed().notify_all();
  }
}

// Sleeps until the next check is due, then runs it under the graph lock. True if it found
// something to report.
bool detector::next_check(const options &opt, std::size_t threads, outcome &out) {
  auto lk = rt_.lock_graph();
  wait_graph &g = rt_.graph();
  if (exiting_) rt_.graph_changed().wait(lk, [] { return false; }); // until the process is gone
  if (g.blocked_count() == 0 && queued_.empty()) {
    idle_ = true;
    rt_.graph_changed().wait(lk, [&] { return g.blocked_count() > 0 || !queued_.empty(); });
    idle_ = false;
    return false; // re-read options and threads before the first check
  }
  // A deadlock too young to report is due at a known time; otherwise poll at half the delay.
  // Starvation epilogues waiting to be reported skip the sleep.
  if (queued_.empty()) {
    if (due_)
      rt_.graph_changed().wait_until(lk, *due_);
    else
      rt_.graph_changed().wait_for(lk,
                                   std::chrono::milliseconds(std::max(1, opt.detect_delay_ms / 2)));
    // Findings queued meanwhile are written with the options as they are now (a report_dir
    // configured while this thread slept), not as they were when it went to sleep.
    if (!queued_.empty()) return false;
  }
  if (exiting_) return false;
  const bool untracked = this->untracked(threads);
  // Deadlocks: only when the graph or the set of threads changed, or one became old enough.
  const bool due = due_ && clock::now() >= *due_;
  const std::size_t actors = g.actor_count(), blocked = g.blocked_count();
  if (g.version() != checked_version_ || untracked != checked_untracked_ || due) {
    checked_version_ = g.version();
    checked_untracked_ = untracked;
    due_ = check(opt, untracked, out);
  }
  // Starvation: ages and bypass counts grow without the graph changing, so at every tick.
  check_starvation(opt, out);
  for (auto &f : queued_) out.report.findings.push_back(std::move(f));
  queued_.clear();
  if (!out.report.findings.empty()) ++acting_; // until act() is done: at_exit waits for it
  lk.unlock();
  if (opt.verbosity >= 2)
    std::fprintf(
        stderr, "gridlock: check: %zu actors, %zu blocked, %zu threads%s, %zu new findings\n",
        actors, blocked, threads, untracked ? " (some untracked)" : "", out.report.findings.size());
  return !out.report.findings.empty();
}

// Outside every lock: report, then abort or wake the victims.
void detector::act(const options &opt, const outcome &out) {
  write_report(opt, out.report);
  if (out.definite && opt.on_deadlock == on_deadlock_action::abort) {
    std::fputs("gridlock: aborting (on_deadlock=abort)\n", stderr);
    crash_flush_not_needed();
    std::abort();
  }
  for (gl_wait_t w : out.victims) {
    w->wake(w->wake_ctx);
    auto lk = rt_.lock_graph();
    w->waking = false;
    rt_.graph_changed().notify_all();
  }
}

// The detector's, the crash reporter's and the timer threads are not actors; any other thread that
// is not one is untracked.
bool detector::untracked(std::size_t threads) const {
  return threads == SIZE_MAX ||
         threads > rt_.graph().actor_count() + 1 + crash_flush_threads() + timer_wheel::threads();
}

std::optional<clock::time_point> detector::check(const options &opt, bool untracked, outcome &out) {
  wait_graph &g = rt_.graph();
  std::optional<clock::time_point> due;
  const clock::time_point now = clock::now();
  const auto min_age = std::chrono::milliseconds(opt.detect_delay_ms);
  finding_builder builder(g, now);
  for (const deadlock_group &grp : deadlocks(untracked)) {
    const auto &key = grp.cycle.empty() ? grp.members : grp.cycle;
    auto wait_of = [&](gl_actor_id a) { return g.actor(a)->wait; };
    clock::time_point youngest{};
    for (gl_actor_id a : key) youngest = std::max(youngest, wait_of(a)->since);
    if (now - youngest < min_age) { // report it once it is old enough
      due = std::min(due.value_or(clock::time_point::max()), youngest + min_age);
      continue;
    }
    // Reported once: a deadlock is its cycle's waits (or, without a cycle, its members' waits);
    // actors joining it later do not make it new, a different set of stuck waits does. Once
    // more only if a probable verdict became definite.
    std::vector<std::uint64_t> seqs;
    for (gl_actor_id a : key) seqs.push_back(wait_of(a)->seq);
    std::sort(seqs.begin(), seqs.end());
    auto [seen, fresh] = reported_keys_.try_emplace(std::move(seqs));
    if (!fresh && (seen->second.definite || !grp.definite)) continue;
    const std::int64_t was_probable = seen->second.finding; // 0 when fresh
    for (gl_actor_id a : grp.members) reported_waits_.insert(wait_of(a)->seq);

    report::finding f = builder.build("deadlock", grp.members, grp.cycle, grp.definite);
    f.summary = cycle_summary(f, grp.global) + builder.unless(grp.unless);
    f.id = next_id();
    seen->second = {f.id, grp.definite};
    link_to_cause(f, grp.members);
    if (was_probable) {
      f.after = was_probable;
      f.after_why = "the probable deadlock became definite";
    }
    f.action = "reported";
    if (grp.definite && opt.on_deadlock == on_deadlock_action::abort)
      f.action = "aborted the process";
    if (grp.definite && opt.on_deadlock == on_deadlock_action::brk) {
      // The victim: the youngest breakable wait of the cycle (else of the members).
      gl_wait *victim_wait = nullptr;
      for (gl_actor_id a : key)
        if (gl_wait *w = wait_of(a); w->wake && (!victim_wait || w->seq > victim_wait->seq))
          victim_wait = w;
      if (victim_wait) {
        victim_wait->waking = true;
        victim_wait->broken = true;
        out.victims.push_back(victim_wait);
        const std::string &victim = g.actor(victim_wait->actor)->name;
        f.action = "broke the wait of '" + victim + "' (deadlock_error)";
        remember_break(f.id, victim, grp.members, victim_wait->seq);
      }
    }
    out.definite = out.definite || grp.definite;
    out.report.findings.push_back(std::move(f));
  }
  return due;
}

// A deadlock found too young is usually reported by the next check, at the moment it becomes
// old enough, in a graph that has not changed since: its analysis is reused then (on a graph of
// 10,000 actors it is most of the report's latency). A wait released since (lock-free, without a
// new version) makes it analyse again.
const std::vector<deadlock_group> &detector::deadlocks(bool untracked) {
  const wait_graph &g = rt_.graph();
  const auto still_blocked = [&](const deadlock_group &grp) {
    return std::all_of(grp.members.begin(), grp.members.end(), [&](gl_actor_id a) {
      const actor_info *info = g.actor(a);
      return info && info->wait && !info->wait->released.load(std::memory_order_acquire);
    });
  };
  const bool reuse = analysed_ && analysed_->version == g.version() &&
                     analysed_->untracked == untracked &&
                     std::all_of(analysed_->groups.begin(), analysed_->groups.end(), still_blocked);
  if (!reuse) analysed_ = analysis{g.version(), untracked, g.find_deadlocks(untracked)};
  return analysed_->groups;
}

void detector::remember_break(std::int64_t finding, const std::string &victim,
                              const std::vector<gl_actor_id> &members, std::uint64_t victim_seq) {
  broken waits{finding, "after breaking '" + victim + "'", {}};
  for (gl_actor_id a : members)
    if (const std::uint64_t seq = rt_.graph().actor(a)->wait->seq; seq != victim_seq)
      waits.stuck.insert(seq);
  if (breaks_.size() == kBreaksKept) breaks_.erase(breaks_.begin());
  breaks_.push_back(std::move(waits));
}

void detector::link_to_cause(report::finding &f, const std::vector<gl_actor_id> &members) const {
  for (auto b = breaks_.rbegin(); b != breaks_.rend(); ++b)
    for (gl_actor_id a : members)
      if (b->stuck.count(rt_.graph().actor(a)->wait->seq)) {
        f.after = b->finding;
        f.after_why = b->why;
        return;
      }
}

std::size_t detector::report_leaks(const char *when) {
  const options opt = rt_.current_options();
  if (!opt.report_leaks) return 0;
  report::report r;
  std::size_t count = 0;
  {
    auto lk = rt_.lock_graph();
    std::vector<gl_actor_id> leaked;
    for (gl_actor_id a : rt_.graph().blocked_actors())
      if (reported_waits_.insert(rt_.graph().actor(a)->wait->seq).second) leaked.push_back(a);
    if (leaked.empty()) return 0;
    report::finding f = finding_builder(rt_.graph(), clock::now()).build("leak", leaked, {}, true);
    count = leaked.size();
    f.summary = std::to_string(count) + " actor" + (count > 1 ? "s were" : " was") +
                " still blocked " + when;
    f.action = "reported";
    f.id = next_id();
    r.findings.push_back(std::move(f));
  }
  write_report(opt, r);
  return count;
}

namespace {
// The graph lock for a crash report, tried for a second: other threads hold it for microseconds;
// the crashing thread, if it holds it, never lets go.
runtime::graph_lock try_lock_graph_for_a_second(runtime &rt) {
  auto lk = rt.try_lock_graph();
  for (int i = 0; i < 1000 && !lk.owns_lock(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    lk = rt.try_lock_graph();
  }
  return lk;
}
} // namespace

// What the detector would have reported had the process lived: deadlocks not yet
// detect_delay_ms old (nothing is broken now) and starvation epilogues.
std::vector<report::finding> detector::unreported(const options &opt, std::size_t threads) {
  options now = opt;
  now.detect_delay_ms = 0;
  now.on_deadlock = on_deadlock_action::report;
  outcome found;
  check(now, untracked(threads), found);
  for (auto &f : queued_) found.report.findings.push_back(std::move(f));
  queued_.clear();
  return std::move(found.report.findings);
}

void detector::report_crash(const char *why) {
  const options opt = rt_.current_options();
  const std::size_t threads = process_threads();
  report::report r;
  {
    auto lk = try_lock_graph_for_a_second(rt_);
    std::vector<gl_actor_id> blocked;
    if (lk.owns_lock()) {
      blocked = rt_.graph().blocked_actors();
      r.findings = unreported(opt, threads);
    }
    report::finding f =
        finding_builder(rt_.graph(), clock::now()).build("crash", blocked, {}, true);
    if (lk.owns_lock()) f.id = next_id();
    f.summary = std::string("the process died: ") + why + "; " +
                (lk.owns_lock() ? std::to_string(blocked.size()) + " actor" +
                                      (blocked.size() == 1 ? " was" : "s were") + " blocked"
                                : "the blocked actors are unknown (the crash was inside gridlock)");
    f.action = "reported as the process died";
    r.findings.push_back(std::move(f));
  }
  write_report(opt, std::move(r));
}

void detector::at_exit() {
  { // A report being written now, and starvation epilogues queued for the detector thread, are
    // written first (each HTML page and the index too), at most 10 s (not when this is the
    // detector thread itself, exiting from a finding handler).
    auto lk = rt_.lock_graph();
    if (started_ && std::this_thread::get_id() != thread_)
      rt_.graph_changed().wait_for(lk, std::chrono::seconds(10),
                                   [&] { return acting_ == 0 && queued_.empty(); });
    exiting_ = true;
  }
  report_leaks("when the program exited");
  const options opt = rt_.current_options();
  auto lk = rt_.lock_graph();
  if (findings_ > 0 && opt.exitcode != 0) {
    lk.unlock();
    std::fflush(nullptr);
    std::_Exit(opt.exitcode);
  }
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
