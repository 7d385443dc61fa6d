// The data-rights office commands (see office_commands.hpp and docs/data-rights.md):
//   export     — everything stored about you, as one JSON document, in this conversation
//   forget-me  — asks first; `forget-me yes` (or the button) deletes what you wrote and keeps
//                your team's history without your name
// Both act only on the person who asks: no argument names anyone else, so no role can reach
// another person's data through them.
#include <nlohmann/json.hpp>

#include "bot/pipeline/office_commands.hpp"
#include "bot/pipeline/personal_export.hpp"
#include "dialogs/schedule_nudge.hpp"
#include "dialogs/words.hpp"
#include "storage/people.hpp"
#include "storage/personal_data.hpp"

namespace okr::bot::pipeline {
namespace {

using dialogs::Outbound;

// Slack shows at most 3,000 characters in one section and Teams about 28 KB in one message:
// a part this size (plus its heading and fences) fits both, so the export needs no file upload
// permission (Slack's files:write) and no per-channel download route.
constexpr std::size_t kPartBytes = 2'800;

std::vector<Outbound> say(std::string text) {
  Outbound out;
  out.text = std::move(text);
  return {std::move(out)};
}

// The terminal prints and the web page shows a message of any length; the chat platforms get
// the document in numbered parts that join back into it.
bool takes_one_long_message(const std::string& platform) {
  return platform == "terminal" || platform == "web";
}

std::vector<Outbound> export_command(const CommandCall& call) {
  const auto document =
      storage::export_personal_data(call.db, call.context.person.id, call.context.now).dump(2);
  if (takes_one_long_message(call.message.platform)) {
    Outbound whole;
    whole.text = document;
    return {std::move(whole)};
  }
  const auto parts = split_for_messages(document, kPartBytes);
  std::vector<Outbound> out;
  out.reserve(parts.size() + 1);
  Outbound intro;
  intro.text = "Here is everything I keep about you, as JSON in " + std::to_string(parts.size()) +
               (parts.size() == 1 ? " part" : " parts") +
               ". Copy the text between the ``` marks of each part, in order, into one file. "
               "docs/data-rights.md explains every field.";
  out.push_back(std::move(intro));
  for (std::size_t i = 0; i < parts.size(); ++i) {
    Outbound part;
    part.text = "Part " + std::to_string(i + 1) + " of " + std::to_string(parts.size()) + "\n```\n" + parts[i] +
                "\n```";
    out.push_back(std::move(part));
  }
  return out;
}

bool confirms(const std::string& arguments) {
  const auto words = dialogs::lower_ascii(arguments);
  return words == "yes" || words == "yes, forget me" || words == "yes forget me" || words == "confirm";
}

std::vector<Outbound> ask_to_confirm() {
  Outbound ask;
  ask.text =
      "This deletes what you've told me: your answers, check-in notes, reflections, conversations in progress, "
      "your schedules and the messages I keep, and takes you out of your teams. Your team's history keeps the "
      "numbers of your check-ins without your name or words, so past digests still add up. It can't be undone; "
      "`export` first if you'd like a copy.\n\nTo go ahead, press *Yes, forget me* or type `forget-me yes`.";
  dialogs::Question question;
  question.id = dialogs::kSayQuestion;  // a click reads as the choice's id typed
  question.choices.push_back({"forget-me yes", "Yes, forget me", 1, {}});
  question.choices.push_back({"forget-me no", "Keep my data", 2, {}});
  ask.question = std::move(question);
  return {std::move(ask)};
}

std::vector<Outbound> forget_command(const CommandCall& call) {
  const auto words = dialogs::lower_ascii(call.arguments);
  if (words == "no")
    return say("Alright, I've kept everything as it was.");
  if (!confirms(call.arguments))
    return ask_to_confirm();
  const auto summary = storage::forget_person(call.db, call.context.person.id);
  if (!summary.anything())
    return say("There's nothing of yours left with me. If you write again, I'll start from scratch.");
  return say("Done: I've deleted what you told me and taken you out of your teams. Your team's history keeps "
             "only numbers, with no name. If you write again, I'll start from scratch.");
}

}  // namespace

std::optional<nlohmann::json> personal_export(storage::Database& db, const std::string& platform,
                                              const std::string& workspace, const std::string& user,
                                              dialogs::TimePoint now) {
  const auto person = storage::People(db).find(platform, workspace, user);
  if (!person)
    return std::nullopt;
  return storage::export_personal_data(db, person->id, now);
}

std::vector<std::string> split_for_messages(const std::string& text, std::size_t limit) {
  std::vector<std::string> parts;
  std::string_view rest = text;
  while (rest.size() > limit) {
    std::size_t cut = limit;
    // Never between the bytes of one UTF-8 character (continuation bytes are 10xxxxxx).
    while (cut > 0 && (static_cast<unsigned char>(rest[cut]) & 0xC0) == 0x80) --cut;
    if (cut == 0)
      cut = limit;
    const auto line = rest.rfind('\n', cut - 1);
    if (line != std::string_view::npos && line >= limit / 2)
      cut = line + 1;
    parts.emplace_back(rest.substr(0, cut));
    rest.remove_prefix(cut);
  }
  if (!rest.empty() || parts.empty())
    parts.emplace_back(rest);
  return parts;
}

void add_data_rights_commands(CommandTable& table) {
  table.add("export", export_command);
  table.add("forget-me", forget_command);
}

}  // namespace okr::bot::pipeline
