// expect: clean
// A SIGUSR1 handler that only sets a volatile sig_atomic_t; main raises the signal to itself five
// times (each while holding the mutex the workers are busy with), then joins; exits 0.
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

enum { kWorkers = 3, kRounds = 50000, kSignals = 5 };

static volatile sig_atomic_t last_signal;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long shared_count;

static void on_usr1(int sig) { last_signal = sig; }

static void *worker(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "worker");
  for (int i = 0; i < kRounds; ++i) {
    pthread_mutex_lock(&mu);
    ++shared_count;
    pthread_mutex_unlock(&mu);
  }
  return NULL;
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);

  pthread_t workers[kWorkers];
  for (int i = 0; i < kWorkers; ++i) pthread_create(&workers[i], NULL, worker, NULL);
  int delivered = 0;
  for (int i = 0; i < kSignals; ++i) {
    last_signal = 0;
    pthread_mutex_lock(&mu);
    raise(SIGUSR1); // the handler runs on this thread before raise returns
    pthread_mutex_unlock(&mu);
    if (last_signal == SIGUSR1) ++delivered;
  }
  for (int i = 0; i < kWorkers; ++i) pthread_join(workers[i], NULL);
  printf("signals delivered: %d, count: %ld\n", delivered, shared_count);
  return delivered == kSignals && shared_count == (long)kWorkers * kRounds ? 0 : 1;
}
