// The seed's readers-writers by message passing: the messages and the readers/writer clients
// shared by the two manager examples (seed3_*.cpp).
#pragma once

#include <gridlock/gridlock.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

namespace rw {

enum kind { request_read, grant_read, done_read, request_write, grant_write, done_write, bye };

struct message {
  kind type;
  gridlock::mailbox<message> *reply_to;
};

using clock = std::chrono::steady_clock;

// A reader: request, wait for permission, read, say done; until `until`. Then says bye.
inline void reader(gridlock::mailbox<message> *manager, gridlock::actor_id manager_id,
                   clock::time_point until) {
  gridlock::mailbox<message> inbox("reader inbox");
  while (clock::now() < until) {
    manager->post({request_read, &inbox});
    if (inbox.receive_from(manager_id).message.type == grant_read)
      std::this_thread::sleep_for(std::chrono::milliseconds(3)); // read_database()
    manager->post({done_read, &inbox});
  }
  manager->post({bye, &inbox});
}

// The writer: request, wait for permission (EXPECT: starvation), write, say done; `rounds` times.
inline void writer(gridlock::mailbox<message> *manager, gridlock::actor_id manager_id, int rounds) {
  gridlock::mailbox<message> inbox("writer inbox");
  std::this_thread::sleep_for(std::chrono::milliseconds(100)); // the readers are busy by now
  for (int i = 0; i < rounds; ++i) {
    manager->post({request_write, &inbox});
    const auto grant = inbox.receive_from(manager_id); // EXPECT: mailbox receive_from (writer)
    if (grant.message.type == grant_write)
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    manager->post({done_write, &inbox});
  }
  std::printf("writer: wrote %d times\n", rounds);
  manager->post({bye, &inbox});
}

// The resource manager's thread: it creates its mailbox, publishes its address, then runs
// `serve(box)`. Returns once the address is known.
struct manager {
  gridlock::thread thread;
  gridlock::mailbox<message> *box;
};
template <class Serve> manager start_manager(Serve serve) {
  auto [address_tx, address_rx] =
      gridlock::make_channel<gridlock::mailbox<message> *>(1, "manager-address");
  gridlock::thread t(
      "resource-manager",
      [serve](gridlock::sender<gridlock::mailbox<message> *> publish) mutable {
        gridlock::mailbox<message> box("resource-manager");
        publish.send(&box);
        serve(box);
      },
      std::move(address_tx));
  gridlock::mailbox<message> *box = *address_rx.recv();
  return {std::move(t), box};
}

// Four readers reading until `until`, started a millisecond apart so that their reads overlap.
inline std::array<gridlock::thread, 4> start_readers(gridlock::mailbox<message> *manager,
                                                     gridlock::actor_id manager_id,
                                                     clock::time_point until) {
  std::array<gridlock::thread, 4> readers;
  for (int i = 0; i < 4; ++i) {
    readers[i] =
        gridlock::thread("reader-" + std::to_string(i + 1), reader, manager, manager_id, until);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return readers;
}

} // namespace rw
