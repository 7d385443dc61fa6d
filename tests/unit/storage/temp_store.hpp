#pragma once
// A migrated database in a fresh temporary directory, removed with everything in it when the
// test ends. Tests run in parallel, so nothing here uses a fixed path.
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "dialogs/domain.hpp"
#include "storage/database.hpp"
#include "storage/people.hpp"

namespace okr::storage::testing {

class TempStore {
 public:
  TempStore() : dir_(make_dir()), db_(open_migrated(file())) {}
  ~TempStore() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempStore(const TempStore&) = delete;
  TempStore& operator=(const TempStore&) = delete;

  Database& db() { return db_; }
  std::string file() const { return (dir_ / "okr-coach.db").string(); }
  // Closes the connection and opens the file again, as a restarted process would.
  void reopen() {
    { Database closing = std::move(db_); }
    db_ = open_migrated(file());
  }

 private:
  static std::filesystem::path make_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "okr-storage-repo-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return pattern;
  }
  static Database open_migrated(const std::string& path) {
    auto db = Database::open(path);
    db.migrate();
    return db;
  }
  std::filesystem::path dir_;
  Database db_;
};

inline dialogs::TimePoint at_utc(int y, unsigned m, unsigned d, int hour = 12) {
  using namespace std::chrono;
  return time_point_cast<seconds>(sys_days{year{y} / month{m} / day{d}} + hours{hour});
}

inline dialogs::Person terminal_person(const std::string& name) {
  dialogs::Person p;
  p.platform = "terminal";
  p.workspace = "local";
  p.user_ref = name;
  p.display_name = name;
  return p;
}

}  // namespace okr::storage::testing
