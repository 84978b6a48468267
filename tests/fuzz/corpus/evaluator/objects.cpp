struct server {
  server(gridlock::sender<int> o, gridlock::receiver<int> i) : out(o), in(i) {}
  void loop() {
    for (int k = 0; k < 3; ++k) {
      std::lock_guard<std::mutex> g(mu);
      if (in.recv()) out.send(k);
    }
    out.close();
  }
  gridlock::sender<int> out;
  gridlock::receiver<int> in;
  std::mutex mu;
};
int main() {
  auto ch = gridlock::make_channel<int>(2, "req");
  auto back = gridlock::make_channel<int>(0, "rep");
  server s(back.first, ch.second);
  std::thread t(&server::loop, &s);
  std::thread u([&] { ch.first.send(1); back.second.recv(); });
  t.join();
  u.join();
}
