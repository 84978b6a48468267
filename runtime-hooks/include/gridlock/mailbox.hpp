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
//     stream of high-priority messages starves low-priority ones).
//   - send() is synchronous: it returns once the owner has received the message. It has
//     priority 0.
//   - In the wait graph: receive() is an OR wait on every actor (anyone may post); receive_from(a)
//     waits for a alone; receive_all(s) waits for all of s (AND); send() waits for the owner.
//
// Cost: post() and a receive() that finds a message take the mailbox's own lock and allocate a
// queue entry; they never touch the wait graph. A receive or send that blocks records one wait.
//
// Thread-safety: post() and send() from any thread; receive*() from the owner only.
#pragma once

#include <gridlock/actor.hpp>
#include <gridlock/detail/blocking.hpp>
#include <gridlock/errors.hpp>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gridlock {

template <class M> struct envelope {
  actor_id source = 0; // the actor that posted or sent the message
  M message;
};

template <class M> class mailbox {
public:
  explicit mailbox(std::string_view name = {},
                   gridlock::source_location where = gridlock::source_location::current())
      : name_(name.empty() ? detail::default_name("mailbox", where) : std::string(name)),
        owner_(gl_actor_self()), res_(gl_resource_create("mailbox", name_.c_str(), -1)) {}
  ~mailbox() { gl_resource_destroy(res_); }
  mailbox(const mailbox &) = delete;
  mailbox &operator=(const mailbox &) = delete;

  actor_id owner() const noexcept { return owner_; }
  const std::string &name() const noexcept { return name_; }

  // Queues m; never blocks.
  void post(M m, int priority = 0) {
    std::lock_guard lk(mu_);
    deliver_or_queue(entry{gl_actor_self(), std::move(m), nullptr}, priority);
  }

  // Blocks until the owner has received m. Throws deadlock_error if chosen as a victim.
  void send(M m, gridlock::source_location where = gridlock::source_location::current()) {
    std::unique_lock lk(mu_);
    detail::waiter_node n;
    if (deliver_or_queue(entry{gl_actor_self(), std::move(m), &n}, 0)) return;
    const gl_target t{GL_TARGET_ACTOR, owner_, res_, GL_END_SEND};
    const auto d = detail::describe(GL_OP_MAILBOX_SEND, &t, 1, false, false, where);
    if (detail::block_on(lk, senders_, n, d, std::nullopt) == detail::block_result::broken) {
      std::lock_guard relock(mu_);
      drop_entry_of(n); // not received: withdraw it
      detail::throw_broken(GL_OP_MAILBOX_SEND);
    }
  }

  // Owner only. Blocks until a message arrives from anyone.
  envelope<M> receive(gridlock::source_location where = gridlock::source_location::current()) {
    return receive_matching({}, GL_OP_RECEIVE, where);
  }
  // Owner only. Blocks until a message from `source` arrives; other messages stay queued.
  envelope<M> receive_from(actor_id source,
                           gridlock::source_location where = gridlock::source_location::current()) {
    return receive_matching({source}, GL_OP_RECEIVE_FROM, where);
  }
  // Owner only. Blocks until one message from each of `sources` has arrived, and returns them in
  // the order of `sources` (an AND wait on the actors that have not answered yet: a replication
  // round waiting for every acknowledgement). Other messages stay queued.
  std::vector<envelope<M>>
  receive_all(std::span<const actor_id> sources,
              gridlock::source_location where = gridlock::source_location::current()) {
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
    std::lock_guard lk(mu_);
    return take({});
  }

private:
  struct entry {
    actor_id source;
    M message;
    detail::waiter_node *sync_sender; // non-null for send(): woken once received
  };

  void check_owner() const {
#ifndef GRIDLOCK_DISABLE
    if (gl_actor_self() != owner_)
      throw std::logic_error("gridlock: mailbox '" + name_ + "' received from by a non-owner");
#endif
  }

  // mu_ held. Hands e to a waiting owner if it wants it, else queues it. True if delivered.
  bool deliver_or_queue(entry e, int priority) {
    if (!receiverq_.empty() && wanted(want_, e.source)) {
      if (detail::waiter_node *r = receiverq_.pop_claimed()) {
        *static_cast<std::optional<envelope<M>> *>(r->slot) =
            envelope<M>{e.source, std::move(e.message)};
        detail::wake(*r);
        return true;
      }
    }
    queues_[priority].push_back(std::move(e));
    return false;
  }

  static bool wanted(const std::vector<actor_id> &from, actor_id source) {
    return from.empty() || std::find(from.begin(), from.end(), source) != from.end();
  }

  // mu_ held. The first queued message from one of `from` (empty: any), highest priority first.
  std::optional<envelope<M>> take(const std::vector<actor_id> &from) {
    for (auto q = queues_.begin(); q != queues_.end();) {
      auto &fifo = q->second;
      auto it = std::find_if(fifo.begin(), fifo.end(),
                             [&](const entry &e) { return wanted(from, e.source); });
      if (it == fifo.end()) {
        ++q;
        continue;
      }
      entry e = std::move(*it);
      fifo.erase(it);
      if (fifo.empty()) q = queues_.erase(q);
      // A synchronous sender that was broken meanwhile has withdrawn its message: skip it.
      if (e.sync_sender != nullptr && !serve_sender(*e.sync_sender)) continue;
      return envelope<M>{e.source, std::move(e.message)};
    }
    return std::nullopt;
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
                               const gridlock::source_location &where) {
    check_owner();
    std::unique_lock lk(mu_);
    if (auto e = take(from)) return std::move(*e);
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
  const std::string name_;
  const actor_id owner_;
  const gl_resource_id res_;
};

} // namespace gridlock
