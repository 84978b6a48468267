// GoKer grpc#1275: the test starts a goroutine that reads from a new stream and closes donec when
// the read returns, then closes the stream and waits for donec under a 300ns timer. The read waits
// for the stream's receive buffer, but CloseStream never tells in-flight readers that the stream
// is gone: nothing is ever put in the buffer, the reader waits forever and the test returns
// through the timer (in Go the goroutine leaks; here main waits for the goroutines at the end,
// where Go's leak check would look). Fix (upstream): CloseStream writes an error message into the
// stream's receive buffer, so the read returns.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: testInflightStreamClosing.func1
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

// The goroutines the test started; main waits for them before it returns.
gridlock::wait_group goroutines("goroutines");

// The stream's receive buffer: a channel (a Go chan has both directions; the reader only gets it).
struct recv_buffer {
  gridlock::sender<bool> put;
  gridlock::receiver<bool> c;
  gridlock::receiver<bool> &get() { return c; }
};

struct recv_buffer_reader {
  recv_buffer recv;

  std::size_t read(std::span<char> p) {
    (void)p;
    gridlock::select sel;
    sel.recv(recv.get(), [](std::optional<bool>) {});
    sel.wait(); // EXPECT: testInflightStreamClosing.func1 | select | recvBuffer.c
    return 0;
  }
};

struct stream {
  recv_buffer_reader tr_reader;

  // io.ReadFull over the transport reader (the kernel's reader returns after one message).
  std::size_t read(std::span<char> p) { return tr_reader.read(p); }
};

struct http2_client {
  stream new_stream() {
    auto [put, c] = gridlock::make_channel<bool>(0, "recvBuffer.c");
    return stream{recv_buffer_reader{recv_buffer{std::move(put), std::move(c)}}};
  }

  void close_stream(stream &s) {
    if (fixed) s.tr_reader.recv.put.send(true); // the fix: notify the in-flight reader
    // the bug: nothing tells the reader
  }
};

void test_inflight_stream_closing() {
  http2_client client;
  stream s = client.new_stream();
  auto [done_tx, done_rx] = gridlock::make_channel<bool>(0, "donec");
  // The goroutine's closure captures the stream and donec; their channels are passed as they are.
  goroutines.go(
      "testInflightStreamClosing.func1",
      [](gridlock::receiver<bool> c, gridlock::sender<bool> put, gridlock::sender<bool> donec,
         gridlock::receiver<bool> donec_too) {
        (void)donec_too;
        stream st{recv_buffer_reader{recv_buffer{std::move(put), std::move(c)}}};
        char buf[1] = {1};
        st.read(buf);
        donec.close(); // deferred
      },
      s.tr_reader.recv.c, s.tr_reader.recv.put, std::move(done_tx), done_rx);

  client.close_stream(s);

  gridlock::timer timeout(std::chrono::nanoseconds(300), "timeout");
  bool done = false;
  gridlock::select sel;
  sel.recv(done_rx, [&](std::optional<bool>) { done = true; });
  sel.recv(timeout.channel(), [](std::optional<gridlock::time_point>) {});
  sel.wait();
  if (done && !timeout.stop()) timeout.channel().recv();
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  test_inflight_stream_closing();
  goroutines.wait(); // EXPECT: main | wait_group wait | goroutines
  return 0;
}
