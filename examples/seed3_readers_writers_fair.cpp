// Seed scenario 3 (b): a corrected manager. Requests are never dropped: they wait in a FIFO queue,
// and a waiting writer goes before readers that arrive after it (writer preference), so the writer
// gets in as soon as the current readers are done. The same load as seed3_readers_writers_seed.
//
// Expected: no finding at all, even with tight starvation thresholds.
#include "readers_writers.hpp"

#include <deque>

int main() {
  using namespace rw;
  constexpr int kClients = 5;
  manager mgr = start_manager([](gridlock::mailbox<message> &box) {
    int num_readers = 0, byes = 0;
    bool writer_active = false;
    std::deque<message> waiting; // requests not granted yet, in arrival order
    const auto grant_what_we_can = [&] {
      while (!waiting.empty()) {
        message &m = waiting.front();
        if (m.type == request_write) {
          if (num_readers != 0 || writer_active) return; // readers behind it wait too
          writer_active = true;
          m.reply_to->post({grant_write, &box});
        } else {
          if (writer_active) return;
          ++num_readers;
          m.reply_to->post({grant_read, &box});
        }
        waiting.pop_front();
      }
    };
    while (byes < kClients) {
      message m = box.receive().message;
      if (m.type == request_read || m.type == request_write)
        waiting.push_back(m);
      else if (m.type == done_read)
        --num_readers;
      else if (m.type == done_write)
        writer_active = false;
      else if (m.type == bye)
        ++byes;
      grant_what_we_can();
    }
  });
  const auto until = clock::now() + std::chrono::milliseconds(1500);
  auto readers = start_readers(mgr.box, mgr.thread.id(), until);
  gridlock::thread w("writer", writer, mgr.box, mgr.thread.id(), 20);
}
