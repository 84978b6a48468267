// A Sensor publishes calibrated readings to a Calibrator over a rendezvous channel while holding
// its calibration std::timed_mutex; the Calibrator adjusts the calibration with manual lock() /
// unlock() calls before it receives the next reading. Once the Sensor holds the mutex in its
// send the Calibrator can never take it: a lock across a send, whenever the Sensor locks first.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <mutex>
#include <utility>

using gridlock::receiver;
using gridlock::sender;

struct Reading {
  int channel;
  double value;
};

class Sensor {
public:
  explicit Sensor(sender<Reading> out) : out_(std::move(out)) {}
  std::timed_mutex &calibration_lock() { return calibration_mu_; }
  void set_offset(double offset) { offset_ = offset; }

  void sample_loop() {
    for (int i = 0; i < 8; ++i) publish(i % 2, 20.0 + i);
    out_.close();
  }

private:
  void publish(int channel, double raw) {
    std::lock_guard<std::timed_mutex> lk(calibration_mu_);
    out_.send(Reading{channel, raw + offset_}); // CHECK-WARN: gridlock-lock-across-send possible
  }

  sender<Reading> out_;
  std::timed_mutex calibration_mu_;
  double offset_ = 0.0;
};

class Calibrator {
public:
  Calibrator(Sensor &sensor, receiver<Reading> in) : sensor_(sensor), in_(std::move(in)) {}

  void run() {
    for (;;) {
      sensor_.calibration_lock().lock(); // CHECK-NOTE
      sensor_.set_offset(-drift_ / 2);
      sensor_.calibration_lock().unlock();
      auto reading = in_.recv();
      if (!reading) break;
      drift_ = reading->value - 20.0 - count_++;
    }
  }
  int count() const { return count_; }

private:
  Sensor &sensor_;
  receiver<Reading> in_;
  double drift_ = 0.0;
  int count_ = 0;
};

int main() {
  auto [readings_tx, readings_rx] = gridlock::make_channel<Reading>(0, "readings");
  Sensor sensor(std::move(readings_tx));
  Calibrator calibrator(sensor, std::move(readings_rx));
  {
    gridlock::thread sampling("sensor", [&sensor] { sensor.sample_loop(); });
    gridlock::thread calibrating("calibrator", [&] { calibrator.run(); });
  }
  std::printf("calibrated %d readings\n", calibrator.count());
}
