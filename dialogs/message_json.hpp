#pragma once
// JSON form of the neutral messages, for the durable inbox and outbox rows.
#include <nlohmann/json.hpp>

#include "dialogs/message.hpp"

namespace okr::dialogs {

void to_json(nlohmann::json& out, const Inbound& message);
void from_json(const nlohmann::json& in, Inbound& message);
void to_json(nlohmann::json& out, const Outbound& message);
void from_json(const nlohmann::json& in, Outbound& message);

}  // namespace okr::dialogs
