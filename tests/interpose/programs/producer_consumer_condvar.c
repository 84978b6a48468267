// expect: clean
// Bounded buffer guarded by a pthread mutex and two condition variables (not_full, not_empty):
// 2 producers put 10000 items in total, 2 consumers take 5000 each.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

enum { kCapacity = 16, kPerProducer = 5000, kPerConsumer = 5000 };

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static int buffer[kCapacity];
static int head, count;
static long consumed_sum;

static void *producer(void *arg) {
  pthread_setname_np(pthread_self(), (const char *)arg);
  for (int i = 1; i <= kPerProducer; ++i) {
    pthread_mutex_lock(&mu);
    while (count == kCapacity) pthread_cond_wait(&not_full, &mu);
    buffer[(head + count) % kCapacity] = i;
    ++count;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&mu);
  }
  return NULL;
}

static void *consumer(void *arg) {
  pthread_setname_np(pthread_self(), (const char *)arg);
  for (int i = 0; i < kPerConsumer; ++i) {
    pthread_mutex_lock(&mu);
    while (count == 0) pthread_cond_wait(&not_empty, &mu);
    consumed_sum += buffer[head];
    head = (head + 1) % kCapacity;
    --count;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&mu);
  }
  return NULL;
}

int main(void) {
  pthread_t p1, p2, c1, c2;
  pthread_create(&c1, NULL, consumer, "consumer-1");
  pthread_create(&c2, NULL, consumer, "consumer-2");
  pthread_create(&p1, NULL, producer, "producer-1");
  pthread_create(&p2, NULL, producer, "producer-2");
  pthread_join(p1, NULL);
  pthread_join(p2, NULL);
  pthread_join(c1, NULL);
  pthread_join(c2, NULL);
  const long expected = 2L * kPerProducer * (kPerProducer + 1) / 2;
  printf("consumed sum: %ld (expected %ld)\n", consumed_sum, expected);
  return consumed_sum == expected ? 0 : 1;
}
