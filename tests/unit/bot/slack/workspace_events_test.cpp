// The events that end an installation, and the workspace fields every event carries.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/slack/events.hpp"

using nlohmann::json;
using okr::bot::slack::OwnIdentity;
using okr::bot::slack::parse_event;

namespace {

json callback(const json& event) {
  return {{"type", "event_callback"},
          {"team_id", "T2"},
          {"enterprise_id", "E1"},
          {"event_id", "Ev1"},
          {"authorizations",
           json::array({{{"team_id", "T2"}, {"user_id", "UBOT2"}, {"is_bot", true}}})},
          {"event", event}};
}

}  // namespace

TEST_CASE("app_uninstalled removes the workspace it came from", "[slack][oauth]") {
  const auto parsed = parse_event(callback({{"type", "app_uninstalled"}}).dump(), OwnIdentity{});
  const auto* removed = std::get_if<okr::bot::slack::WorkspaceRemoved>(&parsed);
  REQUIRE(removed);
  CHECK(removed->envelope.team_id == "T2");
  CHECK(removed->envelope.enterprise_id == "E1");
  CHECK(removed->reason == "app_uninstalled");
}

TEST_CASE("tokens_revoked removes the workspace only when bot tokens were revoked",
          "[slack][oauth]") {
  const auto bot = parse_event(
      callback({{"type", "tokens_revoked"}, {"tokens", {{"bot", json::array({"UBOT2"})}}}}).dump(),
      OwnIdentity{});
  CHECK(std::holds_alternative<okr::bot::slack::WorkspaceRemoved>(bot));
  const auto users = parse_event(
      callback({{"type", "tokens_revoked"}, {"tokens", {{"oauth", json::array({"U1"})}}}}).dump(),
      OwnIdentity{});
  CHECK(std::holds_alternative<okr::bot::slack::IgnoredEvent>(users));
  const auto broken =
      parse_event(callback({{"type", "tokens_revoked"}}).dump(), OwnIdentity{});
  CHECK(std::holds_alternative<okr::bot::slack::ParseError>(broken));
}

TEST_CASE("a message from this workspace's own bot user is ignored", "[slack][oauth]") {
  // Each workspace has its own bot user; `authorizations` names it even when auth.test (one
  // token) knows another.
  const auto ours = parse_event(callback({{"type", "message"},
                                          {"channel_type", "im"},
                                          {"channel", "D1"},
                                          {"user", "UBOT2"},
                                          {"text", "hi"}})
                                    .dump(),
                                OwnIdentity{"UBOT1", ""});
  CHECK(std::holds_alternative<okr::bot::slack::IgnoredEvent>(ours));
  const auto person = parse_event(callback({{"type", "message"},
                                            {"channel_type", "im"},
                                            {"channel", "D1"},
                                            {"user", "U7"},
                                            {"text", "hi"}})
                                      .dump(),
                                  OwnIdentity{"UBOT1", ""});
  const auto* dm = std::get_if<okr::bot::slack::DirectMessage>(&person);
  REQUIRE(dm);
  CHECK(dm->inbound.workspace == "T2");
}
