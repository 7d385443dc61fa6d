#include "storage/wal_checkpointer.hpp"

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "storage/database.hpp"

namespace okr::storage {

namespace {

// SQLite's own wal_autocheckpoint default, kept by a handed-over connection while no
// checkpointer thread listens.
constexpr int kSqliteAutoCheckpointPages = 1000;

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  const bool same = std::filesystem::equivalent(a, b, ec);
  return !ec && same;
}

}  // namespace

// What a checkpointer shares with the commit hooks of the connections handed to it. Owned
// jointly by the checkpointer and those connections, so whichever goes last frees it: the hook
// of a connection closed after its checkpointer never points at freed memory.
struct WalCheckpointer::Commits {
  explicit Commits(int pages) : threshold(pages < 1 ? 1 : pages) {}

  const int threshold;
  std::mutex mutex;
  std::condition_variable wake;
  bool wanted = false;    // a commit saw the WAL past the threshold
  bool stopping = false;
  // The checkpointer's thread runs; while false the hooks checkpoint inline, as SQLite would.
  std::atomic<bool> listening{false};
  std::atomic<long> count{0};  // every commit on a handed-over connection
  // WAL frames already copied by the last checkpoint. The WAL's size only drops when a writer
  // restarts it, which readers can delay; counting from here keeps the checkpointer from
  // re-running (and fsyncing) back to back over a WAL it has already copied.
  std::atomic<int> copied{0};
};

namespace {

// Runs on the committing thread, inside its commit: only counts and, rarely, wakes.
int on_commit(void* context, sqlite3* connection, const char* schema, int wal_pages) {
  auto& commits = *static_cast<WalCheckpointer::Commits*>(context);
  commits.count.fetch_add(1, std::memory_order_relaxed);
  if (!commits.listening.load(std::memory_order_acquire)) {
    // What SQLite's default hook does, so a connection whose checkpointer is not running (not
    // yet, or no more) does not let the WAL grow without bound.
    if (wal_pages >= kSqliteAutoCheckpointPages) {
      sqlite3_wal_checkpoint(connection, schema);
    }
    return SQLITE_OK;
  }
  int copied = commits.copied.load(std::memory_order_relaxed);
  if (wal_pages < copied) {
    copied = 0;  // the WAL was restarted from its beginning
  }
  if (wal_pages - copied >= commits.threshold) {
    {
      std::lock_guard lock(commits.mutex);
      commits.wanted = true;
    }
    commits.wake.notify_one();
  }
  return SQLITE_OK;
}

}  // namespace

struct WalCheckpointer::State {
  std::string path;
  Settings settings;
  std::shared_ptr<Commits> commits;
  Database db;  // opened without hand-over: its own checkpoints are the ones it runs
  std::thread thread;
  mutable std::mutex stats_mutex;
  Stats stats;

  State(std::string p, Settings s, std::shared_ptr<Commits> c)
      : path(std::move(p)), settings(s), commits(std::move(c)), db(Database::open(path)) {}

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
    commits->copied.store(copied > 0 ? copied : 0, std::memory_order_relaxed);
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
    Commits& c = *commits;
    long commits_seen = c.count.load(std::memory_order_relaxed);
    bool truncated_since_last_commit = false;
    std::unique_lock lock(c.mutex);
    while (!c.stopping) {
      c.wake.wait_for(lock, settings.idle_check, [&c] { return c.wanted || c.stopping; });
      if (c.stopping) {
        break;
      }
      const bool wanted = c.wanted;
      c.wanted = false;
      lock.unlock();
      const long count = c.count.load(std::memory_order_relaxed);
      if (wanted) {
        checkpoint(false);
      } else if (count == commits_seen) {
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
      commits_seen = count;
      lock.lock();
    }
  }
};

WalCheckpointer::WalCheckpointer(const std::string& db_path, Settings settings)
    : commits_(std::make_shared<Commits>(settings.pages)),
      state_(std::make_shared<State>(db_path, settings, commits_)) {}

WalCheckpointer::~WalCheckpointer() {
  stop();
}

const std::string& WalCheckpointer::path() const {
  return state_->path;
}

std::shared_ptr<WalCheckpointer::Commits> WalCheckpointer::hand_over(
    const std::string& connection_path, void* connection) {
  if (!same_file(connection_path, state_->path)) {
    throw std::invalid_argument("a connection to '" + connection_path +
                                "' cannot leave its checkpoints to the checkpointer of '" +
                                state_->path + "'");
  }
  auto* db = static_cast<sqlite3*>(connection);
  // wal_autocheckpoint(0) is itself a wal hook; ours replaces it, so set it first.
  sqlite3_wal_autocheckpoint(db, 0);
  sqlite3_wal_hook(db, &on_commit, commits_.get());
  return commits_;
}

void WalCheckpointer::start() {
  if (state_->thread.joinable()) {
    return;
  }
  {
    std::lock_guard lock(commits_->mutex);
    commits_->wanted = false;
    commits_->stopping = false;
    commits_->copied = 0;
  }
  state_->thread = std::thread([state = state_] { state->run(); });
  commits_->listening.store(true, std::memory_order_release);
}

void WalCheckpointer::stop() {
  if (!state_ || !state_->thread.joinable()) {
    return;
  }
  commits_->listening.store(false, std::memory_order_release);
  {
    std::lock_guard lock(commits_->mutex);
    commits_->stopping = true;
  }
  commits_->wake.notify_all();
  state_->thread.join();
  // Whatever accumulated since the last pass; from now on the connections checkpoint inline.
  state_->checkpoint(false);
}

WalCheckpointer::Stats WalCheckpointer::stats() const {
  Stats stats;
  {
    std::lock_guard lock(state_->stats_mutex);
    stats = state_->stats;
  }
  stats.commits = commits_->count.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace okr::storage
