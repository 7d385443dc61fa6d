#include "dialogs/instance.hpp"

namespace okr::dialogs {

namespace {
// Seconds since the epoch: compact, time-zone free and exact for sys_seconds.
std::int64_t to_seconds(TimePoint t) {
  return t.time_since_epoch().count();
}
TimePoint from_seconds(std::int64_t s) {
  return TimePoint{std::chrono::seconds{s}};
}
}  // namespace

void to_json(nlohmann::json& out, const DialogInstance& instance) {
  nlohmann::json history = nlohmann::json::array();
  for (const auto& asked : instance.history) {
    history.push_back({{"node", asked.node}, {"loops", asked.loops}});
  }
  out = {{"dialog", instance.dialog},
         {"version", instance.version},
         {"node", instance.node},
         {"variables", instance.variables},
         {"history", std::move(history)},
         {"started_at", to_seconds(instance.started_at)},
         {"updated_at", to_seconds(instance.updated_at)}};
}

void from_json(const nlohmann::json& in, DialogInstance& instance) {
  instance.dialog = in.at("dialog").get<std::string>();
  instance.version = in.at("version").get<int>();
  instance.node = in.at("node").get<std::string>();
  instance.variables = in.value("variables", nlohmann::json::object());
  instance.history.clear();
  for (const auto& asked : in.value("history", nlohmann::json::array())) {
    instance.history.push_back(
        {asked.at("node").get<std::string>(), asked.value("loops", nlohmann::json::object())});
  }
  instance.started_at = from_seconds(in.value("started_at", std::int64_t{0}));
  instance.updated_at = from_seconds(in.value("updated_at", std::int64_t{0}));
}

}  // namespace okr::dialogs
