// GoKer moby#17176: cleanupDeletedDevices locks the device set and, when there are no deleted
// devices, returns early without unlocking it. The test then starts a goroutine that locks the
// device set and reports on an unbuffered channel, and waits for that report or a 1ms timeout:
// the goroutine waits for the lock forever and the test returns through the timeout (in Go the
// goroutine leaks; here main waits for the goroutines at the end, where Go's leak check would
// look). Fix (upstream): the early return unlocks the device set first.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: main testDevmapperLockReleasedDeviceDeletion.func1
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <optional>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

// The goroutines the test started; main waits for them before it returns.
gridlock::wait_group goroutines("goroutines");

// The device set embeds its mutex (devices.Lock()).
struct device_set : gridlock::mutex {
  device_set() : gridlock::mutex("DeviceSet") {}
  int nr_deleted_devices = 0;

  // Returns an error when devices are left to delete (none here).
  bool cleanup_deleted_devices() {
    lock();
    if (nr_deleted_devices == 0) {
      if (fixed) unlock(); // the fix: the early return releases the lock too
      return true;         // the bug: returns with the lock held
    }
    unlock();
    return false;
  }
};

// The test's goroutine; its closure captures the device set and doneChan (a Go chan has both
// directions).
void lock_and_report(device_set *ds, gridlock::sender<bool> done_chan,
                     gridlock::receiver<bool> done_chan_too) {
  (void)done_chan_too;
  ds->lock(); // EXPECT: testDevmapperLockReleasedDeviceDeletion.func1 | mutex lock | DeviceSet
  done_chan.send(true);
  ds->unlock(); // deferred
}

void test_devmapper_lock_released_device_deletion(device_set &ds) {
  ds.cleanup_deleted_devices();
  auto [done_tx, done_rx] = gridlock::make_channel<bool>(0, "doneChan");
  goroutines.go("testDevmapperLockReleasedDeviceDeletion.func1", lock_and_report, &ds,
                std::move(done_tx), done_rx);

  // The kernel waits 1ms; a longer timeout keeps a slow start of the goroutine from making the
  // fixed version time out (the buggy version waits for it in full either way).
  gridlock::select sel;
  sel.recv(gridlock::after(std::chrono::milliseconds(200)),
           [](std::optional<gridlock::time_point>) {});
  sel.recv(done_rx, [](std::optional<bool>) {});
  sel.wait();
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  device_set ds;
  test_devmapper_lock_released_device_deletion(ds);
  goroutines.wait(); // EXPECT: main | wait_group wait | goroutines
  return 0;
}
