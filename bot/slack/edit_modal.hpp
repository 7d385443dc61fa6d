#pragma once
// The draft OKR's edit modal: in Slack, "Edit a part" on the draft card opens a form with the
// objective and one field per key result instead of the typed question-by-question path. The
// submission is checked while Slack waits (field errors appear in the modal); a valid one
// becomes one neutral inbound action carrying the edited texts.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace okr::bot::slack {

struct ViewSubmission;

struct EditedOkr {
  std::string objective;
  std::vector<std::string> key_results;  // empty fields dropped
  // The modal block each key result came from (parallel to key_results; submissions only).
  std::vector<std::string> key_result_blocks;
};

// The modal's callback_id, so a submission is known as ours.
inline constexpr std::string_view kEditModalCallback = "okr_edit_draft";
// The neutral action id (Inbound::action) of a valid submission; its value is
// edited_okr_value().
inline constexpr std::string_view kEditedOkrAction = "edit_okr";
// At most this many key result fields (the drafted ones plus one empty field to add one).
inline constexpr std::size_t kMaxKeyResultFields = 8;

// The views.open `view`: an objective field and one field per key result, prefilled.
nlohmann::json edit_modal_view(const EditedOkr& current);

// The texts of a submission of our modal (trimmed; empty key results dropped).
EditedOkr edited_okr_of(const ViewSubmission& submission);

// Field errors by block id (Slack shows each under its field); empty when the edit is valid.
// An objective is needed, and each key result must be something one can measure.
std::map<std::string, std::string> edit_errors(const EditedOkr& edited);

// The edited OKR as the value of the neutral action, and back (nullopt when unreadable).
std::string edited_okr_value(const EditedOkr& edited);
std::optional<EditedOkr> edited_okr_from(std::string_view value);

}  // namespace okr::bot::slack
