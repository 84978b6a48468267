// A token ring of three Workers guarding a shared printer: a Worker waits for the token from its
// predecessor, prints its job, then passes the token on. The Ring builds the channels (capacity
// 1) and starts each Worker's member loop with its Ports, but nobody ever injects the first token,
// so all three wait to receive before they send: a receive-receive cycle on every schedule.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <string>
#include <utility>

using gridlock::receiver;
using gridlock::sender;

struct Token {
  int round;
};

struct Ports {
  receiver<Token> from_prev;
  sender<Token> to_next;
};

class Worker {
public:
  explicit Worker(std::string name) : name_(std::move(name)) {}

  void run(Ports ports) {
    for (int job = 0; job < 2; ++job) {
      auto token = ports.from_prev.recv(); // CHECK-WARN: gridlock-recv-recv definite
      if (!token) return;
      std::printf("%s prints job %d in round %d\n", name_.c_str(), job, token->round);
      ports.to_next.send(Token{token->round + 1});
    }
  }

private:
  std::string name_;
};

class Ring {
public:
  void run() {
    auto [t01, r01] = gridlock::make_channel<Token>(1, "0->1");
    auto [t12, r12] = gridlock::make_channel<Token>(1, "1->2");
    auto [t20, r20] = gridlock::make_channel<Token>(1, "2->0");
    gridlock::thread a("worker-0", &Worker::run, &w0_, Ports{std::move(r20), std::move(t01)});
    gridlock::thread b("worker-1", &Worker::run, &w1_, Ports{std::move(r01), std::move(t12)});
    gridlock::thread c("worker-2", &Worker::run, &w2_, Ports{std::move(r12), std::move(t20)});
  }

private:
  Worker w0_{"worker-0"}, w1_{"worker-1"}, w2_{"worker-2"};
};

int main() {
  Ring ring;
  ring.run();
}
