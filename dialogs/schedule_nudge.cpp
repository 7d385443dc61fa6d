#include "dialogs/schedule_nudge.hpp"

namespace okr::dialogs {
namespace {

Choice choice(std::string value, std::string label, int number, std::vector<std::string> words) {
  Choice c;
  c.id = std::move(value);
  c.label = std::move(label);
  c.number = number;
  c.words = std::move(words);
  return c;
}

Question checkin_choices(const std::string& dialog) {
  Question q;
  q.id = kSayQuestion;
  q.choices = {choice(dialog.empty() ? "checkin" : dialog, "Start", 1, {"start", "yes", "ready"}),
               choice("snooze", "Snooze 2h", 2, {"snooze", "later"}),
               choice("skip", "Skip this week", 3, {"skip"})};
  return q;
}

}  // namespace

Outbound checkin_nudge(const std::string& dialog) {
  Outbound out;
  out.text =
      "Time for your weekly check-in — ready? It takes a few minutes: where each key "
      "result stands, how confident you feel, and anything in the way.";
  out.question = checkin_choices(dialog);
  return out;
}

Outbound checkin_reminder(const std::string& dialog) {
  Outbound out;
  out.text = "A gentle nudge: your check-in for this week is still open. Got a few minutes now?";
  out.question = checkin_choices(dialog);
  return out;
}

Outbound reflection_prompt(const std::string& dialog, bool cycle_end) {
  Outbound out;
  out.text = cycle_end ? "The cycle is wrapping up — a good moment to look back on what you "
                         "learned and what to carry forward. Shall we reflect together?"
                       : "Time for a short reflection: how are things going, and what have you "
                         "learned so far? Shall we start?";
  Question q;
  q.id = kSayQuestion;
  q.choices = {choice(dialog.empty() ? "reflect" : dialog, "Start", 1, {"start", "yes", "ready"})};
  out.question = q;
  return out;
}

}  // namespace okr::dialogs
