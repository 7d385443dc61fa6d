// Writes signed Slack DM events for the ingest benchmark: one per line as
// "<timestamp>\t<v0 signature>\t<body>", each with its own event_id, signed just before the run
// (Slack's five-minute window) so wrk's Lua script only has to cycle through them.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/slack/signature.hpp"

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: signed_events <count> <out file> <signing secret> <id prefix> "
                         "[people]\n");
    return 2;
  }
  const long count = std::atol(argv[1]);
  const std::string secret = argv[3];
  const std::string prefix = argv[4];
  const long people = argc > 5 ? std::max(1L, std::atol(argv[5])) : 5000;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const std::string ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count());
  std::ofstream out(argv[2], std::ios::binary);
  // The words a person would send, in turn: each one starts, answers or leaves a real dialog.
  const char* words[] = {"help", "draft", "Make onboarding feel effortless for new teams", "cancel",
                         "okrs"};
  for (long n = 0; n < count; ++n) {
    const long person = n % people;
    const std::string body =
        nlohmann::json{{"type", "event_callback"},
                       {"team_id", "TBENCH"},
                       {"api_app_id", "ABENCH"},
                       {"event_id", "Ev" + prefix + std::to_string(n)},
                       {"event_time", std::stoll(ts)},
                       {"event",
                        {{"type", "message"},
                         {"channel", "DBENCH" + std::to_string(person)},
                         {"user", "UBENCH" + std::to_string(person)},
                         {"text", words[(n / people) % 5]},
                         {"ts", ts + "." + std::to_string(100000 + n % 900000)},
                         {"event_ts", ts + "." + std::to_string(100000 + n % 900000)},
                         {"channel_type", "im"},
                         {"client_msg_id", "5f1c2a4e-8d7b-4c3a-9e61-" + std::to_string(100000000000 + n)},
                         // What Slack sends along with the text (rich text blocks): the
                         // envelope is ~600 bytes, as in production.
                         {"blocks",
                          {{{"type", "rich_text"},
                            {"block_id", "bench"},
                            {"elements",
                             {{{"type", "rich_text_section"},
                               {"elements", {{{"type", "text"}, {"text", words[(n / people) % 5]}}}}}}}}}},
                         {"team", "TBENCH"}}},
                       {"authorizations",
                        {{{"enterprise_id", nullptr},
                          {"team_id", "TBENCH"},
                          {"user_id", "UBOTBENCH"},
                          {"is_bot", true},
                          {"is_enterprise_install", false}}}},
                       {"is_ext_shared_channel", false},
                       {"event_context", "4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUQkVOQ0giLCJhaWQiOiJBQkVOQ0giLCJjaWQiOiJEQkVOQ0gifQ"}}
            .dump();
    out << ts << '\t' << okr::bot::slack::compute_signature(secret, ts, body) << '\t' << body
        << '\n';
  }
  return out.good() ? 0 : 1;
}
