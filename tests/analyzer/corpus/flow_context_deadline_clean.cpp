// A lookup with a deadline, as Go's context.WithTimeout: the client gives up on a slow backend
// after 50 ms, and the backend abandons the lookup (a 200 ms timer) once the context is done.
// Each side waits in a select that includes ctx.done(), and the client closes the query queue
// when it leaves. Clean: the deadline fires whatever the schedule, and every wait has a way out.
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;

namespace {

struct query {
  int key;
  gridlock::sender<std::string> reply;
};

class backend {
public:
  explicit backend(gridlock::context ctx) : ctx_(std::move(ctx)) {}

  void serve(gridlock::receiver<query> queries) {
    while (auto q = queries.recv()) {
      bool abandoned = false;
      gridlock::select lookup; // the disk is slow today
      lookup.recv(gridlock::after(200ms, "disk"), [](auto) {});
      lookup.recv(ctx_.done(), [&](auto) { abandoned = true; });
      lookup.wait();
      if (abandoned) {
        std::printf("backend: %s\n", gridlock::to_string(ctx_.err()));
        continue;
      }
      gridlock::select answer;
      answer.send(q->reply, "value-" + std::to_string(q->key), [] {});
      answer.recv(ctx_.done(), [](auto) {});
      answer.wait();
    }
  }

private:
  gridlock::context ctx_;
};

} // namespace

int main() {
  auto [ctx, cancel] = gridlock::with_timeout(gridlock::background(), 50ms, "lookup");
  auto [queries_tx, queries_rx] = gridlock::make_channel<query>(0, "queries");
  backend db(ctx);
  gridlock::thread server("backend", &backend::serve, &db, std::move(queries_rx));

  auto [reply_tx, reply_rx] = gridlock::make_channel<std::string>(0, "reply");
  queries_tx.send({42, std::move(reply_tx)});
  gridlock::select wait_reply;
  wait_reply.recv(reply_rx,
                  [](std::optional<std::string> v) { std::printf("got %s\n", v->c_str()); });
  wait_reply.recv(ctx.done(),
                  [&](auto) { std::printf("client: %s\n", gridlock::to_string(ctx.err())); });
  wait_reply.wait();
  cancel();
  queries_tx.close();
  return 0;
}
