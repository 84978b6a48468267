void node(gridlock::sender<int> out, gridlock::receiver<int> in) {
  out.send(1);
  in.recv();
}
int main() {
  auto [a, b] = gridlock::make_channel<int>(0, "a");
  auto [c, d] = gridlock::make_channel<int>(0, "c");
  gridlock::thread x("x", node, std::move(a), std::move(d));
  gridlock::thread y("y", node, std::move(c), std::move(b));
}
