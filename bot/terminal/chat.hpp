#pragma once
// `okr-coach chat`: the terminal channel. The person's lines come from `in`, the coach's
// messages go to `out` as plain text (choices numbered), flushed after every message so a pipe
// sees each one at once. Same engine and database as `serve`; an unfinished dialog resumes
// when chat is started again on the same database.
#include <iosfwd>
#include <string>

#include "bot/pipeline/clock.hpp"
#include "config/config.hpp"

namespace okr::bot::terminal {

struct ChatOptions {
  std::string db_path;  // empty: config.db_path
  std::string user;     // the person's name; empty: $USER, else "me"
  // A team to join (created on first use). The first person to join a new team also becomes
  // its coach and admin, so they can run `setup` for it.
  std::string team;
};

// Returns the process exit code: 0 at the end of input (everything said has been saved),
// 2 when the database cannot be opened or the dialog files are broken (reason on stderr).
int run_chat(const okr::config::Config& config, const ChatOptions& options, std::istream& in,
             std::ostream& out, pipeline::Clock clock = pipeline::system_now);

}  // namespace okr::bot::terminal
