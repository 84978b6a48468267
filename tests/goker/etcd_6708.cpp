// GoKer etcd#6708: Sync() takes the cluster client's write lock, and the leader lookup it makes
// under that lock calls Do(), which takes the read lock of the same client: one goroutine waits
// for itself. Fix (upstream): the lookup runs on a copy of the client, with its own lock.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: main
#include <gridlock/gridlock.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

bool fixed = false;

enum class endpoint_selection { random, prioritize_leader };

struct http_cluster_client {
  gridlock::shared_mutex mu{"httpClusterClient.mu"};
  std::vector<std::string> endpoints;
  endpoint_selection selection = endpoint_selection::prioritize_leader;

  // Do: any request reads the endpoints under the read lock.
  std::string do_request() {
    gridlock::shared_lock_guard read(mu); // EXPECT: main | read lock | httpClusterClient.mu
    return endpoints.empty() ? "" : endpoints.front();
  }

  // The members API asks the cluster for its leader through Do.
  std::string leader_endpoint() {
    if (!fixed) return do_request(); // the bug: on the client whose write lock is held
    http_cluster_client copy;        // the fix: a client of its own
    copy.endpoints = endpoints;
    return copy.do_request();
  }

  void set_endpoints(std::vector<std::string> eps) {
    endpoints = std::move(eps);
    if (selection == endpoint_selection::prioritize_leader) {
      const std::string leader = leader_endpoint();
      (void)leader;
    }
  }

  void sync() {
    gridlock::lock_guard write(mu);
    set_endpoints({"http://127.0.0.1:2379"});
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  http_cluster_client hc;
  hc.sync();
  return 0;
}
