// GoKer moby#27782: a container whose logging fails to start closes its log readers. The reader
// that follows the log file sees the close and removes its file watcher; Remove() waits on the
// watcher's condition variable for the acknowledgement the event-reading goroutine broadcasts when
// the watch is gone. But that goroutine holds a Write event it is trying to hand over on the
// unbuffered Events channel, which nobody reads any more, and the watcher's done channel is closed
// only after Remove() returns: both goroutines hang (the test returns and they leak; here main
// waits for every goroutine, as a leak check would). Fix (upstream): removal is decoupled from
// reading - a goroutine of its own waits for the close, calls Remove() and then cancels a context,
// while the follower keeps reading events until that cancellation.
//
// GOKER-FINDING: deadlock definite
#include <gridlock/gridlock.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

template <class T> using chan = std::pair<gridlock::sender<T>, gridlock::receiver<T>>;
using signal = chan<int>; // a channel that is only ever closed

gridlock::wait_group *goroutines = nullptr;
template <class F> void go(const char *name, F f) { goroutines->go(name, std::move(f)); }

bool closed(gridlock::receiver<int> &rx) {
  gridlock::select sel;
  sel.recv(rx, [](std::optional<int>) {});
  return sel.try_select();
}

// Forces the interleaving (the kernel hangs in 2 runs of 100): the container closes its readers
// once the follower is registered; the follower waits for events only once it has been closed;
// the event reader holds a Write event when Remove() starts, and offers it only once Remove()
// waits.
struct rendezvous {
  signal registered = gridlock::make_channel<int>(1, "reader-registered");
  signal readers_closed = gridlock::make_channel<int>(1, "readers-closed");
  signal event_pending = gridlock::make_channel<int>(1, "event-pending");
  signal in_remove = gridlock::make_channel<int>(1, "in-remove");
};

enum op : std::uint32_t { create = 1, write = 2, remove_op = 4, rename = 8, chmod = 16 };

struct watcher;

struct event {
  op o;
  bool ignore_linux(watcher &w);
};

// The kernel's Remove() never stops waiting, and its reader only ever sees Write events; here, as
// in fsnotify, removing the watch queues an event that the reader acknowledges (ignoreLinux), so
// that the fixed version can finish.
struct watcher {
  chan<event> events = gridlock::make_channel<event>(0, "Events");
  gridlock::mutex mu{"Watcher.mu"};
  gridlock::condition_variable cv{"Watcher.cv"};
  signal done = gridlock::make_channel<int>(0, "done");
  bool watched = true;   // the file is watched (fsnotify's w.watches)
  bool removing = false; // its watch was removed: the kernel queues an ignore event
  rendezvous &r;
  explicit watcher(rendezvous &rv) : r(rv) {}

  bool is_closed() { return closed(done.second); }

  std::optional<event> next_event() {
    gridlock::lock_guard g(mu);
    if (removing) return event{remove_op};
    if (!watched) return std::nullopt; // nothing more to read until the watcher is closed
    return event{write};
  }

  void read_events() {
    bool first = true;
    for (;;) {
      if (is_closed()) break;
      const std::optional<event> ev = next_event();
      if (!ev) {
        done.second.recv();
        break;
      }
      event e = *ev;
      if (e.ignore_linux(*this)) continue;
      if (first) { // instead of the kernel's 300 ns sleep
        first = false;
        r.event_pending.first.send(1);
        r.in_remove.second.recv();
      }
      bool stop = false;
      gridlock::select sel;
      sel.send(events.first, e, [] {});
      sel.recv(done.second, [&](std::optional<int>) { stop = true; });
      sel.wait(); // readEvents hangs here
      if (stop) break;
    }
    events.first.close();
  }

  void close() {
    if (is_closed()) return;
    done.first.close();
  }

