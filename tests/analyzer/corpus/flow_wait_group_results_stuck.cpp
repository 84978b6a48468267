// A crawler fans out one fetcher per URL with wait_group::go, waits for the group, and only then
// reads the page sizes. The results channel holds 2 of the 4 results, so two fetchers block
// sending theirs and never finish, and the crawler's wait never returns. Deadlock: fetchers
// (send 'page-sizes') -> crawler (wait_group wait, its receive comes only after) -> fetchers.
#include <gridlock/gridlock.hpp>

#include <array>
#include <cstdio>
#include <string>

namespace {

constexpr int kResultSlots = 2;
const std::array<std::string, 4> kUrls{"/index", "/about", "/blog", "/contact"};

struct page {
  std::string url;
  std::size_t bytes;
};

void fetch(std::string url, gridlock::sender<page> results) {
  page p{url, url.size() * 1024};
  results.send(std::move(p)); // CHECK-WARN: gridlock-circular-send definite
}

class crawler {
public:
  crawler() : fetchers_("fetchers") {}

  std::size_t crawl() {
    auto [results_tx, results_rx] = gridlock::make_channel<page>(kResultSlots, "page-sizes");
    for (std::size_t i = 0; i < kUrls.size(); ++i)
      fetchers_.go("fetcher-" + std::to_string(i), fetch, kUrls[i], results_tx);
    fetchers_.wait(); // CHECK-NOTE
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
