#include <catch2/catch.hpp>

#include "bot/app/channel_runtime.hpp"
#include "config/config.hpp"

using okr::bot::app::idle_connections_per_host;
using okr::bot::app::turn_workers;

TEST_CASE("turns run on twice the configured threads, between 2 and 8", "[app][threads]") {
  okr::config::Config config;
  config.threads = 1;
  CHECK(turn_workers(config) == 2);
  config.threads = 2;
  CHECK(turn_workers(config) == 4);
  config.threads = 3;
  CHECK(turn_workers(config) == 6);
  config.threads = 64;
  CHECK(turn_workers(config) == 8);
}

TEST_CASE("a channel's HTTP client keeps an idle connection for every thread that calls out",
          "[app][threads]") {
  okr::config::Config config;
  config.threads = 2;
  config.outbox_senders = 4;
  CHECK(idle_connections_per_host(config) == 8);
  config.outbox_senders = 1;
  CHECK(idle_connections_per_host(config) == 5);
}
