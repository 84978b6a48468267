// mailbox<M>: process-addressed messaging, the seed's send(dest, &m) / receive(ANY, &m) model.
//
//   gridlock::mailbox<request> box("manager");   // owned by the creating thread
//   box.post(req, /*priority=*/1);                // from any actor: never blocks
//   box.send(req);                                // from any actor: blocks until the owner took it
//   gridlock::envelope<request> e = box.receive();      // owner only: any source
//   gridlock::envelope<request> r = box.receive_from(a); // owner only: only messages from actor a
//   auto acks = box.receive_all(replicas);        // owner only: one message from each replica
//
// Semantics
//   - The owner (the thread that constructed the mailbox) is the only receiver; receive() from
//     another thread throws std::logic_error.
//   - Messages are delivered highest priority first, FIFO within a priority (unfair by design: a
//     stream of high-priority messages starves low-priority ones). With aging (set_aging() or the
//     `aging` option, in ms per priority step) a waiting message's priority rises with its age.
//   - Starvation: when a queued message is older than starvation_ms and at least
//     starvation_bypass messages queued after it were received first, it is reported once
//     (kind "starvation": its sender, age, bypass count, who was served instead), and again
//     ("ended") when it is finally received.
//   - send() is synchronous: it returns once the owner has received the message. It has
//     priority 0.
//   - In the wait graph: receive() is an OR wait on every actor (anyone may post); receive_from(a)
//     waits for a alone; receive_all(s) waits for all of s (AND); send() waits for the owner.
//
// Cost: post() and a receive() that finds a message take the mailbox's own lock, allocate a queue
// entry, read the clock and bump two relaxed counters of the sender's actor; they never touch the
// wait graph. With messages of several priorities queued, a receive also checks the oldest message
// of each priority for starvation. A receive or send that blocks records one wait.
//
// Thread-safety: post() and send() from any thread; receive*() from the owner only.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/actor.hpp>
#include <gridlock/detail/blocking.hpp>
#include <gridlock/detail/fairness.hpp>
#include <gridlock/detail/lock_order.hpp>
#include <gridlock/detail/self.hpp>
#include <gridlock/errors.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gridlock::inline GRIDLOCK_ABI {

template <class M> struct envelope {
  actor_id source = 0; // the actor that posted or sent the message
  M message;
};

