#include "storage/wal_checkpointer.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "storage/database.hpp"

namespace okr::storage {

namespace {

// What the commit hooks and the checkpointer share. It lives for the whole process, because a
// connection adopted by a checkpointer may be closed after that checkpointer is gone.
struct Signal {
  std::mutex mutex;
  std::condition_variable wake;
  std::string path;        // the file of the running checkpointer; empty when none runs
  int threshold = 1000;
  bool wanted = false;     // a commit saw the WAL past the threshold
  bool stopping = false;
  std::atomic<long> commits{0};  // every commit on an adopted connection
  // WAL frames already copied by the last checkpoint. The WAL's size only drops when a writer
  // restarts it, which readers can delay; counting from here keeps the checkpointer from
  // re-running (and fsyncing) back to back over a WAL it has already copied.
  std::atomic<int> copied{0};
};

Signal& signal() {
  static Signal* shared = new Signal;  // never destroyed: see above
  return *shared;
}

// Runs on the committing thread, inside its commit: only counts and, rarely, wakes.
int on_commit(void*, sqlite3*, const char*, int wal_pages) {
  Signal& s = signal();
  s.commits.fetch_add(1, std::memory_order_relaxed);
  int copied = s.copied.load(std::memory_order_relaxed);
  if (wal_pages < copied) {
    copied = 0;  // the WAL was restarted from its beginning
  }
  if (wal_pages - copied >= s.threshold) {
    {
      std::lock_guard lock(s.mutex);
      s.wanted = true;
    }
    s.wake.notify_one();
  }
  return SQLITE_OK;
}

}  // namespace

namespace detail {

void adopt_for_background_checkpoints(const std::string& path, void* connection) {
  Signal& s = signal();
  {
    std::lock_guard lock(s.mutex);
    if (s.path.empty() || s.path != path) {
      return;
    }
  }
  auto* db = static_cast<sqlite3*>(connection);
  // wal_autocheckpoint(0) is itself a wal hook; ours replaces it, so set it first.
  sqlite3_wal_autocheckpoint(db, 0);
  sqlite3_wal_hook(db, &on_commit, nullptr);
}

}  // namespace detail

struct WalCheckpointer::State {
  std::string path;
  Settings settings;
  Database db;
  std::thread thread;
  mutable std::mutex stats_mutex;
  Stats stats;

  State(std::string p, Settings s) : path(std::move(p)), settings(s), db(Database::open(path)) {}

  // PASSIVE never waits for anyone: it copies what no reader still needs. TRUNCATE, tried only
  // when no commit happened for a whole idle period, must not stall writers either, so it runs
  // with no busy wait and simply gives up when someone holds the database.
  void checkpoint(bool truncate) {
    sqlite3* handle = db.handle().getHandle();
    int wal_frames = 0;
    int copied = 0;
    if (truncate) {
      sqlite3_busy_timeout(handle, 0);
    }
    const int rc = sqlite3_wal_checkpoint_v2(
        handle, nullptr, truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE,
        &wal_frames, &copied);
    if (truncate) {
      sqlite3_busy_timeout(handle, 5000);
    }
    signal().copied.store(copied > 0 ? copied : 0, std::memory_order_relaxed);
    std::lock_guard lock(stats_mutex);
    if (rc == SQLITE_OK || rc == SQLITE_BUSY) {
      ++stats.checkpoints;
      stats.frames_checkpointed += copied > 0 ? copied : 0;
    }
    if (truncate && rc == SQLITE_OK) {
      ++stats.truncations;
    }
  }

  void run() {
    Signal& s = signal();
    long commits_seen = s.commits.load(std::memory_order_relaxed);
    bool truncated_since_last_commit = false;
    std::unique_lock lock(s.mutex);
    while (!s.stopping) {
      s.wake.wait_for(lock, settings.idle_check, [&s] { return s.wanted || s.stopping; });
      if (s.stopping) {
        break;
      }
      const bool wanted = s.wanted;
      s.wanted = false;
      lock.unlock();
      const long commits = s.commits.load(std::memory_order_relaxed);
      if (wanted) {
        checkpoint(false);
      } else if (commits == commits_seen) {
        if (!truncated_since_last_commit) {
          checkpoint(true);
          truncated_since_last_commit = true;
        }
      } else {
        // Writes are going on but the WAL is still small: copy it anyway, so the idle TRUNCATE
        // that follows has little left to do while it holds the write lock.
        checkpoint(false);
        truncated_since_last_commit = false;
      }
      commits_seen = commits;
      lock.lock();
    }
  }
};

WalCheckpointer::WalCheckpointer(const std::string& db_path, Settings settings)
    : state_(std::make_shared<State>(db_path, settings)) {}

WalCheckpointer::~WalCheckpointer() {
  stop();
}

void WalCheckpointer::start() {
  if (state_->thread.joinable()) {
    return;
  }
  Signal& s = signal();
  {
    std::lock_guard lock(s.mutex);
    s.path = state_->path;
    s.threshold = state_->settings.pages < 1 ? 1 : state_->settings.pages;
    s.wanted = false;
    s.stopping = false;
    s.copied = 0;
  }
  state_->thread = std::thread([state = state_] { state->run(); });
}

void WalCheckpointer::stop() {
  if (!state_ || !state_->thread.joinable()) {
    return;
  }
  Signal& s = signal();
  {
    std::lock_guard lock(s.mutex);
    s.stopping = true;
    s.path.clear();
  }
  s.wake.notify_all();
  state_->thread.join();
  // Whatever accumulated since the last pass; the connections still open no longer checkpoint.
  state_->checkpoint(false);
}

WalCheckpointer::Stats WalCheckpointer::stats() const {
  std::lock_guard lock(state_->stats_mutex);
  return state_->stats;
}

}  // namespace okr::storage
