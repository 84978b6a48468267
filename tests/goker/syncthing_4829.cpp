// GoKer syncthing#4829: removing a NAT mapping clears its addresses under the mapping's write
// lock and, when some were removed, notifies the subscribers from inside that section; notify()
// takes the read lock of the same mapping, so the goroutine waits for itself. Fix (upstream):
// clearAddresses releases the lock before it notifies.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: main
#include <gridlock/gridlock.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

bool fixed = false;

using address = int;

struct mapping {
  gridlock::shared_mutex mut{"Mapping.mut"};
  std::map<std::string, address> ext_addresses;

  void notify(const std::vector<address> &added, const std::vector<address> &removed) {
    gridlock::shared_lock_guard read(mut); // EXPECT: main | read lock | Mapping.mut
    (void)added;
    (void)removed;
  }

  void clear_addresses() {
    mut.lock();
    std::vector<address> removed;
    for (const auto &[id, addr] : ext_addresses) removed.push_back(addr);
    ext_addresses.clear();
    if (fixed) mut.unlock(); // the fix: the subscribers are told after the lock is released
    if (!removed.empty()) notify({}, removed);
    if (!fixed) mut.unlock();
  }
};

struct service {
  gridlock::shared_mutex mut{"Service.mut"};
  std::vector<std::unique_ptr<mapping>> mappings;

  mapping *new_mapping() {
    auto m = std::make_unique<mapping>();
    mapping *raw = m.get();
    gridlock::lock_guard write(mut);
    mappings.push_back(std::move(m));
    return raw;
  }

  void remove_mapping(mapping *m) {
    gridlock::lock_guard write(mut);
    for (const auto &existing : mappings)
      if (existing.get() == m) m->clear_addresses();
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  service nat_svc;
  mapping *m = nat_svc.new_mapping();
  m->ext_addresses["test"] = 0;
  nat_svc.remove_mapping(m);
  return 0;
}
