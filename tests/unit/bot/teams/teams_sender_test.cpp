#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/http/client.hpp"
#include "bot/teams/connector.hpp"
#include "bot/teams/teams_sender.hpp"
#include "fixed_token.hpp"
#include "storage/conversation_refs.hpp"
#include "storage/database.hpp"
#include "tests/support/fake_bot_connector.hpp"
#include "tests/support/temp_dir.hpp"

using okr::bot::pipeline::SendOutcome;
using okr::test::ConnectorFault;
using okr::test::FakeBotConnector;
namespace storage = okr::storage;
namespace teams = okr::bot::teams;

namespace {

struct Rig {
  okr::test::TempDir dir;
  storage::Database db = storage::Database::open((dir / "coach.db").string());
  FakeBotConnector connector;
  okr::bot::http::HttpClient client;
  okr::test::FixedTokens tokens;
  teams::Connector api{client, tokens};
  teams::TeamsSender sender{api, db, "app-id"};
  std::int64_t next_row = 1;

  Rig() {
    db.migrate();
    storage::ConversationRef ref;
    ref.tenant_id = "tenant-1";
    ref.conversation_id = "a:chat/1@thread";
    ref.service_url = connector.service_url();
    ref.bot_id = "28:app-id";
    ref.user_id = "29:ana";
    storage::ConversationRefs(db).remember(ref);
  }

  storage::OutboxRow row(const std::string& conversation, const std::string& text) {
    storage::OutboxRow row;
    row.id = next_row++;
    row.address.platform = "teams";
    row.address.workspace = "tenant-1";
    row.address.conversation = conversation;
    row.address.user = "29:ana";
    row.message.text = text;
    return row;
  }
};

}  // namespace

TEST_CASE("a reply goes to the replied activity, path segments percent-encoded", "[teams][sender]") {
  Rig rig;
  auto row = rig.row("a:chat/1@thread", "Hello");
  row.address.thread = "act:9";
  const auto outcome = rig.sender.send(row);
  CHECK(outcome.kind == SendOutcome::Kind::sent);
  const auto calls = rig.connector.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].operation == "reply");
  CHECK(calls[0].conversation == "a:chat/1@thread");
  CHECK(calls[0].activity == "act:9");
  CHECK(calls[0].raw_path == "/v3/conversations/a%3Achat%2F1%40thread/activities/act%3A9");
  CHECK(calls[0].authorization == "Bearer token-1");
  CHECK(calls[0].body["text"] == "Hello");
  CHECK(calls[0].body["replyToId"] == "act:9");
  CHECK(outcome.ref == calls[0].body.value("id", outcome.ref));
}

TEST_CASE("a nudge to a person with no 1:1 chat yet creates one, stores it and posts there",
          "[teams][sender]") {
  Rig rig;
  storage::ConversationRef channel;
  channel.tenant_id = "tenant-1";
  channel.conversation_id = "19:team@thread.tacv2";
  channel.conversation_type = "channel";
  channel.service_url = rig.connector.service_url();
  channel.user_id = "29:bo";
  storage::ConversationRefs(rig.db).remember(channel);

  auto row = rig.row("29:bo", "Time for your check-in");
  row.address.user = "29:bo";
  CHECK(rig.sender.send(row).kind == SendOutcome::Kind::sent);
  const auto calls = rig.connector.calls();
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].operation == "create_conversation");
  CHECK(calls[0].body["members"][0]["id"] == "29:bo");
  CHECK(calls[0].body["bot"]["id"] == "28:app-id");
  CHECK(calls[0].body["channelData"]["tenant"]["id"] == "tenant-1");
  CHECK(calls[1].operation == "send");
  CHECK(calls[1].conversation == "a:created-1");
  const auto stored = storage::ConversationRefs(rig.db).personal_of("tenant-1", "29:bo");
  REQUIRE(stored);
  CHECK(stored->conversation_id == "a:created-1");

  // The next nudge uses the stored chat without creating another.
  CHECK(rig.sender.send(row).kind == SendOutcome::Kind::sent);
  CHECK(rig.connector.calls().size() == 3);
  CHECK(rig.connector.calls()[2].conversation == "a:created-1");
}

