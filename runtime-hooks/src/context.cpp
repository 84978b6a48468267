#include <gridlock/context.hpp>
#include <gridlock/detail/abi.hpp>

#include <algorithm>

namespace gridlock::inline GRIDLOCK_ABI {

const char *to_string(context_error e) noexcept {
  switch (e) {
  case context_error::none: return "";
  case context_error::canceled: return "context canceled";
  case context_error::deadline_exceeded: return "context deadline exceeded";
  }
  return "";
}

receiver<std::monostate> context::done() const { return s_->done(); }
context_error context::err() const { return s_->err(); }
std::optional<std::chrono::steady_clock::time_point> context::deadline() const {
  return s_->deadline();
}

cancel_func::cancel_func(std::shared_ptr<detail::context_state> s)
    : s_(std::move(s)), holder_(s_->resource(), GL_END_SEND) {}

void cancel_func::operator()() const {
  holder_.use();
  s_->cancel(context_error::canceled);
}

context background() { return context(detail::context_state::root()); }

std::pair<context, cancel_func> with_cancel(const context &parent, std::string_view name,
                                            std::source_location where) {
  return detail::context_state::derive(
      parent, name.empty() ? detail::default_name("context", where) : std::string(name), {});
}

std::pair<context, cancel_func> with_deadline(const context &parent,
                                              std::chrono::steady_clock::time_point deadline,
                                              std::string_view name, std::source_location where) {
  return detail::context_state::derive(
      parent, name.empty() ? detail::default_name("context", where) : std::string(name), deadline);
}

namespace detail {

context_state::context_state(std::shared_ptr<context_state> parent, std::shared_ptr<core> c,
                             std::optional<clock::time_point> deadline)
    : timer_entry(c->resource()), parent_(std::move(parent)), core_(std::move(c)),
      deadline_(deadline) {}

const std::shared_ptr<context_state> &context_state::root() {
  static const auto *r = new std::shared_ptr<context_state>(std::make_shared<context_state>(
      nullptr, std::make_shared<core>(0, false, "background", "context"), std::nullopt));
  return *r;
}

std::pair<context, cancel_func> context_state::derive(const context &parent, std::string name,
                                                      std::optional<clock::time_point> deadline) {
  const std::shared_ptr<context_state> &p = parent.s_;
  // A parent's earlier deadline cancels the child anyway: it needs no timer of its own (Go).
  if (deadline && p->deadline_ && *p->deadline_ <= *deadline) deadline = p->deadline_;
  const bool own_timer = deadline && deadline != p->deadline_;
  auto child = std::make_shared<context_state>(
      p, std::make_shared<core>(0, false, std::move(name), "context"), deadline);
  if (p != root()) gl_resource_inherit(child->resource(), GL_END_SEND, p->resource());
  cancel_func cancel(child);
  if (p != root()) p->adopt(child);
  if (own_timer) {
    if (*deadline <= clock::now())
      child->cancel(context_error::deadline_exceeded);
    else
      timer_wheel::get().arm(child, *deadline);
  }
  return {context(child), std::move(cancel)};
}

void context_state::adopt(const std::shared_ptr<context_state> &child) {
  context_error why;
  {
    std::lock_guard lk(mu_);
    why = err_;
    if (why == context_error::none) {
      std::erase_if(children_, [](const auto &w) { return w.expired(); });
      children_.push_back(child);
      return;
    }
  }
  child->cancel(why);
}

void context_state::forget(const context_state *child) {
  std::lock_guard lk(mu_);
  std::erase_if(children_, [child](const auto &w) {
    const auto c = w.lock();
    return !c || c.get() == child;
  });
}

// Locks are never nested: this context's, then (released) the timer wheel's and the channel's,
// then each child's and the parent's in turn.
void context_state::cancel(context_error why) {
  std::vector<std::shared_ptr<context_state>> children;
  {
    std::lock_guard lk(mu_);
    if (err_ != context_error::none) return;
    err_ = why;
    for (const auto &w : children_)
      if (auto c = w.lock()) children.push_back(std::move(c));
    children_.clear();
  }
  timer_wheel::get().disarm(*this);
  core_->close();
  for (const auto &c : children) c->cancel(why);
  if (parent_) parent_->forget(this);
}

context_error context_state::err() const {
  std::lock_guard lk(mu_);
  return err_;
}

} // namespace detail

} // namespace gridlock::inline GRIDLOCK_ABI
