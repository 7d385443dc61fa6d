#include "dialogs/coach_words.hpp"

#include <cctype>

namespace okr::dialogs::coach_words {

std::string cancelled(const std::string& title) {
  return "Okay, I've stopped " + title +
         " here. Nothing from this conversation was saved. Type help whenever you want to see "
         "what we can do.";
}

std::string reask_for(const Node& node) {
  switch (node.validator) {
    case Validator::number:
      return "I was looking for a number there, like 40 or 2.5.";
    case Validator::scale:
      return "Could you give me a whole number from " +
             std::to_string(static_cast<int>(node.min.value_or(1))) + " to " +
             std::to_string(static_cast<int>(node.max.value_or(10))) + "?";
    case Validator::score:
      return "A score from 0.0 to 1.0 works best here, like 0.7.";
    case Validator::choice:
    case Validator::yes_no:
      return "I didn't catch which one you mean. You can type its number or its name.";
    case Validator::time:
      return "A time like 09:00 or 16:30 works here.";
    case Validator::time_zone:
      return "I don't know that time zone. Names like Europe/Berlin or America/New_York work.";
    case Validator::text:
      break;
  }
  if (node.kind == NodeKind::summary) {
    return "I didn't catch which one you mean. You can type its number or its name.";
  }
  return "Take your time. A few words are enough.";
}

std::string restarting_changed(const DialogDefinition& definition) {
  return "I've changed the " + (definition.title.empty() ? definition.name : definition.title) +
         " questions since we last spoke, so let's begin it again. Sorry for the repeat.";
}

std::string closed_idle(const DialogDefinition& definition, TimePoint last, TimePoint now) {
  const auto days = std::chrono::duration_cast<std::chrono::hours>(now - last).count() / 24;
  return "It's been " + std::to_string(days) + " days since we last worked on " +
         (definition.title.empty() ? definition.name : definition.title) +
         ", so I've closed it. Nothing from it was saved. We can pick it up fresh any time.";
}

bool accepts_default(const std::string& word) {
  return word == "ok" || word == "okay" || word == "keep" || word == "default" || word == "same" ||
         word == "keep it";
}

std::string trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return std::string(text);
}

}  // namespace okr::dialogs::coach_words
