// GoKer hugo#3251: remote resources are fetched under a per-URL mutex kept in a map that an
// RWMutex guards. URLLock takes the map's write lock and locks the URL's mutex before it lets the
// map go; URLUnlock takes the map's read lock to find the URL's mutex again. While one request
// holds a URL, a second request for it takes the map's write lock and waits for the URL; the
// first request, done, waits for the map's read lock to release the URL. Every other worker
// queues for the map and the test waits in its wait group. Fix (upstream): URLLock releases the
// map's lock before it locks the URL's mutex.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: resGetRemote-0 resGetRemote-1
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace {

bool fixed = false;

// Forces the interleaving the bug needs (GoKer's 50 workers hit it by chance): in the first
// round worker 1 asks for the URL once worker 0 holds it, worker 0 releases it once worker 1
// holds the map's write lock, and the other workers start after that.
struct rendezvous {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> first_has_url =
      gridlock::make_channel<int>(1, "first-has-url");
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> second_has_map =
      gridlock::make_channel<int>(0, "second-has-map"); // closed, never sent to
};

struct remote_lock {
  gridlock::shared_mutex mu{"remoteLock.RWMutex"};
  std::map<std::string, std::unique_ptr<gridlock::mutex>> m;

  void url_lock(const std::string &url, const std::function<void()> &map_locked) {
    mu.lock();
    if (map_locked) map_locked();
    if (!m.contains(url)) m[url] = std::make_unique<gridlock::mutex>("remoteLock.m[url]");
    gridlock::mutex &um = *m[url];
    if (fixed) mu.unlock(); // the fix: the map's lock only guards the map
    um.lock();              // EXPECT: resGetRemote-1 | mutex lock | remoteLock.m[url]
    if (!fixed) mu.unlock();
  }

  void url_unlock(const std::string &url) {
    mu.lock_shared(); // EXPECT: resGetRemote-0 | read lock | remoteLock.RWMutex
    if (const auto it = m.find(url); it != m.end()) it->second->unlock();
    mu.unlock_shared();
  }
};

remote_lock remote_url_lock;

// What the forced interleaving adds to one request: a step right after the map's write lock is
// taken, and one while the URL is held.
struct request_steps {
  std::function<void()> map_locked, url_held;
};

bool res_get_remote(const std::string &url, const request_steps &steps) {
  remote_url_lock.url_lock(url, steps.map_locked);
  if (steps.url_held) steps.url_held(); // the download
  remote_url_lock.url_unlock(url);      // deferred in Go
  return true;
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  const std::string url = "http://Foo.Bar/foo_Bar-Foo";
  rendezvous r;
  for (const bool second_round : {false, true}) {
    gridlock::wait_group wg("wg");
    for (int i = 0; i < 50; ++i) {
      wg.go("resGetRemote-" + std::to_string(i), [&, second_round, gor = i] {
        if (!second_round && gor > 1) r.second_has_map.second.recv();
        for (int j = 0; j < 10; ++j) {
          request_steps steps;
          if (!second_round && j == 0 && gor == 0)
            steps.url_held = [&] {
              r.first_has_url.first.send(1);
              r.second_has_map.second.recv();
            };
          if (!second_round && j == 0 && gor == 1) {
            r.first_has_url.second.recv();
            steps.map_locked = [&] { r.second_has_map.first.close(); };
          }
          if (!res_get_remote(url, steps)) std::printf("Error getting resource content\n");
          std::this_thread::sleep_for(std::chrono::nanoseconds(300));
        }
      });
    }
    wg.wait();
  }
  return 0;
}
