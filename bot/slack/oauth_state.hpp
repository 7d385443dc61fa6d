#pragma once
// The `state` of an OAuth install: random, single-use, valid for a few minutes, and bound to the
// browser that started the install by a cookie carrying the state and an HMAC of it. Someone who
// tricks a person into opening a callback URL with their own state fails: the person's browser
// lacks the matching cookie. Held in memory (an install takes a minute; a restart in between
// asks the person to start again), under a key drawn at start-up.
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "bot/pipeline/clock.hpp"

namespace okr::bot::slack {

enum class StateCheck {
  ok,
  no_cookie,      // the browser did not send our cookie (another browser, cookies blocked)
  wrong_cookie,   // the cookie is not ours or belongs to another install
  unknown,        // never issued, or already used
  expired,
};

std::string_view to_string(StateCheck check);

class InstallStates {
 public:
  static constexpr std::chrono::minutes kLifetime{10};
  // Beyond this many pending installs the oldest are forgotten (a flood of /slack/install).
  static constexpr std::size_t kMaxPending = 1000;

  explicit InstallStates(pipeline::Clock clock);

  struct Issued {
    std::string state;   // for the authorize URL
    std::string cookie;  // the cookie's value: state "." HMAC
  };
  Issued issue();

  // Checks `state` against the browser's `cookie` value and uses it up (also when the check
  // fails for a reason other than an unknown state, so a state is never tried twice).
  StateCheck consume(std::string_view state, std::optional<std::string_view> cookie);

 private:
  std::string signature(std::string_view state) const;

  pipeline::Clock clock_;
  std::string key_;
  std::mutex mutex_;
  std::map<std::string, dialogs::TimePoint, std::less<>> pending_;  // state -> expiry
};

}  // namespace okr::bot::slack