TEST_CASE("a nudge to an existing person reaches their stored 1:1 chat", "[teams][sender]") {
  Rig rig;
  CHECK(rig.sender.send(rig.row("29:ana", "Check-in time")).kind == SendOutcome::Kind::sent);
  const auto calls = rig.connector.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].operation == "send");
  CHECK(calls[0].conversation == "a:chat/1@thread");
}

TEST_CASE("429 waits for Retry-After when given and backs off otherwise", "[teams][sender]") {
  Rig rig;
  rig.connector.fail_next(1, ConnectorFault::rate_limited, 7);
  const auto limited = rig.sender.send(rig.row("a:chat/1@thread", "one"));
  CHECK(limited.kind == SendOutcome::Kind::retry_after);
  CHECK(limited.retry_after == std::chrono::seconds(7));

  rig.connector.fail_next(1, ConnectorFault::rate_limited_no_header);
  CHECK(rig.sender.send(rig.row("a:chat/1@thread", "two")).kind == SendOutcome::Kind::retryable);
  rig.connector.fail_next(1, ConnectorFault::server_error);
  CHECK(rig.sender.send(rig.row("a:chat/1@thread", "three")).kind ==
        SendOutcome::Kind::retryable);
}

TEST_CASE("a 401 drops the token and the call is made once more with a fresh one",
          "[teams][sender]") {
  Rig rig;
  rig.connector.fail_next(1, ConnectorFault::unauthorized);
  CHECK(rig.sender.send(rig.row("a:chat/1@thread", "hi")).kind == SendOutcome::Kind::sent);
  CHECK(rig.tokens.invalidations() == 1);
  const auto calls = rig.connector.calls();
  REQUIRE(calls.size() == 2);
  CHECK(calls[1].authorization == "Bearer token-2");
}

TEST_CASE("a 403 on a proactive message is permanent and marks the reference stale",
          "[teams][sender]") {
  Rig rig;
  rig.connector.fail_next(1, ConnectorFault::forbidden);
  const auto outcome = rig.sender.send(rig.row("a:chat/1@thread", "nudge"));
  CHECK(outcome.kind == SendOutcome::Kind::permanent);
  CHECK(outcome.detail.find("not installed") != std::string::npos);
  CHECK(storage::ConversationRefs(rig.db).find("tenant-1", "a:chat/1@thread")->stale);
  // Later rows to it are refused without calling the connector.
  CHECK(rig.sender.send(rig.row("a:chat/1@thread", "again")).kind ==
        SendOutcome::Kind::permanent);
  CHECK(rig.connector.calls().size() == 1);
}

TEST_CASE("a card update is a PUT of the stored payload to the clicked activity",
          "[teams][sender]") {
  Rig rig;
  auto row = rig.row("a:chat/1@thread", "Confirm");
  row.address.kind = "update";
  row.address.target = "card-1";
  CHECK(rig.sender.send(row).kind == SendOutcome::Kind::sent);
  const auto calls = rig.connector.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].method == "PUT");
  CHECK(calls[0].activity == "card-1");
  CHECK(calls[0].body["id"] == "card-1");
  CHECK(calls[0].body["attachments"][0]["content"].dump().find("Confirm") != std::string::npos);
}

TEST_CASE("a person the coach never saw in Teams cannot be messaged", "[teams][sender]") {
  Rig rig;
  auto row = rig.row("29:stranger", "hello");
  row.address.user = "29:stranger";
  CHECK(rig.sender.send(row).kind == SendOutcome::Kind::permanent);
  CHECK(rig.connector.calls().empty());
}

TEST_CASE("connector URLs join the service URL with or without its trailing slash",
          "[teams][sender]") {
  CHECK(teams::connector_url("https://smba.example/amer", "v3/conversations") ==
        "https://smba.example/amer/v3/conversations");
  CHECK(teams::connector_url("https://smba.example/amer/", "v3/conversations") ==
        "https://smba.example/amer/v3/conversations");
  CHECK(teams::percent_encode_segment("19:a b@thread.skype") == "19%3Aa%20b%40thread.skype");
}
