#pragma once
// Renders one neutral dialogs::Outbound as Bot Framework message activities carrying Adaptive
// Cards (schema 1.5, the newest Teams renders): the text, a question's choices as Action.Submit
// buttons, a scale as a compact Input.ChoiceSet with a submit, the OKR and summary cards and
// progress tables. Each submit's `data` carries our action id and value (activity.hpp keys), so
// the click comes back as the neutral action. `text` is always in the card (and in the
// fallback), so typing the answer still works where buttons cannot.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/message.hpp"

namespace okr::bot::teams {

// Teams refuses messages above ~100 KB; staying under this leaves room for the envelope.
inline constexpr std::size_t kMaxCardBytes = 80 * 1024;

// The activities to post, in order ({"type":"message", "text"|"attachments", "summary"}). More
// than one only when the card would exceed `max_bytes`; the buttons are on the last one.
std::vector<nlohmann::json> render_activities(const dialogs::Outbound& message,
                                              std::size_t max_bytes = kMaxCardBytes);

// The activity that replaces a clicked card: what was asked and what was chosen, no buttons.
nlohmann::json answered_card_activity(const std::string& chosen_label);

}  // namespace okr::bot::teams
