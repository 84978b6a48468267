// GoKer hugo#5379: two page renderers count a page's words, which initialises its content once
// (contentInit) and then its plain text once (plainInit, whose body takes contentInitMu). The
// content initialisation starts a goroutine that takes contentInitMu and renders the page's
// shortcodes; a shortcode counts the page's words again, so that goroutine waits in contentInit
// for the body that started it, which gives up after a 1ms timeout. The renderer then runs the
// plainInit body and blocks on contentInitMu, held by the goroutine, while the goroutine, past
// contentInit, waits for that same plainInit body: neither lets go, the other renderer waits for
// plainInit too, and the build waits for both renderers. Fix (upstream): the contentInit body
// itself holds contentInitMu while it waits for the goroutine (released on the timeout), and the
// goroutine no longer takes it.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: pageRenderer initContent.func1.1
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

bool fixed = false;

// The goroutines the page starts; main waits for them before it returns (the fixed version's
// goroutine may still be finishing when the build is done).
gridlock::wait_group goroutines("goroutines");

using error = std::optional<std::string>;

// Forces the interleaving the bug needs (GoKer runs the kernel until it happens): the shortcode
// goroutine holds contentInitMu before the contentInit body waits for it, and it reaches plainInit
// only once a page renderer runs the plainInit body.
std::pair<gridlock::sender<int>, gridlock::receiver<int>> goroutine_started =
    gridlock::make_channel<int>(1, "shortcode-goroutine-started");
std::pair<gridlock::sender<int>, gridlock::receiver<int>> plain_init_running =
    gridlock::make_channel<int>(1, "plainInit-running");
thread_local bool in_shortcode_goroutine = false; // set by initContent.func1.1

struct page;
struct page_without_content {
  page *p = nullptr;
};

error render_shortcode(page_without_content *p);

std::map<int, std::function<error()>> create_shortcode_renderers(page_without_content *p) {
  std::map<int, std::function<error()>> m; // prepareShortcodeForPage
  m[0] = [p] { return render_shortcode(p); };
  return m;
}

struct shortcode_handler {
  page_without_content *p;
  std::map<int, std::function<error()>> content_shortcodes;
  std::map<int, std::function<error()>> content_shortcodes_delta;
  gridlock::once_flag init{"shortcodeHandler.init"};

  explicit shortcode_handler(page_without_content *pwc) : p(pwc) {}

  error execute_shortcodes_for_delta(page_without_content *) {
    for (auto &[k, render] : content_shortcodes_delta)
      if (error err = render()) continue;
    return std::nullopt;
  }

  void update_delta() {
    gridlock::call_once(init, [this] { content_shortcodes = create_shortcode_renderers(p); });
    std::map<int, std::function<error()>> delta;
    for (auto &[k, v] : content_shortcodes)
      if (!delta.count(k)) delta[k] = v;
    content_shortcodes_delta = delta;
  }
};

struct page {
  gridlock::once_flag without_content_init{"withoutContentInit"}; // pageInit
  gridlock::once_flag plain_init{"plainInit"};                    // pageContentInit
  page_without_content page_without_content_v;
  gridlock::once_flag content_init{"contentInit"};
  gridlock::mutex content_init_mu{"contentInitMu"};
  std::unique_ptr<shortcode_handler> shortcode_state;

  void word_count() { init_content_plain_and_meta(); }

  void init_content_plain_and_meta() {
    init_content();
    if (in_shortcode_goroutine) plain_init_running.second.recv();
    init_plain(true);
  }

  void init_plain(bool lock) {
    auto f = [this, lock] {
      if (!lock) return;
      plain_init_running.first.send(1);
      content_init_mu.lock();   // EXPECT: pageRenderer | mutex lock | contentInitMu
      content_init_mu.unlock(); // deferred
    };
    gridlock::call_once(plain_init, f); // EXPECT: initContent.func1.1 | call_once | plainInit
  }

  page_without_content *without_content() {
    gridlock::call_once(without_content_init, [this] { page_without_content_v.p = this; });
    return &page_without_content_v;
  }

  error prepare_for_render();

  void set_content_init() { shortcode_state->update_delta(); }

  void init_content() {
    gridlock::call_once(content_init, [this] {
      auto [ctx, cancel] =
          gridlock::with_timeout(gridlock::background(), std::chrono::milliseconds(1), "ctx");
      auto [c_tx, c_rx] = gridlock::make_channel<error>(1, "c");
      if (fixed) content_init_mu.lock(); // the fix: held by the body, not by the goroutine

      // The goroutine's closure captures the channel c (a Go chan has both directions).
      goroutines.go(
          "initContent.func1.1",
          [this](gridlock::context ctx, gridlock::sender<error> c,
                 gridlock::receiver<error> c_too) {
            (void)c_too;
            in_shortcode_goroutine = true;
            if (!fixed) content_init_mu.lock(); // the bug: first lock here
            goroutine_started.first.send(1);
            error err = prepare_for_render();
            if (err) {
              c.send(err);
              if (!fixed) content_init_mu.unlock();
              return;
            }
            if (fixed) { // the fix: give up once the body has
              gridlock::select sel;
              bool done = false;
              sel.recv(ctx.done(), [&](std::optional<std::monostate>) { done = true; });
              sel.try_select();
              if (done) return;
            }
            c.send(err);
            if (!fixed) content_init_mu.unlock();
          },
          ctx, std::move(c_tx), c_rx);

      goroutine_started.second.recv();
      gridlock::select sel;
      sel.recv(ctx.done(), [](std::optional<std::monostate>) {});
      sel.recv(c_rx, [](std::optional<error>) {});
      sel.wait();
      if (fixed) content_init_mu.unlock();
      cancel(); // deferred
    });
  }
};

error handle_shortcodes(page_without_content *p) {
  return p->p->shortcode_state->execute_shortcodes_for_delta(p);
}

error page::prepare_for_render() {
  if (error err = handle_shortcodes(without_content())) return err;
  return std::nullopt;
}

error render_shortcode_with_page(page_without_content *p) {
  p->p->word_count(); // reflection omitted, as in the kernel
  return std::nullopt;
}

error render_shortcode(page_without_content *p) { return render_shortcode_with_page(p); }

struct site {
  std::vector<page *> pages; // PageCollections

  void prepare_pages_for_render() {
    for (page *p : pages) p->set_content_init();
  }

  void render_for_layouts() {
    for (page *p : pages) p->word_count();
  }

  void render_and_write_page() { render_for_layouts(); }

  void render_pages() {
    const int num_workers = 2;
    gridlock::wait_group wg("wg");
    for (int i = 0; i < num_workers; ++i)
      wg.go("pageRenderer", [this] { render_and_write_page(); });
    wg.wait(); // EXPECT: main | wait_group wait | wg
  }
};

struct hugo_sites {
  std::vector<site *> sites;

  void render() {
    for (site *s : sites) {
      for (site *s2 : sites) s2->prepare_pages_for_render();
      s->render_pages();
    }
  }

  void build() { render(); }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  site s; // createSitesFromConfig: one site
  hugo_sites h{{&s}};
  page p;
  p.shortcode_state = std::make_unique<shortcode_handler>(p.without_content());
  s.pages.push_back(&p);
  h.build();
  goroutines.wait();
  return 0;
}
