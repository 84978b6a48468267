#include <gridlock/detail/abi.hpp>
#include <gridlock/thread.hpp>

namespace gridlock::inline GRIDLOCK_ABI {

void thread::join(std::source_location where) {
  if (!joinable()) throw std::system_error(std::make_error_code(std::errc::invalid_argument));
  if (done_->load(std::memory_order_acquire)) {
    t_.join();
    joined();
    return;
  }
  // A join cannot be broken: the thread must finish on its own.
  const gl_target t{GL_TARGET_ACTOR, actor_, 0, GL_END_SEND};
  gl_wait_desc d{GL_OP_JOIN, 0, 0, &t, 1, detail::to_gl(where), nullptr, nullptr};
  const gl_wait_t w = gl_wait_begin(&d);
  t_.join();
  gl_wait_end(w);
  joined();
}

void thread::joined() const noexcept {
  if (gl_trace_on()) gl_trace_record(GL_EV_JOIN, 0, 0, 0, actor_);
}

} // namespace gridlock::inline GRIDLOCK_ABI
