// Clean twin of cls_catalog_writer_sends_under_lock: the Writer applies each price change under a
// std::unique_lock in a nested scope and announces it only after the lock is released; the Indexer
// and two query readers take std::shared_lock only around reads, after the announcement arrived.
// No lock is held across a channel wait, and the readers never wait on a channel at all.
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
  std::size_t size() const { return prices_.size(); }

private:
  mutable std::shared_mutex mu_;
  std::map<std::string, int> prices_{{"apple", 3}, {"pear", 4}};
};

class Writer {
public:
  Writer(Catalog &catalog, sender<Change> changes)
      : catalog_(catalog), changes_(std::move(changes)) {}

  void reprice(const std::string &sku, int price) {
    {
      std::unique_lock<std::shared_mutex> lk(catalog_.lock());
      catalog_.prices()[sku] = price;
    }
    changes_.send(Change{sku, price});
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
    while (auto change = changes_.recv()) {
      std::shared_lock<std::shared_mutex> lk(catalog_.lock());
      indexed_ += catalog_.prices().at(change->sku);
    }
  }
  int indexed() const { return indexed_; }

private:
  Catalog &catalog_;
  receiver<Change> changes_;
  int indexed_ = 0;
};

class Query {
public:
  explicit Query(const Catalog &catalog) : catalog_(catalog) {}
  void run() {
    for (int i = 0; i < 100; ++i) {
      std::shared_lock<std::shared_mutex> lk(catalog_.lock());
      total_ += static_cast<int>(catalog_.size());
    }
  }

private:
  const Catalog &catalog_;
  int total_ = 0;
};

int main() {
  Catalog catalog;
  auto [changes_tx, changes_rx] = gridlock::make_channel<Change>(0, "changes");
  Writer writer(catalog, std::move(changes_tx));
  Indexer indexer(catalog, std::move(changes_rx));
  Query search(catalog), report(catalog);
  std::thread writing(&Writer::run, &writer);
  std::thread indexing(&Indexer::run, &indexer);
  std::thread searching(&Query::run, &search);
  std::thread reporting(&Query::run, &report);
  writing.join();
  indexing.join();
  searching.join();
  reporting.join();
  std::printf("indexed %d\n", indexer.indexed());
}
