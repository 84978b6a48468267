// gridlock-unmatched: operations no other actor ever matches.
#include <gridlock/gridlock.hpp>

void receive_nobody_sends() {
  auto [tx, rx] = gridlock::make_channel<int>(0, "silent");
  gridlock::thread t("waiter", [](gridlock::receiver<int> in) {
    in.recv(); // CHECK-WARN: gridlock-unmatched possible CHECK-NOTE
  }, std::move(rx));
  t.join();
}

void rendezvous_send_nobody_receives() {
  auto [tx, rx] = gridlock::make_channel<int>(0, "unread");
  gridlock::thread t("talker", [](gridlock::sender<int> out) {
    out.send(1); // CHECK-WARN: gridlock-unmatched possible CHECK-NOTE
  }, std::move(tx));
}
