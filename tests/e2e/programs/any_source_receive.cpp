// The seed's manager pattern in miniature: a server receives requests from any source and
// silently drops the one it cannot grant; the client waits for a reply that never comes.
// Expected: a definite deadlock, cycle server <-> client: the server blocked in "mailbox receive"
// (an OR wait on every actor), the client in "mailbox receive_from" the server.
#include <gridlock/gridlock.hpp>

#include <cstdio>

namespace {
struct msg {
  int type;
  gridlock::mailbox<msg> *reply_to;
};
} // namespace

int main() {
  auto [addr_tx, addr_rx] = gridlock::make_channel<gridlock::mailbox<msg> *>(1, "server-address");
  gridlock::thread server(
      "server",
      [](gridlock::sender<gridlock::mailbox<msg> *> publish) {
        gridlock::mailbox<msg> requests("requests");
        publish.send(&requests);
        try {
          for (;;) {
            gridlock::envelope<msg> e = requests.receive(); // EXPECT: mailbox receive
            (void)e; // cannot grant it now: dropped, as the seed's manager does
          }
        } catch (const gridlock::deadlock_error &) {
          std::puts("server: chosen as victim");
        }
      },
      std::move(addr_tx));
  gridlock::thread client(
      "client",
      [server_id = server.id()](gridlock::receiver<gridlock::mailbox<msg> *> addr) {
        gridlock::mailbox<msg> replies("replies");
        gridlock::mailbox<msg> *server_box = *addr.recv();
        server_box->post(msg{1, &replies});
        try {
          replies.receive_from(server_id); // EXPECT: mailbox receive_from
        } catch (const gridlock::deadlock_error &) {
          std::puts("client: chosen as victim");
        }
      },
      std::move(addr_rx));
}