template <class M> class mailbox {
public:
  explicit mailbox(std::string_view name = {},
                   std::source_location where = std::source_location::current())
      : name_(name.empty() ? detail::default_name("mailbox", where) : std::string(name)),
        owner_(gl_actor_self()), res_(gl_resource_create("mailbox", name_.c_str(), -1)) {}
  ~mailbox() { gl_resource_destroy(res_); }
  mailbox(const mailbox &) = delete;
  mailbox &operator=(const mailbox &) = delete;

  actor_id owner() const noexcept { return owner_; }
  const std::string &name() const noexcept { return name_; }

  // Queues m; never blocks.
  void post(M m, int priority = 0, std::source_location where = std::source_location::current()) {
    std::unique_lock lk(mu_);
    if (detail::waiter_node *owner =
            deliver_or_queue(make_entry(std::move(m), nullptr, where), priority)) {
      lk.unlock();
      detail::wake(*owner);
    }
  }

  // With aging, a queued message's effective priority rises by one for every `step` it has
  // waited, so no message starves behind a stream of higher priorities. 0 turns it off; by
  // default the `aging` option applies.
  void set_aging(std::chrono::milliseconds step) {
    std::lock_guard lk(mu_);
    aging_ = step;
  }

  // Blocks until the owner has received m. Throws deadlock_error if chosen as a victim.
  void send(M m, std::source_location where = std::source_location::current()) {
    std::unique_lock lk(mu_);
    detail::waiter_node n;
    if (detail::waiter_node *owner = deliver_or_queue(make_entry(std::move(m), &n, where), 0)) {
      lk.unlock();
      detail::wake(*owner);
      return;
    }
    const gl_target t{GL_TARGET_ACTOR, owner_, res_, GL_END_SEND};
    const auto d = detail::describe(GL_OP_MAILBOX_SEND, &t, 1, false, false, where);
    if (detail::block_on(lk, senders_, n, d, std::nullopt) == detail::block_result::broken) {
      std::lock_guard relock(mu_);
      drop_entry_of(n); // not received: withdraw it
      detail::throw_broken(GL_OP_MAILBOX_SEND);
    }
  }

  // Owner only. Blocks until a message arrives from anyone.
  envelope<M> receive(std::source_location where = std::source_location::current()) {
    return receive_matching({}, GL_OP_RECEIVE, where);
  }
  // Owner only. Blocks until a message from `source` arrives; other messages stay queued.
  envelope<M> receive_from(actor_id source,
                           std::source_location where = std::source_location::current()) {
    return receive_matching({source}, GL_OP_RECEIVE_FROM, where);
  }
  // Owner only. Blocks until one message from each of `sources` has arrived, and returns them in
  // the order of `sources` (an AND wait on the actors that have not answered yet: a replication
  // round waiting for every acknowledgement). Other messages stay queued.
  std::vector<envelope<M>>
  receive_all(std::span<const actor_id> sources,
              std::source_location where = std::source_location::current()) {
    check_owner();
    std::vector<std::optional<envelope<M>>> got(sources.size());
    for (;;) {
      std::vector<actor_id> missing;
      for (std::size_t i = 0; i < sources.size(); ++i)
        if (!got[i]) missing.push_back(sources[i]);
      if (missing.empty()) break;
      envelope<M> e = receive_matching(missing, GL_OP_RECEIVE_ALL, where);
      for (std::size_t i = 0; i < sources.size(); ++i)
        if (!got[i] && sources[i] == e.source) {
          got[i] = std::move(e);
          break;
        }
    }
    std::vector<envelope<M>> out;
    for (auto &g : got) out.push_back(std::move(*g));
    return out;
  }
  // Owner only. Never blocks.
  std::optional<envelope<M>> try_receive() {
    check_owner();
    std::unique_lock lk(mu_);
    auto e = take({});
    lk.unlock();
    flush_reports();
    return e;
  }

private:
  using clock = std::chrono::steady_clock;

  struct entry {
    actor_id source;
    M message;
    detail::waiter_node *sync_sender; // non-null for send(): woken once received
    std::source_location where;
    clock::time_point enqueued{};
    std::uint64_t key = 0;       // the flight recorder's message number
    std::uint64_t served_at = 0; // served_ when it was queued
    std::size_t queued_at = 0;   // messages queued ahead of it then (served before it: no bypass)
    bool starving = false;       // reported as starved
  };

  entry make_entry(M m, detail::waiter_node *sync, const std::source_location &where) {
    const actor_id me = detail::self();
    gl_actor_delivered(owner_); // the fairness monitor: `me` serves the owner
    return entry{me, std::move(m), sync, where};
  }

  void check_owner() const {
#ifndef GRIDLOCK_DISABLE
    if (detail::self() != owner_)
      throw std::logic_error("gridlock: mailbox '" + name_ + "' received from by a non-owner");
#endif
  }

  // mu_ held. Hands e to a waiting owner if it wants it, else queues it. Returns the owner's node
  // to wake once mu_ is released (the woken owner may destroy the mailbox at once), or nullptr.
  detail::waiter_node *deliver_or_queue(entry e, int priority) {
    e.key = next_key_++;
    trace(e.sync_sender ? GL_EV_SEND : GL_EV_POST, 0, e.key);
    if (!receiverq_.empty() && wanted(want_, e.source)) {
      if (detail::waiter_node *r = receiverq_.pop_claimed()) {
        trace(GL_EV_RECEIVE, owner_, e.key);
        note_served(e.source);
        *static_cast<std::optional<envelope<M>> *>(r->slot) =
            envelope<M>{e.source, std::move(e.message)};
        return r;
      }
    }
    e.enqueued = clock::now();
    e.served_at = served_;
    e.queued_at = queued_++;
    queues_[priority].push_back(std::move(e));
    return nullptr;
  }

  // The flight recorder (trace=1); actor 0 is the caller.
  void trace(gl_event ev, actor_id a, std::uint64_t key) const noexcept {
    if (gl_trace_on()) gl_trace_record(ev, a, res_, key, 0);
  }

  void note_served(actor_id source) {
    ++served_;
    recent_[recent_next_++ % recent_.size()] = source;
  }

  static bool wanted(const std::vector<actor_id> &from, actor_id source) {
    return from.empty() || std::find(from.begin(), from.end(), source) != from.end();
  }

  // mu_ held. The first queued message from one of `from` (empty: any): highest (effective)
  // priority first, FIFO within a priority. Checks the other priorities for starvation.
  std::optional<envelope<M>> take(const std::vector<actor_id> &from) {
    for (;;) {
      const bool several = queues_.size() > 1;
      const detail::fairness_settings fair =
          several ? detail::fairness() : detail::fairness_settings{};
      const auto aging = aging_.count() > 0 ? aging_ : fair.aging;
      const clock::time_point now = several ? clock::now() : clock::time_point{};
      auto best = queues_.end();
      typename std::deque<entry>::iterator pick;
      long long best_rank = 0;
      for (auto q = queues_.begin(); q != queues_.end(); ++q) {
        auto it = std::find_if(q->second.begin(), q->second.end(),
                               [&](const entry &e) { return wanted(from, e.source); });
        if (it == q->second.end()) continue;
        const long long rank =
            q->first + (several && aging.count() > 0 ? (now - it->enqueued) / aging : 0);
        if (best == queues_.end() || rank > best_rank) best = q, pick = it, best_rank = rank;
        if (aging.count() == 0 || !several) break; // without aging the first level wins
      }
      if (best == queues_.end()) return std::nullopt;
      entry e = std::move(*pick);
      const int level = best->first;
      best->second.erase(pick);
      --queued_;
      if (best->second.empty()) queues_.erase(best);
      // A synchronous sender that was broken meanwhile has withdrawn its message: skip it.
      if (e.sync_sender != nullptr && !serve_sender(*e.sync_sender)) continue;
      trace(GL_EV_RECEIVE, 0, e.key);
      note_served(e.source);
      if (e.starving) pending_.push_back(starvation(e, level, clock::now(), true));
      if (several) find_starving(now, fair);
      return envelope<M>{e.source, std::move(e.message)};
    }
  }

  // mu_ held. The oldest message of each priority is the one that waited longest: report it once
  // when it is older than starvation_ms and at least starvation_bypass messages queued after it
  // were served first.
  void find_starving(clock::time_point now, const detail::fairness_settings &fair) {
    for (auto &[priority, fifo] : queues_) {
      entry &head = fifo.front();
      if (head.starving || now - head.enqueued < fair.starvation || bypass_of(head) < fair.bypass)
        continue;
      head.starving = true;
      pending_.push_back(starvation(head, priority, now, false));
    }
  }

  std::uint64_t bypass_of(const entry &e) const {
    const std::uint64_t served_since = served_ - e.served_at;
    return served_since > e.queued_at ? served_since - e.queued_at : 0;
  }

  detail::starved_message starvation(const entry &e, long long priority, clock::time_point now,
                                     bool ended) const {
    detail::starved_message m;
    m.mailbox = name_;
    m.source = e.source;
    m.priority = static_cast<int>(priority);
    m.age = std::chrono::duration_cast<std::chrono::milliseconds>(now - e.enqueued);
    m.bypass = bypass_of(e);
    for (std::size_t i = 1; i <= recent_.size(); ++i)
      if (actor_id a = recent_[(recent_next_ - i) % recent_.size()];
          a != 0 && !(ended && a == e.source) && // not the message itself, just received
          std::find(m.served_instead.begin(), m.served_instead.end(), a) == m.served_instead.end())
        m.served_instead.push_back(a);
    m.where = e.where;
    m.ended = ended;
    return m;
  }

  // Reports what take() found, after mu_ was released.
  void flush_reports() {
    std::vector<detail::starved_message> found;
    {
      std::lock_guard lk(mu_);
      if (pending_.empty()) return;
      found.swap(pending_);
    }
    for (const auto &m : found) detail::report_starved_message(m);
  }

  // mu_ held. Wakes a blocked send() whose message was just taken; false if it gave up first.
  bool serve_sender(detail::waiter_node &n) {
    if (!n.owner->claim(n.case_index)) return false;
    senders_.remove(n);
    detail::wake(n);
    return true;
  }

  void drop_entry_of(const detail::waiter_node &n) {
    for (auto &[prio, q] : queues_)
      std::erase_if(q, [&](const entry &e) { return e.sync_sender == &n; });
    std::erase_if(queues_, [](const auto &kv) { return kv.second.empty(); });
  }

  // Owner only: the first message from one of `from` (empty: anyone), blocking until one comes.
  envelope<M> receive_matching(const std::vector<actor_id> &from, gl_op op,
                               const std::source_location &where) {
    check_owner();
    std::unique_lock lk(mu_);
    if (auto e = take(from)) {
      lk.unlock();
      flush_reports();
      return std::move(*e);
    }
    std::optional<envelope<M>> got;
    detail::waiter_node n;
    n.slot = &got;
    want_ = from;
    std::vector<gl_target> targets;
    if (from.empty()) targets.push_back({GL_TARGET_ANY_ACTOR, 0, res_, GL_END_SEND});
    for (actor_id a : from) targets.push_back({GL_TARGET_ACTOR, a, res_, GL_END_SEND});
    // receive_all needs every missing source: an AND wait. Otherwise any one will do.
    const bool all = op == GL_OP_RECEIVE_ALL;
    const auto d = detail::describe(op, targets.data(), targets.size(), all, false, where);
    if (detail::block_on(lk, receiverq_, n, d, std::nullopt) == detail::block_result::broken)
      detail::throw_broken(op);
    return std::move(*got);
  }

  detail::ranked_mutex<detail::lock_rank::primitive> mu_;
  std::map<int, std::deque<entry>, std::greater<>> queues_; // by priority, highest first
  detail::wait_queue receiverq_;                            // the owner, when blocked in receive*()
  std::vector<actor_id> want_; // whom the blocked owner accepts a message from (empty: any)
  detail::wait_queue senders_; // blocked send() callers, whose entries are in queues_
  // Fairness: messages served so far, queued now, the last sources served, found starvation.
  std::uint64_t served_ = 0;
  std::uint64_t next_key_ = 0; // message numbers, for the flight recorder
  std::size_t queued_ = 0;
  std::array<actor_id, 8> recent_{};
  std::size_t recent_next_ = 0;
  std::vector<detail::starved_message> pending_;
  std::chrono::milliseconds aging_{0};
  const std::string name_;
  const actor_id owner_;
  const gl_resource_id res_;
};

} // namespace gridlock::inline GRIDLOCK_ABI
