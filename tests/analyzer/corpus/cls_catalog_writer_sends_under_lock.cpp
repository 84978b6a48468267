// A product Catalog is guarded by a std::shared_mutex. The Writer announces each price change on a
// rendezvous channel while still holding its std::unique_lock; the search Indexer takes a
// std::shared_lock and waits for the next change while holding it. Each holds the lock the other
// needs across the rendezvous: a lock across a send on every schedule.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <map>
#include <shared_mutex>
#include <string>
#include <thread>
#include <utility>

using gridlock::receiver;
using gridlock::sender;

struct Change {
  std::string sku;
  int price;
};

class Catalog {
public:
  std::shared_mutex &lock() const { return mu_; }
  std::map<std::string, int> &prices() { return prices_; }

private:
  mutable std::shared_mutex mu_;
  std::map<std::string, int> prices_{{"apple", 3}, {"pear", 4}};
};

class Writer {
public:
  Writer(Catalog &catalog, sender<Change> changes)
      : catalog_(catalog), changes_(std::move(changes)) {}

  void reprice(const std::string &sku, int price) {
    std::unique_lock<std::shared_mutex> lk(catalog_.lock());
    catalog_.prices()[sku] = price;
    changes_.send(Change{sku, price}); // CHECK-WARN: gridlock-lock-across-send definite
  }
  void run() {
    reprice("apple", 5);
    reprice("pear", 2);
    changes_.close();
  }

private:
  Catalog &catalog_;
  sender<Change> changes_;
};

class Indexer {
public:
  Indexer(Catalog &catalog, receiver<Change> changes)
      : catalog_(catalog), changes_(std::move(changes)) {}

  void run() {
    for (;;) {
      std::shared_lock<std::shared_mutex> lk(catalog_.lock()); // CHECK-NOTE
      auto change = changes_.recv();
      if (!change) break;
      indexed_ += catalog_.prices().at(change->sku);
    }
  }
  int indexed() const { return indexed_; }

private:
  Catalog &catalog_;
  receiver<Change> changes_;
  int indexed_ = 0;
};

int main() {
  Catalog catalog;
  auto [changes_tx, changes_rx] = gridlock::make_channel<Change>(0, "changes");
  Writer writer(catalog, std::move(changes_tx));
  Indexer indexer(catalog, std::move(changes_rx));
  std::thread writing(&Writer::run, &writer);
  std::thread indexing(&Indexer::run, &indexer);
  writing.join();
  indexing.join();
  std::printf("indexed %d\n", indexer.indexed());
}
