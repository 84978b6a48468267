// GoKer etcd#7902: the election runner's round clients run doRounds, which holds one mutex around
// each client's validate() and around its release(). A follower's release() waits for the leader
// to close the round's channel; the leader closes it in its own release(), for which it needs the
// mutex the waiting follower holds: the leader, the followers and runElectionFunc's wait for them
// all hang (the test returns and they leak; here main joins runElectionFunc). Fix (upstream):
// doRounds no longer holds its mutex around validate() and release(); each runner locks what it
// shares itself.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: round1 runElectionFunc
#include <gridlock/gridlock.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

bool fixed = false;

using chan = std::pair<gridlock::sender<bool>, gridlock::receiver<bool>>;

// Forces the interleaving (the kernel hangs in every run only through Go's old loop variable,
// which made nobody the leader): in each round the leader releases once both followers have
// validated; in the first round follower 1 releases first, then follower 2 and the leader.
struct rendezvous {
  using chan = std::pair<gridlock::sender<int>, gridlock::receiver<int>>;
  chan validated = gridlock::make_channel<int>(2, "follower-validated");
  std::vector<chan> may_release;
  chan in_release = gridlock::make_channel<int>(2, "follower-in-release");
  rendezvous() {
    for (int i = 0; i < 3; ++i)
      may_release.push_back(gridlock::make_channel<int>(1, "may-release"));
  }
};

struct round_client {
  int progress = 0;
  std::function<void()> acquire;
  std::function<void()> validate;
  std::function<void()> before_release; // the rendezvous
  std::function<void()> release;
};

void do_rounds(std::vector<round_client> &rcs, int rounds) {
  gridlock::mutex mu("doRounds.mu");
  gridlock::wait_group wg("wg");
  for (std::size_t i = 0; i < rcs.size(); ++i) {
    wg.go("round" + std::to_string(i), [&mu, &rcs, i, rounds] {
      round_client &rc = rcs[i];
      while (rc.progress < rounds || rounds <= 0) {
        rc.acquire();
        if (!fixed) mu.lock();
        rc.validate();
        if (!fixed) mu.unlock();
        ++rc.progress;
        rc.before_release();
        if (!fixed) mu.lock(); // EXPECT: round0 | mutex lock | doRounds.mu
        rc.release();
        if (!fixed) mu.unlock();
      }
    });
  }
  wg.wait(); // EXPECT: runElectionFunc | wait_group wait | wg
}

void run_election_func() {
  rendezvous r;
  std::vector<round_client> rcs(3);
  gridlock::mutex nextc_mu("election.mu"); // the runner's own lock (it came with the fix)
  chan nextc = gridlock::make_channel<bool>(0, "nextc");
  std::vector<gridlock::receiver<bool>> rc_nextc(rcs.size());
  for (std::size_t i = 0; i < rcs.size(); ++i) {
    const bool leader = i == 0; // the first round client is the leader
    auto set_rc_nextc = [&, i] {
      gridlock::lock_guard g(nextc_mu);
      rc_nextc[i] = nextc.second;
    };
    rcs[i].acquire = [] {};
    rcs[i].validate = [&, set_rc_nextc, leader] {
      set_rc_nextc();
      if (!leader) r.validated.first.send(1);
    };
    rcs[i].before_release = [&, i, leader, first = true]() mutable {
      if (!leader) {
        if (first) r.may_release[i].second.recv();
      } else {
        r.validated.second.recv();
        r.validated.second.recv();
        if (first) {
          r.may_release[1].first.send(1);
          r.in_release.second.recv();
          r.may_release[2].first.send(1);
        }
      }
      first = false;
    };
    rcs[i].release = [&, i, leader, first = true]() mutable {
      if (leader) {
        gridlock::lock_guard g(nextc_mu);
        nextc.first.close();
        nextc = gridlock::make_channel<bool>(0, "nextc");
      } else if (first) {
        r.in_release.first.send(1);
      }
      first = false;
      rc_nextc[i].recv(); // EXPECT: round1 | chan receive | nextc
    };
  }
  do_rounds(rcs, 100);
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  gridlock::thread g1("runElectionFunc", run_election_func);
  g1.join(); // EXPECT: main | thread join | runElectionFunc
  return 0;
}
