#pragma once
// A TokenSource double: hands out "token-<n>", a new n after each invalidate, and counts both.
#include <atomic>
#include <string>

#include "bot/teams/token_source.hpp"

namespace okr::test {

class FixedTokens : public bot::teams::TokenSource {
 public:
  std::string bearer() override { return "token-" + std::to_string(generation_.load()); }
  void invalidate(const std::string&) override {
    ++generation_;
    ++invalidations_;
  }
  int invalidations() const { return invalidations_.load(); }

 private:
  std::atomic<int> generation_{1};
  std::atomic<int> invalidations_{0};
};

}  // namespace okr::test
