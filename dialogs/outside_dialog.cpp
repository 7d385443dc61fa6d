#include "dialogs/outside_dialog.hpp"

#include <map>

#include "dialogs/variables.hpp"

namespace okr::dialogs {

namespace {

Outbound plain(std::string text) {
  return Outbound{std::move(text), {}, {}, {}, {}, {}};
}

const std::map<std::string, std::string>& command_words() {
  // typed word -> dialog name
  static const std::map<std::string, std::string> words = {
      {"draft", "draft"},        {"new okr", "draft"},    {"checkin", "checkin"},
      {"check-in", "checkin"},   {"check in", "checkin"}, {"reflect", "reflect"},
      {"reflection", "reflect"}, {"setup", "setup"},      {"set up", "setup"}};
  return words;
}

std::string menu(const DialogCatalog& catalog) {
  std::string out = "Here is what we can do together:\n";
  for (const char* name : {"draft", "checkin", "reflect", "setup"}) {
    if (const auto* d = catalog.find(name))
      out += "  " + d->name + " — " + d->title + "\n";
  }
  for (const auto& [name, d] : catalog.dialogs) {
    if (name != "draft" && name != "checkin" && name != "reflect" && name != "setup") {
      out += "  " + name + " — " + d.title + "\n";
    }
  }
  out += "  okrs — your OKRs and how they are moving\n";
  out += "  export — a copy of everything I keep about you\n";
  out += "  forget-me — delete what you've told me (I ask first)\n";
  out += "  help — this list";
  return out;
}

// Short explanations on demand (the "training" phase of a coaching engagement).
std::optional<std::string> explain(const std::string& q) {
  auto has = [&q](const char* w) { return q.find(w) != std::string::npos; };
  if (has("kpi")) {
    return "A KPI is a health number you keep steady, like uptime or monthly revenue. A key "
           "result is a change you set out to make this cycle. A KPI can become a key result "
           "when you decide to move it on purpose.";
  }
  if (has("outcome") || has("output")) {
    return "An output is something you produce, like launching a page. An outcome is what "
           "changes because of it, like more people finishing sign-up. Key results work best as "
           "outcomes: what would be different once the work is done?";
  }
  if (has("key result") || has(" kr")) {
    return "A key result tells you that you got there: it has a number or a clear done/not-done "
           "end state, ideally a start and a target, like \"from 40% to 60%\". Two to five per "
           "objective is plenty.";
  }
  if (has("okr") || has("objective")) {
    return "An OKR is an objective (what you want, in words that inspire you, without numbers) "
           "plus a few key results (how you will know you got there, with numbers). They are for "
           "learning and focus, not for performance reviews.";
  }
  return std::nullopt;
}

}  // namespace

StepResult outside_dialog(const DialogCatalog& catalog, const Inbound& message,
                          const Context& context) {
  const std::string word = normalise(message.text);
  auto command = command_words().find(word);
  if (command != command_words().end()) {
    if (const auto* d = catalog.find(command->second))
      return begin(*d, message, context);
  } else if (const auto* d = catalog.find(word)) {
    return begin(*d, message, context);
  }
  StepResult result;
  if (message.action) {
    // A button from a conversation that has since ended (saved, cancelled or closed).
    result.messages.push_back(
        plain("That button belongs to a conversation that has already "
              "ended. " +
              menu(catalog)));
  } else if (word == "okrs" || word == "my okrs" || word == "okr") {
    result.messages.push_back(my_okrs(context));
  } else if (word == "help" || word == "?") {
    result.messages.push_back(plain(
        "I'm your OKR coach: I ask questions that help you set, follow and learn from your own "
        "goals. " +
        menu(catalog) +
        "\nCurious about the ideas? Ask me \"what is a key result?\", \"OKR or KPI?\" or "
        "\"outcome or output?\"."));
  } else if (auto answer = explain(word); answer && word.size() < 80) {
    result.messages.push_back(plain(*answer));
  } else {
    result.messages.push_back(plain("Hello. " + menu(catalog)));
  }
  return result;
}

}  // namespace okr::dialogs
