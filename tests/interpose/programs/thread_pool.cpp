// expect: clean
// A fixed pool of 4 std::threads drains a mutex+condition_variable task queue of 1000 tasks,
// then a shutdown flag wakes the idle workers and they are joined.
#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

class ThreadPool {
public:
  explicit ThreadPool(int size) {
    for (int i = 0; i < size; ++i) workers_.emplace_back([this, i] { run(i); });
  }

  void submit(std::function<void()> task) {
    {
      std::lock_guard g(mu_);
      tasks_.push(std::move(task));
    }
    ready_.notify_one();
  }

  void shutdown() {
    {
      std::lock_guard g(mu_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto &w : workers_) w.join();
  }

private:
  void run(int index) {
    pthread_setname_np(pthread_self(), ("pool-" + std::to_string(index)).c_str());
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lk(mu_);
        ready_.wait(lk, [this] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return; // stopping and nothing left to do
        task = std::move(tasks_.front());
        tasks_.pop();
      }
      task();
    }
  }

  std::mutex mu_;
  std::condition_variable ready_;
  std::queue<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

int main() {
  std::atomic<long> sum{0};
  ThreadPool pool(4);
  for (int i = 0; i < 1000; ++i) pool.submit([&sum, i] { sum += i; });
  pool.shutdown();
  std::printf("sum: %ld\n", sum.load());
  return sum == 999L * 1000 / 2 ? 0 : 1;
}
