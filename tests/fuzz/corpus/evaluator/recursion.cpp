int f(int n, gridlock::sender<int> &s) {
  switch (n % 3) {
  case 0: s.send(n); break;
  case 1: return f(n - 1, s);
  default: while (n > 0) { --n; if (n == 7) continue; }
  }
  return n > 0 ? f(n - 2, s) : 0;
}
int main() {
  auto [tx, rx] = gridlock::make_channel<int>(1);
  gridlock::thread t("t", [&] { for (;;) rx.recv(); });
  f(40, tx);
}
