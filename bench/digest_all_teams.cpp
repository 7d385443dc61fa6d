// How long the weekly digests of many teams take, read from a real SQLite file: the work the
// scheduler does on a digest day. Usage: digest_all_teams [teams=1000] [people=8] [weeks=12]
//
// Each person has one objective with three key results (an increasing metric, a decreasing one,
// a milestone) and checks in weekly, skipping about one week in seven; the last person of each
// team joins half way. The file is written first (one transaction per team), closed, reopened,
// and then every team's digest is composed and rendered as JSON and as the neutral message.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/pipeline/team_digest.hpp"
#include "storage/check_ins.hpp"
#include "storage/cycles.hpp"
#include "storage/database.hpp"
#include "storage/memberships.hpp"
#include "storage/objectives.hpp"
#include "storage/people.hpp"
#include "storage/teams.hpp"
#include "storage/turn_commit.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
using Clock = std::chrono::steady_clock;

namespace {

dialogs::TimePoint utc(int y, unsigned m, unsigned d, int hour = 0) {
  using namespace std::chrono;
  return time_point_cast<seconds>(sys_days{year{y} / month{m} / day{d}} + hours{hour});
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

dialogs::KeyResult key_result(std::string text, dialogs::KeyResultKind kind, std::optional<double> baseline,
                              std::optional<double> target, dialogs::Direction direction) {
  dialogs::KeyResult kr;
  kr.text = std::move(text);
  kr.kind = kind;
  kr.baseline = baseline;
  kr.target = target;
  kr.direction = direction;
  return kr;
}

void populate_team(storage::Database& db, int team_index, int people, int weeks, dialogs::TimePoint cycle_start) {
  const auto team = storage::Teams(db).find_or_create("team-" + std::to_string(team_index));
  const auto cycle = storage::Cycles(db).current(team.id, team.settings, cycle_start);
  for (int p = 0; p < people; ++p) {
    dialogs::Person identity;
    identity.platform = "terminal";
    identity.workspace = "local";
    identity.user_ref = "t" + std::to_string(team_index) + "-p" + std::to_string(p);
    identity.display_name = "Person " + std::to_string(p);
    const auto person = storage::People(db).find_or_create(identity);
    const bool late = p == people - 1;
    const int first_week = late ? weeks / 2 : 0;
    const auto joined = cycle_start + std::chrono::days{7 * first_week};
    storage::Memberships(db).grant(team.id, person.id, dialogs::Role::member, joined);
    if (p == 0)
      storage::Memberships(db).grant(team.id, person.id, dialogs::Role::manager, joined);
    dialogs::Objective o;
    o.person_id = person.id;
    o.team_id = team.id;
    o.cycle_id = cycle.id;
    o.text = "Objective of person " + std::to_string(p);
    o.created_at = joined;
    o.key_results = {key_result("Raise the score from 20 to 60", dialogs::KeyResultKind::metric, 20, 60,
                                dialogs::Direction::increase),
                     key_result("Cut the wait from 10 to 2 days", dialogs::KeyResultKind::metric, 10, 2,
                                dialogs::Direction::decrease),
                     key_result("Ship the guide", dialogs::KeyResultKind::milestone, std::nullopt, std::nullopt,
                                dialogs::Direction::increase)};
    const auto saved = storage::Objectives(db).add(o);
    for (int w = first_week; w < weeks; ++w) {
      if ((team_index * 31 + p * 7 + w * 3) % 7 == 0)
        continue;  // a skipped week
      const auto at = cycle_start + std::chrono::days{7 * w} + std::chrono::hours{10};
      const double share = static_cast<double>(w + 1) / weeks;
      const double values[] = {20 + 35 * share, 10 - 7 * share, w * 2 >= weeks ? 1.0 : 0.0};
      for (int k = 0; k < 3; ++k) {
        dialogs::CheckIn c;
        c.key_result_id = saved.key_results[static_cast<std::size_t>(k)].id;
        c.person_id = person.id;
        c.value = values[k];
        c.confidence = 3 + (team_index + p + w) % 7;
        c.blockers = (p + w) % 5 == 0 ? "Waiting on another team" : "";
        c.at = at;
        storage::CheckIns(db).record(c);
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int teams = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int people = argc > 2 ? std::atoi(argv[2]) : 8;
  const int weeks = argc > 3 ? std::atoi(argv[3]) : 12;
  if (teams < 1 || people < 2 || weeks < 2 || weeks > 13) {
    std::fprintf(stderr, "usage: digest_all_teams [teams>=1] [people>=2] [weeks 2..13]\n");
    return 2;
  }
  test::TempDir dir;
  const auto path = (dir / "digest-bench.db").string();
  const auto cycle_start = utc(2026, 10, 1);  // Thursday of 2026-W40; a quarter holds 13 weeks
  const auto now = cycle_start + std::chrono::days{7 * (weeks - 1) + 1} + std::chrono::hours{16};

  auto start = Clock::now();
  {
    auto db = storage::Database::open(path);
    db.migrate();
    for (int t = 0; t < teams; ++t)
      storage::commit_command(db, std::nullopt, now, [&] {
        populate_team(db, t, people, weeks, cycle_start);
        return std::vector<storage::OutboxItem>{};
      });
  }
  const double populate_ms = ms_since(start);
  const auto bytes = std::filesystem::file_size(path);

  auto db = storage::Database::open(path);  // a fresh connection: nothing cached from writing
  std::vector<double> per_team;
  per_team.reserve(static_cast<std::size_t>(teams));
  long key_results = 0;
  long at_risk = 0;
  start = Clock::now();
  for (dialogs::Id id = 1; id <= teams; ++id) {
    const auto one = Clock::now();
    const auto json = bot::pipeline::weekly_digest_json(db, id, now);
    if (!json) {
      std::fprintf(stderr, "team %lld has no digest\n", static_cast<long long>(id));
      return 1;
    }
    per_team.push_back(ms_since(one));
    key_results += (*json)["summary"]["key_results"].get<long>();
    at_risk += (*json)["summary"]["at_risk"].get<long>();
  }
  const double json_ms = ms_since(start);
  start = Clock::now();
  std::size_t rows = 0;
  for (dialogs::Id id = 1; id <= teams; ++id)
    if (const auto message = bot::pipeline::weekly_digest_message(db, id, now))
      rows += message->progress->rows.size();
  const double message_ms = ms_since(start);

  std::sort(per_team.begin(), per_team.end());
  const auto at = [&](double q) { return per_team[static_cast<std::size_t>(q * (per_team.size() - 1))]; };
  std::printf("teams %d, people per team %d, weeks %d; database %.1f MB written in %.1f s\n", teams, people, weeks,
              static_cast<double>(bytes) / 1e6, populate_ms / 1000);
  std::printf("all digests as JSON:    %.0f ms total, per team p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", json_ms,
              at(0.5), at(0.99), per_team.back());
  std::printf("all digests as message: %.0f ms total (%zu progress rows)\n", message_ms, rows);
  std::printf("key results %ld, at risk %ld\n", key_results, at_risk);
  return 0;
}
