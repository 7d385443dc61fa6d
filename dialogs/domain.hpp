#pragma once
// Domain types of the coaching program (see ../shared/COACHING.md). Plain values: no behaviour
// beyond what keeps them honest; transformations are free functions elsewhere in dialogs/.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace okr::dialogs {

using TimePoint = std::chrono::sys_seconds;
using Id = std::int64_t;

// A person as one chat platform knows them. (platform, workspace, user_ref) is unique.
struct Person {
  Id id = 0;
  std::string platform;   // "terminal", "web", "slack", "teams"
  std::string workspace;  // Slack team id, Teams tenant id, "local"
  std::string user_ref;   // the platform's user id, or the name given to `chat --user`
  std::string display_name;
  std::string time_zone = "UTC";  // IANA name
};

enum class Role { member, coach, manager, admin };

enum class OkrLevel { company, team, individual };
enum class KeyResultKind { metric, baseline, milestone };
enum class Direction { increase, decrease };

// A team's program parameters, set once by a coach (the `setup` dialog) and used by the
// linter, the dialogs and the scheduler. Defaults are the ones COACHING.md names.
struct ProgramSettings {
  OkrLevel level = OkrLevel::individual;
  int max_objectives = 3;
  int min_key_results = 2;
  int max_key_results = 5;
  bool allow_metric = true;
  bool allow_baseline = true;
  bool allow_milestone = true;
  int cycle_months = 3;             // calendar quarters by default
  std::string checkin_weekday = "mon";
  std::string checkin_time = "09:00";  // local, HH:MM
  std::string digest_weekday = "fri";
  std::string digest_time = "16:00";
  std::string time_zone = "UTC";
  int reminder_hours = 24;
  bool feeds_performance_reviews = false;  // the bot's default answer: they do not
  std::string parent_objective;            // empty when the team has none
  std::string publish_to;                  // channel or "home"
};

struct Team {
  Id id = 0;
  std::string name;
  ProgramSettings settings;
};

struct Cycle {
  Id id = 0;
  Id team_id = 0;
  std::string label;  // e.g. "2026-Q4"
  TimePoint starts_at{};
  TimePoint ends_at{};
};

struct KeyResult {
  Id id = 0;
  Id objective_id = 0;
  std::string text;  // in the person's words
  KeyResultKind kind = KeyResultKind::metric;
  std::optional<double> baseline;
  std::optional<double> target;
  std::string unit;  // "%", "USD", "k", "days", "" for counts
  Direction direction = Direction::increase;
  std::optional<double> current;
  std::optional<std::string> deadline;  // ISO date; none = the cycle's end
  int position = 0;
};

struct Objective {
  Id id = 0;
  Id person_id = 0;
  Id team_id = 0;  // 0 when personal only
  Id cycle_id = 0;
  std::string text;
  std::string why;
  std::string obstacles;
  std::string support;
  std::string parent;  // the higher objective it connects to, in the person's words
  std::vector<KeyResult> key_results;
  TimePoint created_at{};
};

struct CheckIn {
  Id id = 0;
  Id key_result_id = 0;
  Id person_id = 0;
  double value = 0;        // metric value, or 0/1 (or fraction) for a milestone
  int confidence = 5;      // 1-10
  std::string helped;      // what moved things
  std::string blockers;
  std::string next_focus;
  TimePoint at{};
};

struct Reflection {
  Id id = 0;
  Id person_id = 0;
  Id cycle_id = 0;
  std::vector<std::pair<Id, double>> scores;  // key result id -> 0.0-1.0
  std::string learned;
  std::string went_well;
  std::string do_differently;
  std::string stop_habit;
  std::string carry_forward;
  bool shared_with_coach = false;
  TimePoint at{};
};

}  // namespace okr::dialogs
