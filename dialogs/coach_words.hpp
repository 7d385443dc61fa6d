#pragma once
// The engine's own sentences (everything else a person reads comes from the dialog files), kept
// in one place so the tone stays warm, brief and consistent.
#include <string>
#include <string_view>

#include "dialogs/definition.hpp"
#include "dialogs/domain.hpp"

namespace okr::dialogs::coach_words {

inline constexpr const char* starting_over = "Let's start again from the top.";
inline constexpr const char* at_first_question =
    "This is the first question, so there is nothing to go back to.";
inline constexpr const char* nothing_yet = "We haven't noted anything yet.";
inline constexpr const char* so_far = "Here is what I have so far:";
inline constexpr const char* moving_around =
    "While we talk you can type back (previous question), summary (what I have so far) or "
    "cancel (stop without saving).";
inline constexpr const char* stale_button =
    "That button belongs to an earlier question. Here is where we are now:";
inline constexpr const char* dialog_gone =
    "The conversation we had open is no longer available, so I've closed it. Nothing from it "
    "was saved.";

std::string cancelled(const std::string& title);
std::string reask_for(const Node& node);
std::string restarting_changed(const DialogDefinition& definition);
std::string closed_idle(const DialogDefinition& definition, TimePoint last, TimePoint now);

// "ok", "keep", "default", "same": take the value offered.
bool accepts_default(const std::string& normalised_word);
std::string trimmed(std::string_view text);

}  // namespace okr::dialogs::coach_words
