#include "bot/terminal/chat.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <istream>
#include <ostream>

#include "bot/pipeline/turn_runner.hpp"
#include "bot/pipeline/dialog_catalog.hpp"
#include "dialogs/definition.hpp"
#include "dialogs/render_text.hpp"
#include "storage/database.hpp"
#include "storage/dialog_instances.hpp"
#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/teams.hpp"

namespace okr::bot::terminal {
namespace {

constexpr const char* kPlatform = "terminal";
constexpr const char* kWorkspace = "local";
// One person, one terminal: a single conversation per person is all this channel needs.
constexpr const char* kConversation = "terminal";

std::string person_name(const ChatOptions& options) {
  if (!options.user.empty()) return options.user;
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
  return "me";
}

std::string trimmed(std::string line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
  const auto first = line.find_first_not_of(" \t");
  return first == std::string::npos ? std::string() : line.substr(first);
}

void say(std::ostream& out, const std::string& text) {
  out << text << '\n' << std::endl;  // a blank line between messages; flushed for pipes
}

// Creates the person (and joins the team) before the first turn, so `setup` works from the
// first message for the founder of a new team.
dialogs::Person enrol(storage::Database& db, const std::string& name, const std::string& team_name,
                      std::ostream& out, dialogs::TimePoint now) {
  dialogs::Person identity;
  identity.platform = kPlatform;
  identity.workspace = kWorkspace;
  identity.user_ref = name;
  identity.display_name = name;
  auto person = storage::People(db).find_or_create(identity);
  if (!team_name.empty()) {
    const auto team = storage::Teams(db).find_or_create(team_name);
    const bool founder = storage::Memberships(db).join(team.id, person.id);
    // A new member gets the team's default nudges at once, not at the scheduler's next re-sync.
    storage::sync_default_schedules(db, team.id, now);
    if (founder) {
      say(out, "You are the first member of team " + team_name +
                   ", so you are also its coach and admin: type `setup` to agree its OKR program.");
    }
  }
  return person;
}

}  // namespace

int run_chat(const okr::config::Config& config, const ChatOptions& options, std::istream& in, std::ostream& out,
             pipeline::Clock clock) {
  const std::string db_path = options.db_path.empty() ? config.db_path : options.db_path;
  const auto catalog = pipeline::load_dialog_catalog_or_log(config);
  if (!catalog) return 2;

  try {
    auto db = storage::Database::open(db_path);
    db.migrate();
    const std::string name = person_name(options);
    const auto person = enrol(db, name, options.team, out, clock());

    pipeline::TurnRunner runner(db, *catalog, std::move(clock), {config.dialog_idle_days});
    runner.prefer_team(options.team);
    auto take_turn = [&](const std::string& text) {
      dialogs::Inbound message;
      message.platform = kPlatform;
      message.workspace = kWorkspace;
      message.user = name;
      message.conversation = kConversation;
      message.text = text;
      try {
        for (const auto& reply : runner.run(message)) say(out, dialogs::render_text(reply));
      } catch (const storage::StorageError& e) {
        // The turn was rolled back as a whole: the person can simply say it again.
        spdlog::error("chat turn of {} not saved: {}", name, e.what());
        say(out, "Sorry, I could not save that just now. Please send it again.");
      }
    };

    if (const auto active = storage::DialogInstances(db).active(person.id, kConversation)) {
      // Resuming: show where we were and ask the pending question again, through the engine's
      // own `summary`, so the person sees exactly the question their next line answers.
      say(out, "Welcome back, " + person.display_name + ". We were in the middle of `" + active->dialog + "`.");
      take_turn("summary");
    } else {
      say(out, "Hello " + person.display_name + ". Type `help` to see what I can do.");
    }

    std::string line;
    while (std::getline(in, line)) {
      line = trimmed(std::move(line));
      if (!line.empty()) take_turn(line);
    }
    return 0;
  } catch (const storage::StorageError& e) {
    spdlog::error("chat: {}", e.what());
    return 2;
  }
}

}  // namespace okr::bot::terminal
