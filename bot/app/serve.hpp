#pragma once
// `okr-coach serve`: the composition root of the running service. Opens and migrates the
// database, starts the HTTP listener on config.listen_host:config.listen_port with
// config.threads threads, logs "listening on http://HOST:PORT" once bound, and returns the
// process exit code after a graceful shutdown on SIGINT/SIGTERM (0), or 2 on a start-up
// failure (database cannot be opened, schema too new, port in use), after logging why.
#include "config/config.hpp"

namespace okr::bot::app {

int serve(const okr::config::Config& config);

}  // namespace okr::bot::app
