#pragma once
// A fresh directory per test (tests run in parallel, so never a fixed path), removed with
// everything in it when the test ends.
#include <filesystem>
#include <string>

namespace okr::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace okr::test
