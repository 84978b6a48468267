// GoKer cockroach#6181: LookupRangeDescriptor logs the range descriptor cache while it holds the
// cache's read lock, and formatting the cache (its String method) takes the same read lock again;
// afterwards the lookup takes the write lock. With several lookups at once, one of them asks for
// the write lock while another is between its two read locks: under Go's writer preference the
// nested read lock waits for the pending writer, which waits for the outer read lock, and the
// test waits for all lookups in a wait group. Fix (upstream): the log line formats the cache with
// the variant that expects the lock to be held (stringLocked).
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: doLookupWithToken-0 doLookupWithToken-1
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace {

bool fixed = false;

// Forces the interleaving the bug needs (GoKer runs the kernel until it happens): lookup 1 runs
// once lookup 0 holds the read lock; lookup 0 formats the cache once lookup 1 is parked in the
// write lock (under Go's policy a parked writer makes try_lock_shared fail), and lookup 2 starts
// after that.
struct rendezvous {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> first_has_read =
      gridlock::make_channel<int>(1, "first-has-read");
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> writer_waits =
      gridlock::make_channel<int>(1, "writer-waits");
};

void until_writer_waits(gridlock::shared_mutex &rw) {
  while (rw.try_lock_shared()) {
    rw.unlock_shared();
    std::this_thread::yield();
  }
}

struct range_descriptor_cache {
  gridlock::shared_mutex range_cache_mu{"rangeCacheMu"};

  void lookup_range_descriptor(int lookup, rendezvous &r) {
    range_cache_mu.lock_shared();
    if (lookup == 0) {
      r.first_has_read.first.send(1);
      until_writer_waits(range_cache_mu);
      r.writer_waits.first.send(1);
    }
    // fmt.Printf("... %s", rdc) calls String() implicitly.
    const std::string text = fixed ? string_locked() : string();
    std::printf("lookup range descriptor: %s\n", text.c_str());
    range_cache_mu.unlock_shared();
    range_cache_mu.lock(); // EXPECT: doLookupWithToken-1 | write lock | rangeCacheMu
    range_cache_mu.unlock();
  }

  std::string string() {
    range_cache_mu.lock_shared(); // EXPECT: doLookupWithToken-0 | read lock | rangeCacheMu
    std::string s = string_locked();
    range_cache_mu.unlock_shared();
    return s;
  }

  std::string string_locked() const { return "something here"; }
};

struct test_descriptor_db {
  range_descriptor_cache cache;
};

void do_lookup_with_token(range_descriptor_cache &rc, int lookup, rendezvous &r) {
  if (lookup == 1) r.first_has_read.second.recv();
  if (lookup == 2) r.writer_waits.second.recv();
  rc.lookup_range_descriptor(lookup, r);
}

void test_range_cache_coalesced_requests() {
  test_descriptor_db db;
  rendezvous r;
  auto pause_lookup_resume_and_assert = [&] {
    gridlock::wait_group wg("wg");
    for (int i = 0; i < 3; ++i)
      wg.go("doLookupWithToken-" + std::to_string(i),
            [&db, &r, i] { do_lookup_with_token(db.cache, i, r); });
    wg.wait();
  };
  pause_lookup_resume_and_assert();
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  gridlock::thread g1("testRangeCacheCoalescedRquests", test_range_cache_coalesced_requests);
  // The Go test returns and leaves G1 behind; here main waits for it.
  g1.join();
  return 0;
}
