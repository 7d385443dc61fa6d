#pragma once
// How a stored key result is shown and carried in dialog variables: as JSON, its value as text
// ("55%", "done") and as one row of a progress table.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "dialogs/context.hpp"
#include "dialogs/domain.hpp"

namespace okr::dialogs {

nlohmann::json key_result_json(const KeyResult& kr);
KeyResult key_result_from_json(const nlohmann::json& j);

std::string value_text(const KeyResult& kr, double value);

// One progress-table row (the JSON form ProgressTable rows take in dialog variables).
nlohmann::json progress_row(const KeyResult& kr, const std::string& objective, double value,
                            std::optional<int> confidence, const std::optional<CheckIn>& previous,
                            const Context& context);

}  // namespace okr::dialogs
