#pragma once
// Why an inbound Slack payload could not be read. The route answers 400 with `message`, which
// names the missing or wrong field and never echoes the payload (it may hold tokens).
#include <string>

namespace okr::bot::slack {

struct ParseError {
  std::string message;  // e.g. "event_callback without event_id"
};

}  // namespace okr::bot::slack
