// expect: clean
// "ping" and "pong" alternate strictly through two POSIX semaphores, 10000 round trips.
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

enum { kRounds = 10000 };

static sem_t ping_turn, pong_turn;
static int last_hit; // 1 after ping, 2 after pong
static int out_of_turn;

static void *ping(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "ping");
  for (int i = 0; i < kRounds; ++i) {
    while (sem_wait(&ping_turn) != 0) continue;
    if (last_hit == 1) ++out_of_turn;
    last_hit = 1;
    sem_post(&pong_turn);
  }
  return NULL;
}

static void *pong(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "pong");
  for (int i = 0; i < kRounds; ++i) {
    while (sem_wait(&pong_turn) != 0) continue;
    if (last_hit != 1) ++out_of_turn;
    last_hit = 2;
    sem_post(&ping_turn);
  }
  return NULL;
}

int main(void) {
  sem_init(&ping_turn, 0, 1); // ping serves first
  sem_init(&pong_turn, 0, 0);
  pthread_t a, b;
  pthread_create(&a, NULL, ping, NULL);
  pthread_create(&b, NULL, pong, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  sem_destroy(&ping_turn);
  sem_destroy(&pong_turn);
  printf("out of turn: %d\n", out_of_turn);
  return out_of_turn == 0 && last_hit == 2 ? 0 : 1;
}
