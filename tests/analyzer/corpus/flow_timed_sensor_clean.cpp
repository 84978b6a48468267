// A sensor feeding a slow dashboard over a rendezvous link: the sensor offers each reading for
// at most 5 ms and drops it if the dashboard is busy, and the dashboard polls with a 20 ms
// timeout for a fixed number of rounds. The sensor also offers a calibration record nobody ever
// reads, again with a timeout. Clean: every wait is timed, so none can last forever.
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <cstdio>
#include <thread>

using namespace std::chrono_literals;

namespace {

constexpr int kReadings = 20;
constexpr int kPolls = 15;

struct reading {
  int seq;
  double celsius;
};

class sensor {
public:
  sensor(gridlock::sender<reading> link, gridlock::sender<int> calibration)
      : link_(std::move(link)), calibration_(std::move(calibration)) {}

  void operator()() {
    int offset = 3;
    if (!calibration_.send_for(offset, 30ms)) std::puts("sensor: calibration not taken");
    for (int i = 0; i < kReadings; ++i) {
      reading r{i, 20.0 + i * 0.1};
      if (!link_.send_for(r, 5ms)) ++dropped_;
      std::this_thread::sleep_for(1ms);
    }
    std::printf("sensor: dropped %d of %d readings\n", dropped_, kReadings);
  }

private:
  gridlock::sender<reading> link_;
  gridlock::sender<int> calibration_;
  int dropped_ = 0;
};

} // namespace

int main() {
  auto [link_tx, link_rx] = gridlock::make_channel<reading>(0, "readings");
  auto [calib_tx, calib_rx] = gridlock::make_channel<int>(0, "calibration");
  gridlock::thread probe("sensor", sensor(std::move(link_tx), std::move(calib_tx)));

  int shown = 0;
  for (int i = 0; i < kPolls; ++i) {
    if (auto r = link_rx.recv_for(20ms)) ++shown;
    std::this_thread::sleep_for(3ms); // redrawing: the sensor's offers time out meanwhile
  }
  std::printf("dashboard: showed %d readings\n", shown);
  probe.join();
  return 0;
}
