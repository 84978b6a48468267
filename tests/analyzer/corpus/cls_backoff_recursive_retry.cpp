// A Uploader retries a chunk upload with exponential backoff by recursing on the attempts left;
// every attempt is reported on a rendezvous channel to a Monitor that receives until the channel
// is closed. The recursion is bounded by a constant (5 attempts) and each send meets the Monitor's
// waiting receive, so the program finishes: clean.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <memory>
#include <utility>

using gridlock::receiver;
using gridlock::sender;

struct Attempt {
  int number;
  int delay_ms;
  bool ok;
};

class Uploader {
public:
  explicit Uploader(sender<Attempt> events) : events_(std::move(events)) {}

  void upload() {
    const bool ok = try_upload(5, 1);
    std::printf("upload %s\n", ok ? "succeeded" : "failed");
    events_.close();
  }

private:
  bool try_upload(int attempts_left, int delay_ms) {
    if (attempts_left == 0) return false;
    const bool ok = ++tries_ == 4; // the fourth try goes through
    events_.send(Attempt{tries_, delay_ms, ok});
    if (ok) return true;
    return try_upload(attempts_left - 1, delay_ms * 2);
  }

  sender<Attempt> events_;
  int tries_ = 0;
};

class Monitor {
public:
  explicit Monitor(receiver<Attempt> events) : events_(std::move(events)) {}
  void watch() {
    while (auto a = events_.recv()) {
      waited_ms_ += a->delay_ms;
      if (a->ok) ++successes_;
    }
  }
  int waited_ms() const { return waited_ms_; }

private:
  receiver<Attempt> events_;
  int waited_ms_ = 0;
  int successes_ = 0;
};

class Session {
public:
  Session() {
    auto [tx, rx] = gridlock::make_channel<Attempt>(0, "attempts");
    uploader_ = std::make_unique<Uploader>(std::move(tx));
    monitor_ = std::make_unique<Monitor>(std::move(rx));
  }
  int run() {
    gridlock::thread up("uploader", &Uploader::upload, uploader_.get());
    gridlock::thread mon("monitor", &Monitor::watch, monitor_.get());
    up.join();
    mon.join();
    return monitor_->waited_ms();
  }

private:
  std::unique_ptr<Uploader> uploader_;
  std::unique_ptr<Monitor> monitor_;
};

int main() {
  Session session;
  std::printf("backoff total %d ms\n", session.run());
}
