// Seed scenario 3 (a): the resource manager exactly as the seed sketches it — a request that cannot
// be granted is silently dropped. Four readers keep reading; the writer's request is dropped and it
// waits for a grant that never comes while the manager keeps serving readers.
//
// Expected, in this order:
//   1. starvation (definite): 'writer' in "mailbox receive_from" waiting for 'resource-manager',
//      which served the readers hundreds of times meanwhile;
//   2. deadlock (definite), once the readers are done: 'writer' <-> 'resource-manager' (the manager
//      waits for any message, the writer for the manager's grant).
// With on_deadlock=break both stuck actors are broken in turn and the program ends normally.
#include "readers_writers.hpp"

int main() {
  using namespace rw;
  manager mgr = start_manager([](gridlock::mailbox<message> &box) {
    int num_readers = 0;
    bool writer_active = false;
    try {
      for (;;) {
        gridlock::envelope<message> e = box.receive(); // receive(ANY, &m)
        message &m = e.message;
        if (m.type == request_read) {
          if (!writer_active) {
            ++num_readers;
            m.reply_to->post({grant_read, &box});
          } // else: dropped
        } else if (m.type == request_write) {
          if (num_readers == 0 && !writer_active) {
            writer_active = true;
            m.reply_to->post({grant_write, &box});
          } // else: dropped — the writer waits forever
        } else if (m.type == done_read) {
          --num_readers;
        } else if (m.type == done_write) {
          writer_active = false;
        }
      }
    } catch (const gridlock::deadlock_error &) {
      std::puts("resource-manager: broken out of its receive");
    }
  });
  const auto until = clock::now() + std::chrono::milliseconds(1500);
  auto readers = start_readers(mgr.box, mgr.thread.id(), until);
  gridlock::thread w("writer", [&] {
    try {
      writer(mgr.box, mgr.thread.id(), 3);
    } catch (const gridlock::deadlock_error &) {
      std::puts("writer: broken out of its wait");
    }
  });
  for (auto &r : readers) r.join();
  w.join();
  mgr.thread.join();
}
