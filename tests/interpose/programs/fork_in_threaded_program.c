// expect: clean
// Two "busy" threads hammer a mutex while "forker" forks; the child only locks and unlocks a
// fresh mutex of its own and _exit(0)s, the parent waitpid()s for it; everything is joined.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

enum { kRounds = 20000 };

static pthread_mutex_t counter_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t all_started;
static long counter;

static void bump(void) {
  pthread_mutex_lock(&counter_mu);
  ++counter;
  pthread_mutex_unlock(&counter_mu);
}

static void *busy(void *arg) {
  pthread_setname_np(pthread_self(), (const char *)arg);
  pthread_barrier_wait(&all_started);
  for (int i = 0; i < kRounds; ++i) bump();
  return NULL;
}

static void *forker(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "forker");
  pthread_barrier_wait(&all_started);
  for (int i = 0; i < 100; ++i) bump(); // counter_mu is in use by everyone around the fork
  pid_t pid = fork();
  if (pid == 0) { // child: only this thread exists; counter_mu may be held by a vanished thread
    pthread_mutex_t fresh;
    pthread_mutex_init(&fresh, NULL);
    pthread_mutex_lock(&fresh);
    pthread_mutex_unlock(&fresh);
    _exit(0);
  }
  int status = -1;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return (void *)(intptr_t)1;
  return (void *)(intptr_t)(WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1);
}

int main(void) {
  pthread_barrier_init(&all_started, NULL, 3);
  pthread_t b1, b2, f;
  pthread_create(&b1, NULL, busy, "busy-1");
  pthread_create(&b2, NULL, busy, "busy-2");
  pthread_create(&f, NULL, forker, NULL);
  void *child_failed = NULL;
  pthread_join(f, &child_failed);
  pthread_join(b1, NULL);
  pthread_join(b2, NULL);
  pthread_barrier_destroy(&all_started);
  printf("counter: %ld, child failed: %d\n", counter, (int)(intptr_t)child_failed);
  return counter == 2L * kRounds + 100 && child_failed == NULL ? 0 : 1;
}
