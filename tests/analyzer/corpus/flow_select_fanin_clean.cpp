// A metrics aggregator fans in three feeds (cpu, memory, alerts) with a select loop. Each probe
// closes its feed when done; the aggregator drops a closed feed from the next select and stops
// once all three are closed. Clean: a select only waits while one of its feeds is still open,
// and each open feed's producer keeps sending until it closes it.
#include <gridlock/gridlock.hpp>

#include <array>
#include <cstdio>
#include <string>
#include <thread>

namespace {

constexpr int kSamples = 10;

struct sample {
  int t;
  double value;
};

class aggregator {
public:
  aggregator(gridlock::receiver<sample> cpu, gridlock::receiver<sample> mem,
             gridlock::receiver<std::string> alerts)
      : cpu_(std::move(cpu)), mem_(std::move(mem)), alerts_(std::move(alerts)) {}

  void run() {
    std::array<bool, 3> open{true, true, true};
    while (open[0] || open[1] || open[2]) {
      gridlock::select sel;
      if (open[0]) sel.recv(cpu_, [&](std::optional<sample> s) { open[0] = fold(cpu_sum_, s); });
      if (open[1]) sel.recv(mem_, [&](std::optional<sample> s) { open[1] = fold(mem_sum_, s); });
      if (open[2])
        sel.recv(alerts_, [&](std::optional<std::string> a) {
          if (!a)
            open[2] = false;
          else
            ++alerts_seen_;
        });
      sel.wait();
    }
    std::printf("cpu %.1f mem %.1f alerts %d\n", cpu_sum_, mem_sum_, alerts_seen_);
  }

private:
  static bool fold(double &sum, const std::optional<sample> &s) {
    if (!s) return false;
    sum += s->value;
    return true;
  }

  gridlock::receiver<sample> cpu_, mem_;
  gridlock::receiver<std::string> alerts_;
  double cpu_sum_ = 0, mem_sum_ = 0;
  int alerts_seen_ = 0;
};

void probe(const char *name, gridlock::sender<sample> feed, double base) {
  gridlock::set_actor_name(name);
  for (int t = 0; t < kSamples; ++t) feed.send({t, base + t});
  feed.close();
}

} // namespace

int main() {
  auto [cpu_tx, cpu_rx] = gridlock::make_channel<sample>(0, "cpu");
  auto [mem_tx, mem_rx] = gridlock::make_channel<sample>(2, "mem");
  auto [alert_tx, alert_rx] = gridlock::make_channel<std::string>(0, "alerts");
  aggregator agg(std::move(cpu_rx), std::move(mem_rx), std::move(alert_rx));

  std::jthread cpu_probe(probe, "cpu-probe", std::move(cpu_tx), 10.0);
  std::jthread mem_probe(probe, "mem-probe", std::move(mem_tx), 50.0);
  std::jthread alerter([tx = std::move(alert_tx)]() mutable {
    gridlock::set_actor_name("alerter");
    tx.send("disk 91% full");
    tx.send("disk 97% full");
    tx.close();
  });
  agg.run();
  return 0;
}
