#pragma once
// The App Home tab: the person's OKRs with progress bars (a neutral Outbound from the coach)
// and buttons that start a draft, a check-in or a reflection in the DM.
#include <nlohmann/json.hpp>

#include "dialogs/message.hpp"

namespace okr::bot::slack {

// A views.publish `view` object ({"type":"home","blocks":[...]}) within the 100-block limit.
nlohmann::json home_view(const dialogs::Outbound& okrs);

}  // namespace okr::bot::slack
