// The seed's process-addressed style, checked with --api user_api.json: send(dest, &m) blocks
// until dest receives it (synchronous), receive(src, &m) waits for a message from src (or ANY).
struct message {
  int type;
  int source;
};
enum process { ANY = -1, PING = 0, PONG = 1, CLIENT = 2, SERVER = 3 };

void send(int dest, message *m);
void receive(int src, message *m);

// Both send first, synchronously: a circular send through the user's own API.
void ping() {
  message m{0, PING};
  send(PONG, &m); // CHECK-WARN: gridlock-circular-send definite CHECK-NOTE
  receive(PONG, &m);
}
void pong() {
  message m{0, PONG};
  send(PING, &m); // CHECK-NOTE
  receive(PING, &m);
}

// A correct request/reply pair: the server receives from ANY first.
void client() {
  message m{1, CLIENT};
  send(SERVER, &m);
  receive(SERVER, &m);
}
void server() {
  message m{};
  receive(ANY, &m);
  send(m.source, &m);
}
