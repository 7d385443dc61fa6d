#pragma once
// Moves SQLite's WAL checkpoints off the service's request and turn threads.
//
// By default SQLite checkpoints inside whichever commit pushes the WAL past 1,000 pages, on the
// committing thread and with fsyncs, so an unlucky acknowledgement or turn waits for it. A
// connection opened with `Database::open(path, {.checkpoints = &checkpointer})` instead leaves
// checkpoints to the checkpointer (wal_autocheckpoint=0) and reports the WAL's size after each
// of its commits; the checkpointer's own thread and connection copy the WAL back into the
// database when it grew past `pages`, and shrink the file to nothing when writes pause, so the
// WAL cannot grow without bound. Durability is unchanged: commits are exactly as safe as before,
// only who checkpoints moves. Connections opened without the option (migrate, backup, tick,
// tools, tests) keep SQLite's automatic checkpoints.
//
// Nothing here is process-wide: each checkpointer hears only the connections handed to it, so
// two of them on two files in one process do not meet.
#include <chrono>
#include <memory>
#include <string>

namespace okr::storage {

class Database;

class WalCheckpointer {
 public:
  struct Settings {
    int pages = 1000;                                  // WAL size that asks for a checkpoint
    std::chrono::milliseconds idle_check{1000};        // how often a quiet WAL is looked at
  };
  struct Stats {
    long commits = 0;             // commits reported by the connections handed to it
    long checkpoints = 0;         // checkpoint calls that ran (PASSIVE or TRUNCATE)
    long frames_checkpointed = 0; // WAL frames copied into the database, summed
    long truncations = 0;         // times the WAL file was emptied while writes paused
  };

  // Opens its own connection to `db_path` (StorageError{cannot_open} on failure).
  WalCheckpointer(const std::string& db_path, Settings settings);
  explicit WalCheckpointer(const std::string& db_path) : WalCheckpointer(db_path, Settings{}) {}
  ~WalCheckpointer();  // stop()
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  void start();
  // Lets a checkpoint in progress finish, joins the thread and runs one last checkpoint. From
  // then on (and before start()) the connections handed to it checkpoint inside their own
  // commits again, exactly as SQLite's automatic checkpoint would, so the WAL stays bounded.
  void stop();
  Stats stats() const;
  const std::string& path() const;

  struct State;
  struct Commits;

 private:
  friend class Database;
  // For Database::open only (sqlite3* as void* keeps sqlite3.h out of this header): turns off
  // the connection's automatic checkpoints and installs the commit hook that reports to this
  // checkpointer. std::invalid_argument when the connection's file is not this checkpointer's.
  // The result is what the hook points at; the connection keeps it until it has closed, so a
  // connection that outlives the checkpointer is still safe (it then checkpoints on its own).
  std::shared_ptr<Commits> hand_over(const std::string& connection_path, void* connection);

  std::shared_ptr<Commits> commits_;
  std::shared_ptr<State> state_;
};

}  // namespace okr::storage
