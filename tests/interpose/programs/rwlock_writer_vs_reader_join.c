// expect: deadlock definite
// "reader" takes a pthread rwlock for reading, then starts "writer" and joins it while still
// holding the read lock; the writer's write lock waits for that read lock forever.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static int table[4];

static void *writer(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "writer");
  pthread_rwlock_wrlock(&table_lock); // EXPECT: write lock by writer
  for (int i = 0; i < 4; ++i) table[i] = i;
  pthread_rwlock_unlock(&table_lock);
  return NULL;
}

static void *reader(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "reader");
  pthread_rwlock_rdlock(&table_lock);
  pthread_t w;
  pthread_create(&w, NULL, writer, NULL); // the read lock is held before the writer exists
  pthread_join(w, NULL);                  // EXPECT: thread join by reader
  printf("reader: %d %d (unreachable)\n", table[0], table[3]);
  pthread_rwlock_unlock(&table_lock);
  return NULL;
}

int main(void) {
  pthread_t r;
  pthread_create(&r, NULL, reader, NULL);
  pthread_join(r, NULL); // EXPECT: thread join
  return 0;
}