  void remove() {
    r.event_pending.second.recv();
    std::unique_lock lk(mu);
    removing = true;
    r.in_remove.first.send(1);
    bool exists = true;
    while (exists) {
      cv.wait(lk); // EXPECT: readLogs | condition wait | Watcher.cv
      exists = watched;
    }
  }
};

bool event::ignore_linux(watcher &w) {
  if (o == write) return false;
  gridlock::lock_guard g(w.mu);
  w.removing = false;
  w.watched = false;
  w.cv.notify_all();
  return true;
}

std::shared_ptr<watcher> new_watcher(rendezvous &r) {
  auto w = std::make_shared<watcher>(r);
  go("readEvents", [w] { w->read_events(); });
  return w;
}

struct log_watcher {
  gridlock::once_flag close_once{"closeOnce"};
  signal close_notifier = gridlock::make_channel<int>(0, "closeNotifier");
  void close() {
    gridlock::call_once(close_once, [this] { close_notifier.first.close(); });
  }
  gridlock::receiver<int> &watch_close() { return close_notifier.second; }
};

void follow_logs(const std::shared_ptr<log_watcher> &lw, rendezvous &r) {
  std::shared_ptr<watcher> file_watcher = new_watcher(r);
  r.readers_closed.second.recv();
  if (!fixed) {
    // The bug: the follower itself removes the watcher, while nobody drains its events.
    gridlock::select sel;
    sel.recv(file_watcher->events.second, [](std::optional<event>) {});
    sel.recv(lw->watch_close(), [&](std::optional<int>) { file_watcher->remove(); });
    sel.wait();
    file_watcher->close();
    return;
  }
  // The fix: another goroutine waits for the close, removes the watcher, then cancels; the
  // follower reads events until it is cancelled.
  signal ctx = gridlock::make_channel<int>(0, "ctx");
  go("watchClose", [lw, file_watcher, cancel = ctx.first, ctx_done = ctx.second]() mutable {
    gridlock::select sel;
    sel.recv(lw->watch_close(), [&](std::optional<int>) {
      file_watcher->remove();
      cancel.close();
    });
    sel.recv(ctx_done, [](std::optional<int>) {});
    sel.wait();
  });
  for (bool cancelled = false; !cancelled;) {
    gridlock::select sel;
    sel.recv(file_watcher->events.second, [](std::optional<event>) {});
    sel.recv(ctx.second, [&](std::optional<int>) { cancelled = true; });
    sel.wait();
  }
  ctx.first.close();
  file_watcher->close();
}

struct json_file_logger {
  std::map<log_watcher *, std::shared_ptr<log_watcher>> readers;
  rendezvous &r;
  explicit json_file_logger(rendezvous &rv) : r(rv) {}

  void read_logs_of(std::shared_ptr<log_watcher> lw) {
    readers[lw.get()] = lw;
    r.registered.first.send(1);
    follow_logs(lw, r);
  }

  std::shared_ptr<log_watcher> read_logs() {
    auto lw = std::make_shared<log_watcher>();
    go("readLogs", [this, lw] { read_logs_of(lw); });
    return lw;
  }

  void close() {
    r.registered.second.recv(); // the follower is among the readers
    for (auto it = readers.begin(); it != readers.end(); it = readers.erase(it))
      it->second->close();
    r.readers_closed.first.send(1);
  }
};

struct container {
  std::unique_ptr<json_file_logger> log_driver;
  rendezvous &r;

  bool start_logging() {
    log_driver = std::make_unique<json_file_logger>(r);
    log_driver->read_logs();
    return false; // "Some error"
  }
  void reset() {
    if (log_driver) log_driver->close();
  }
  void initialize_stdio() {
    if (!start_logging()) reset();
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  gridlock::wait_group all("goroutines");
  goroutines = &all;
  rendezvous r;
  container c{nullptr, r};
  go("InitializeStdio", [&c] { c.initialize_stdio(); });
  all.wait(); // EXPECT: main | wait_group wait | goroutines
  return 0;
}
