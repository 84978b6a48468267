// The crawler with a results channel sized for every URL: each of the 4 fetchers started with
// wait_group::go deposits its page size into one of 4 slots and finishes, so the crawler's wait
// returns and it then drains the results. Clean: a constant 4 sends, at most one per fetcher, into
// a buffer of constant capacity 4 never block.
#include <gridlock/gridlock.hpp>

#include <array>
#include <cstdio>
#include <string>

namespace {

constexpr int kResultSlots = 4;
const std::array<std::string, 4> kUrls{"/index", "/about", "/blog", "/contact"};

struct page {
  std::string url;
  std::size_t bytes;
};

void fetch(std::string url, gridlock::sender<page> results) {
  page p{url, url.size() * 1024};
  results.send(std::move(p));
}

class crawler {
public:
  crawler() : fetchers_("fetchers") {}

  std::size_t crawl() {
    auto [results_tx, results_rx] = gridlock::make_channel<page>(kResultSlots, "page-sizes");
    for (std::size_t i = 0; i < kUrls.size(); ++i)
      fetchers_.go("fetcher-" + std::to_string(i), fetch, kUrls[i], results_tx);
    fetchers_.wait();
    std::size_t total = 0;
    for (std::size_t i = 0; i < kUrls.size(); ++i) total += results_rx.recv()->bytes;
    return total;
  }

private:
  gridlock::wait_group fetchers_;
};

} // namespace

int main() {
  crawler c;
  std::printf("crawled %zu bytes\n", c.crawl());
  return 0;
}
