#pragma once
// Moves SQLite's WAL checkpoints off the service's request and turn threads.
//
// By default SQLite checkpoints inside whichever commit pushes the WAL past 1,000 pages, on the
// committing thread and with fsyncs, so an unlucky acknowledgement or turn waits for it. While a
// WalCheckpointer runs, every connection that Database::open makes on the same file leaves
// checkpoints to it (wal_autocheckpoint=0) and reports the WAL's size after each commit; the
// checkpointer's own thread and connection copy the WAL back into the database when it grew past
// `pages`, and shrink the file to nothing when writes pause, so the WAL cannot grow without bound.
// Durability is unchanged: commits are exactly as safe as before, only who checkpoints moves.
// Processes without one (migrate, backup, tick) keep SQLite's automatic checkpoints.
#include <chrono>
#include <memory>
#include <string>

namespace okr::storage {

class WalCheckpointer {
 public:
  struct Settings {
    int pages = 1000;                                  // WAL size that asks for a checkpoint
    std::chrono::milliseconds idle_check{1000};        // how often a quiet WAL is looked at
  };
  struct Stats {
    long checkpoints = 0;         // checkpoint calls that ran (PASSIVE or TRUNCATE)
    long frames_checkpointed = 0; // WAL frames copied into the database, summed
    long truncations = 0;         // times the WAL file was emptied while writes paused
  };

  // Opens its own connection to `db_path` (StorageError{cannot_open} on failure) and from now on
  // connections opened on that path leave checkpoints to it. One per process.
  WalCheckpointer(const std::string& db_path, Settings settings);
  explicit WalCheckpointer(const std::string& db_path) : WalCheckpointer(db_path, Settings{}) {}
  ~WalCheckpointer();  // stop()
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  void start();
  // Lets a checkpoint in progress finish, joins the thread and runs one last checkpoint.
  // Connections opened after this keep SQLite's automatic checkpoints again.
  void stop();
  Stats stats() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

namespace detail {
// Called by Database::open for every file connection (sqlite3* passed as void* to keep
// sqlite3.h out of this header): hands it to the running checkpointer of that path, if any.
void adopt_for_background_checkpoints(const std::string& path, void* connection);
}  // namespace detail

}  // namespace okr::storage
