#pragma once
// One person's dialog in progress, as stored between turns. The position is a named node id
// plus the definition's version, never a step index, so editing a dialog file does not break a
// conversation already under way.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/domain.hpp"

namespace okr::dialogs {

// A question asked earlier, with the loop positions at that moment, so `back` can return to it.
struct AskedQuestion {
  std::string node;
  nlohmann::json loops = nlohmann::json::object();
};

struct DialogInstance {
  std::string dialog;  // definition name, e.g. "draft"
  int version = 0;     // definition version it was started (or last resumed) with
  std::string node;    // current node id: the question awaiting an answer
  nlohmann::json variables = nlohmann::json::object();  // answers and action results
  std::vector<AskedQuestion> history;                   // for `back`
  TimePoint started_at{};
  TimePoint updated_at{};
};

void to_json(nlohmann::json& out, const DialogInstance& instance);
void from_json(const nlohmann::json& in, DialogInstance& instance);

}  // namespace okr::dialogs
