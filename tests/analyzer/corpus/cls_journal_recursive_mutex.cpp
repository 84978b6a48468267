// A write-ahead Journal guards its pending records with a std::recursive_mutex: append() locks it
// and calls seal(), which locks it again. Sealed batches are taken out under the lock and shipped
// to the Archiver on a rendezvous channel only after the lock is released; the Archiver locks the
// journal after each receive. The mutex is never held across a channel wait: clean.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

using gridlock::receiver;
using gridlock::sender;
using Batch = std::vector<int>;

class Journal {
public:
  explicit Journal(sender<Batch> out) : out_(std::move(out)) {}
  std::recursive_mutex &mutex() { return mu_; }

  void writer_loop() {
    for (int record = 0; record < 12; ++record) {
      append(record);
      if (auto batch = take_sealed()) out_.send(std::move(*batch));
    }
    out_.close();
  }

private:
  void append(int record) {
    std::lock_guard<std::recursive_mutex> lk(mu_);
    pending_.push_back(record);
    if (pending_.size() == 4) seal();
  }
  void seal() {
    std::lock_guard<std::recursive_mutex> lk(mu_); // taken a second time by append()
    sealed_ = std::move(pending_);
    pending_.clear();
  }
  std::optional<Batch> take_sealed() {
    std::lock_guard<std::recursive_mutex> lk(mu_);
    return std::exchange(sealed_, std::nullopt);
  }

  sender<Batch> out_;
  std::recursive_mutex mu_;
  Batch pending_;
  std::optional<Batch> sealed_;
};

class Archiver {
public:
  Archiver(Journal &journal, receiver<Batch> in) : journal_(journal), in_(std::move(in)) {}
  void loop() {
    while (auto batch = in_.recv()) {
      std::lock_guard<std::recursive_mutex> lk(journal_.mutex());
      archived_ += batch->size();
    }
  }
  std::size_t archived() const { return archived_; }

private:
  Journal &journal_;
  receiver<Batch> in_;
  std::size_t archived_ = 0;
};

class Service {
public:
  Service()
      : batches_(gridlock::make_channel<Batch>(0, "batches")), journal_(batches_.first),
        archiver_(journal_, batches_.second) {}
  std::size_t run() {
    {
      gridlock::thread writer("journal", &Journal::writer_loop, &journal_);
      gridlock::thread archiver("archiver", &Archiver::loop, &archiver_);
    }
    return archiver_.archived();
  }

private:
  std::pair<sender<Batch>, receiver<Batch>> batches_;
  Journal journal_;
  Archiver archiver_;
};

int main() {
  Service service;
  std::printf("archived %zu records\n", service.run());
}
