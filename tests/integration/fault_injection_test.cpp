// No double posting under faults (issue 8, property 2): the fake Slack and the fake Bot Connector
// answer a large share of the coach's calls with 500s, 429s carrying Retry-After, slow answers
// and dropped connections. Every outbox message still arrives, none is sent again once a success
// was received, retries wait out Retry-After and back off, and only a permanent error makes a
// dead letter (counted on /metrics).
//
// The fakes draw their faults from seeded RNGs in call order, so the test replays the same draws
// to know which call got which fault. Times are lower bounds on the coach's behaviour (it must
// not retry sooner); nothing asserts that anything is fast.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/slack/signature.hpp"
#include "storage/database.hpp"
#include "tests/support/fake_bot_connector.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/fake_teams_identity.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;
using okr::test::ConnectorCall;
using okr::test::ConnectorFault;
using okr::test::FakeBotConnector;
using okr::test::FakeSlack;
using okr::test::Fault;
using okr::test::FaultKind;
using okr::test::FakeTeamsIdentity;
using okr::test::Process;
using okr::test::TempDir;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

const std::string kSecret = "faults-signing-secret-0123456789";

std::int64_t epoch_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class Coach {
 public:
  Coach(const TempDir& dir, std::map<std::string, std::string> env)
      : process_(okr::test::okr_coach_binary(),
                 okr::test::okr_coach_options(
                     {"serve", "--listen", "127.0.0.1:0", "--db", (dir / "coach.db").string()},
                     env)) {
    const auto line = process_.wait_for_line("listening on http://");
    REQUIRE(line);
    const auto port = okr::test::listening_port(*line);
    REQUIRE(port);
    port_ = *port;
  }
  ~Coach() {
    process_.send_signal(SIGTERM);
    process_.wait_exit();
  }

  int post(const std::string& path, const std::string& body,
           std::vector<std::pair<std::string, std::string>> headers) {
    okr::test::HttpConnection connection(port_);
    return connection.request("POST", path, body, headers).status;
  }

  int slack_event(const json& event) {
    const auto body = event.dump();
    const auto ts = std::to_string(epoch_seconds());
    return post("/slack/events", body,
                {{"X-Slack-Request-Timestamp", ts},
                 {"X-Slack-Signature", okr::bot::slack::compute_signature(kSecret, ts, body)},
                 {"Content-Type", "application/json"}});
  }

  std::string metrics() {
    okr::test::HttpConnection connection(port_);
    return connection.request("GET", "/metrics").body;
  }

  std::string log() {
    process_.wait_for_line("\x01 never logged", okr::test::Stream::err, milliseconds(100));
    return process_.err();
  }

 private:
  Process process_;
  std::uint16_t port_ = 0;
};

// conversations.history as Slack answers it (newest first, with each message's metadata), from
// the posts the fake accepted: what the coach reads before re-sending a message whose first
// call had no known outcome.
void serve_history(FakeSlack& slack) {
  slack.answer_method("conversations.history", [&slack](const json& fields) {
    const auto channel = fields.value("channel", "");
    json messages = json::array();
    for (const auto& post : slack.accepted_calls_to("chat.postMessage")) {
      if (post.json.value("channel", "") != channel)
        continue;
      json message = {{"type", "message"}, {"text", post.json.value("text", "")}};
      if (post.json.contains("metadata"))
        message["metadata"] = post.json.at("metadata");
      messages.insert(messages.begin(), message);
    }
    return json{{"ok", true}, {"messages", messages}, {"has_more", false}};
  });
}

int outbox_count(const TempDir& dir, const std::string& where) {
  auto db = okr::storage::Database::open((dir / "coach.db").string());
  SQLite::Statement q(db.handle(), "SELECT COUNT(*) FROM outbox WHERE " + where);
  q.executeStep();
  return q.getColumn(0).getInt();
}

// Waits until the outbox holds nothing left to send; the deadline only stops a broken run.
bool outbox_drained(const TempDir& dir, std::chrono::seconds deadline,
                    const std::function<void()>& meanwhile = [] {}) {
  const auto until = Clock::now() + deadline;
  while (Clock::now() < until) {
    meanwhile();
    if (outbox_count(dir, "status NOT IN ('sent', 'dead')") == 0)
      return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return false;
}

bool await_metric(Coach& coach, const std::string& series) {
  const auto until = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < until) {
    if (coach.metrics().find(series) != std::string::npos)
      return true;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return false;
}

// The conversation each scripted message opens in the draft dialog, and what it answers.
const std::vector<std::pair<std::string, std::string>> kScript = {
    {"draft", "What do you want to achieve this cycle?"},
    {"I want new customers to thrive in their first week.",
     "Why does that matter to you, and why now?"},
    {"Churn is highest in week one", "How will you know you got there?"},
};

// One attempt at sending one message, as the fake saw it.
struct Attempt {
  std::string fault;  // "" = none
  bool accepted = false;
  Clock::time_point at;  // (Slack: when the test first saw the call; later than the truth)
  int retry_after = 0;
};

// Checks the attempts at one message: exactly one success, nothing after it, Retry-After
// waited out, and each retryable failure followed by a growing wait. `slack` observed times
// lag the truth by up to one poll, hence `slack_tolerance`.
void check_attempts(const std::string& what, const std::vector<Attempt>& attempts,
                    milliseconds tolerance) {
  INFO(what << " (" << attempts.size() << " attempts)");
  int successes = 0;
  int failures = 0;
  for (std::size_t i = 0; i < attempts.size(); ++i) {
    const auto& a = attempts[i];
    if (a.accepted) {
      ++successes;
      CHECK(i + 1 == attempts.size());  // nothing sent after a success was received
      continue;
    }
    if (i + 1 >= attempts.size())
      continue;
    const auto gap = std::chrono::duration_cast<milliseconds>(attempts[i + 1].at - a.at);
    INFO("attempt " << i + 1 << " fault " << a.fault << ", gap " << gap.count() << " ms");
    if (a.fault == "rate_limited") {
      CHECK(gap >= milliseconds(a.retry_after * 1000) - tolerance);
    } else {
      // A dropped connection is a failure like any other: the fake read the whole POST, so
      // bot/http's client must not re-send it at once (outcome_unknown, docs/reliability.md);
      // the dispatcher's backoff decides when it goes again.
      ++failures;
      // Equal-jitter backoff never comes back sooner than half of base * 2^(failures-1).
      const auto least = milliseconds(500 * (1 << std::min(failures - 1, 6)));
      if (least > tolerance)
        CHECK(gap >= least - tolerance);
    }
  }
  CHECK(successes == 1);
}

}  // namespace

TEST_CASE("Slack faults on 30% of calls: every reply arrives once, Retry-After is honoured, only "
          "channel_not_found is a dead letter",
          "[faults][slow]") {
  const unsigned seed = 8101;
  const int percent = 30;
  const std::vector<Fault> faults = {
      Fault{FaultKind::server_error, 1, {}, {}},
      Fault{FaultKind::rate_limited, 3, {}, {}},
      Fault{FaultKind::delay, 1, milliseconds(1500), {}},
      Fault{FaultKind::dropped_connection, 1, {}, {}},
  };
  const std::vector<std::string> kinds = {"server_error", "rate_limited", "delay",
                                          "dropped_connection"};
  TempDir dir;
  FakeSlack slack;
  serve_history(slack);
  Coach coach(dir, {{"SLACK_SIGNING_SECRET", kSecret},
                    {"SLACK_BOT_TOKEN", slack.token()},
                    {"SLACK_API_URL", slack.api_url()}});
  // The coach's own start-up call (auth.test) goes first, unfaulted.
  for (int i = 0; i < 200 && slack.calls_to("auth.test").empty(); ++i)
    std::this_thread::sleep_for(milliseconds(20));
  REQUIRE(!slack.calls_to("auth.test").empty());
  const std::size_t unfaulted = slack.calls().size();
  slack.fail_percent(percent, faults, seed);

  constexpr int kPeople = 6;
  int number = 0;
  for (const auto& [said, expected] : kScript) {
    for (int p = 0; p < kPeople; ++p) {
      const json event = {{"type", "event_callback"},
                          {"team_id", "T0FAULT"},
                          {"event_id", "EvFault" + std::to_string(++number)},
                          {"event",
                           {{"type", "message"},
                            {"channel", "DFP" + std::to_string(p)},
                            {"user", "UFP" + std::to_string(p)},
                            {"text", said},
                            {"ts", std::to_string(epoch_seconds()) + "." + std::to_string(number)},
                            {"channel_type", "im"}}}};
      REQUIRE(coach.slack_event(event) == 200);
    }
  }
  // Watch the calls as they come, to time the retries: a thread of its own that does nothing
  // else, so that its view lags the truth as little as the machine allows.
  std::vector<Clock::time_point> seen_at;
  std::mutex seen_mutex;
  std::atomic<bool> watching{true};
  std::thread watcher([&] {
    while (watching) {
      const auto count = slack.calls().size();
      {
        std::lock_guard lock(seen_mutex);
        while (seen_at.size() < count)
          seen_at.push_back(Clock::now());
      }
      std::this_thread::sleep_for(milliseconds(1));
    }
  });
  auto watch = [] {};
  // Each person's three replies in order: wait for them, then for the outbox to settle.
  const auto until = Clock::now() + std::chrono::seconds(120);
  while (slack.accepted_calls_to("chat.postMessage").size() < kScript.size() * kPeople &&
         Clock::now() < until) {
    watch();
    std::this_thread::sleep_for(milliseconds(5));
  }
  const bool drained = outbox_drained(dir, std::chrono::seconds(60), watch);
  std::this_thread::sleep_for(milliseconds(20));
  watching = false;
  watcher.join();
  REQUIRE(drained);
  slack.clear_faults();

  // Replay the fake's draws: which call got which fault.
  const auto calls = slack.calls();
  std::mt19937 rng(seed);
  std::map<std::string, int> injected;
  std::map<std::string, std::vector<Attempt>> by_message;  // channel + text
  for (std::size_t i = unfaulted; i < calls.size(); ++i) {
    std::string fault;
    if (std::uniform_int_distribution<int>(0, 99)(rng) < percent)
      fault = kinds[std::uniform_int_distribution<std::size_t>(0, faults.size() - 1)(rng)];
    if (!fault.empty())
      ++injected[fault];
    const auto& call = calls[i];
    INFO("call " << i << " " << call.method << " fault '" << fault << "'");
    if (fault.empty() || fault == "delay")
      CHECK(call.accepted);
    else
      CHECK_FALSE(call.accepted);
    if (call.method == "chat.postMessage") {
      by_message[call.json.value("channel", "") + " | " + call.json.value("text", "")].push_back(
          Attempt{fault, call.accepted, seen_at.at(i), fault == "rate_limited" ? 3 : 0});
    }
  }
  std::cout << "slack faults injected (seed " << seed << "):";
  for (const auto& [kind, count] : injected)
    std::cout << " " << kind << "=" << count;
  std::cout << " over " << calls.size() - unfaulted << " calls\n";
  for (const auto& kind : kinds) {
    INFO(kind);
    CHECK(injected[kind] > 0);
  }

  // Every message delivered exactly once, in order per person.
  CHECK(by_message.size() == kScript.size() * kPeople);
  for (const auto& [message, attempts] : by_message)
    check_attempts(message, attempts, milliseconds(500));
  for (int p = 0; p < kPeople; ++p) {
    std::vector<std::string> texts;
    for (const auto& post : slack.accepted_calls_to("chat.postMessage")) {
      if (post.json.value("channel", "") == "DFP" + std::to_string(p))
        texts.push_back(post.json.value("text", ""));
    }
    INFO("person " << p);
    REQUIRE(texts.size() == kScript.size());
    for (std::size_t i = 0; i < kScript.size(); ++i)
      CHECK(texts[i].find(kScript[i].second) != std::string::npos);
  }
  // Transient faults made no dead letters.
  CHECK(outbox_count(dir, "status = 'dead'") == 0);
  CHECK(coach.metrics().find("okr_coach_outbox_dead_letters_total{platform=\"slack\"}") ==
        std::string::npos);

  // A permanent error does: Slack says the channel is gone.
  slack.answer_method("chat.postMessage", [](const json& fields) {
    if (fields.value("channel", "") == "DFP0")
      return json{{"ok", false}, {"error", "channel_not_found"}};
    return json{{"ok", true}, {"channel", fields.value("channel", "")}, {"ts", "1700000001.1"}};
  });
  const json gone = {{"type", "event_callback"},
                     {"team_id", "T0FAULT"},
                     {"event_id", "EvFaultGone"},
                     {"event",
                      {{"type", "message"},
                       {"channel", "DFP0"},
                       {"user", "UFP0"},
                       {"text", "Raise week-one activation from 40% to 60%"},
                       {"ts", std::to_string(epoch_seconds()) + ".9"},
                       {"channel_type", "im"}}}};
  REQUIRE(coach.slack_event(gone) == 200);
  INFO(coach.log());
  CHECK(await_metric(coach, "okr_coach_outbox_dead_letters_total{platform=\"slack\"} 1"));
  CHECK(outbox_count(dir, "status = 'dead' AND last_error LIKE '%channel_not_found%'") == 1);
  CHECK(outbox_count(dir, "status = 'dead'") == 1);
}

namespace {

std::map<std::string, std::string> teams_env(const FakeTeamsIdentity& identity) {
  return {{"TEAMS_APP_ID", identity.options().app_id},
          {"TEAMS_APP_PASSWORD", identity.options().app_password},
          {"TEAMS_OPENID_URL", identity.openid_url()},
          {"TEAMS_TOKEN_URL", identity.token_url()}};
}

json teams_message(const FakeBotConnector& connector, int person, const std::string& id,
                   const std::string& text) {
  const std::string user = "29:fault-person-" + std::to_string(person);
  return {{"type", "message"},
          {"id", id},
          {"text", text},
          {"serviceUrl", connector.service_url()},
          {"channelId", "msteams"},
          {"from", {{"id", user}, {"name", "Person " + std::to_string(person)}}},
          {"recipient", {{"id", "28:coach"}, {"name", "OKR Coach"}}},
          {"conversation",
           {{"id", "a:fault-chat-" + std::to_string(person)},
            {"conversationType", "personal"},
            {"tenantId", "tenant-faults"}}},
          {"channelData", {{"tenant", {{"id", "tenant-faults"}}}}}};
}

std::string fault_name(const std::optional<ConnectorFault>& fault) {
  if (!fault)
    return "";
  switch (*fault) {
    case ConnectorFault::rate_limited:
      return "rate_limited";
    case ConnectorFault::rate_limited_no_header:
      return "rate_limited_no_header";
    case ConnectorFault::server_error:
      return "server_error";
    case ConnectorFault::forbidden:
      return "forbidden";
    case ConnectorFault::unauthorized:
      return "unauthorized";
    case ConnectorFault::slow:
      return "slow";
    case ConnectorFault::dropped_connection:
      return "dropped_connection";
  }
  return "?";
}

}  // namespace

TEST_CASE("Bot Connector faults on 40% of calls: every reply arrives once, Retry-After is "
          "honoured, only a 403 is a dead letter",
          "[faults][teams][slow]") {
  TempDir dir;
  FakeTeamsIdentity identity;
  FakeBotConnector connector;
  Coach coach(dir, teams_env(identity));
  const auto token =
      "Bearer " + identity.token(identity.claims(connector.service_url(), epoch_seconds()));
  // Each kind at least once (the first calls), then a seeded 40% share.
  for (const auto kind : {ConnectorFault::slow, ConnectorFault::dropped_connection,
                          ConnectorFault::server_error, ConnectorFault::rate_limited})
    connector.fail_next(1, kind, 1);
  connector.fail_percent(40,
                         {ConnectorFault::server_error, ConnectorFault::rate_limited,
                          ConnectorFault::slow, ConnectorFault::dropped_connection},
                         9202, 1, milliseconds(1500));
  auto post = [&](const json& activity) {
    return coach.post("/api/messages", activity.dump(),
                      {{"Content-Type", "application/json"}, {"Authorization", token}});
  };

  constexpr int kPeople = 8;
  int number = 0;
  for (const auto& step : kScript) {
    for (int p = 0; p < kPeople; ++p) {
      REQUIRE(post(teams_message(connector, p, "fault-act-" + std::to_string(++number),
                                 step.first)) == 200);
    }
  }
  const auto delivered = [](const std::vector<ConnectorCall>& calls) {
    std::size_t n = 0;
    for (const auto& call : calls)
      n += call.status >= 200 && call.status < 300 && call.operation != "update";
    return n;
  };
  REQUIRE(connector.wait_until(
      [&](const std::vector<ConnectorCall>& calls) {
        return delivered(calls) >= kScript.size() * kPeople;
      },
      std::chrono::seconds(120)));
  REQUIRE(outbox_drained(dir, std::chrono::seconds(60)));
  connector.clear_faults();

  const auto calls = connector.calls();
  std::map<std::string, int> injected;
  std::map<std::string, std::vector<Attempt>> by_message;
  for (const auto& call : calls) {
    const auto fault = fault_name(call.fault);
    if (!fault.empty())
      ++injected[fault];
    const bool accepted = call.status >= 200 && call.status < 300;
    by_message[call.conversation + " | " + call.body.value("text", "") +
               call.body.value("attachments", json::array()).dump()]
        .push_back(Attempt{fault, accepted, call.at,
                           call.retry_after.empty() ? 0 : std::stoi(call.retry_after)});
  }
  std::cout << "bot connector faults injected:";
  for (const auto& [kind, count] : injected)
    std::cout << " " << kind << "=" << count;
  std::cout << " over " << calls.size() << " calls\n";
  for (const auto* kind : {"server_error", "rate_limited", "slow", "dropped_connection"}) {
    INFO(kind);
    CHECK(injected[kind] > 0);
  }
  CHECK(by_message.size() == kScript.size() * kPeople);
  for (const auto& [message, attempts] : by_message)
    check_attempts(message, attempts, milliseconds(5));
  for (int p = 0; p < kPeople; ++p) {
    std::vector<std::string> texts;
    for (const auto& call : calls) {
      if (call.conversation == "a:fault-chat-" + std::to_string(p) && call.status >= 200 &&
          call.status < 300)
        texts.push_back(call.body.dump());
    }
    INFO("person " << p);
    REQUIRE(texts.size() == kScript.size());
    for (std::size_t i = 0; i < kScript.size(); ++i)
      CHECK(texts[i].find(kScript[i].second) != std::string::npos);
  }
  CHECK(outbox_count(dir, "status = 'dead'") == 0);

  // A 403 is permanent: one dead letter, counted.
  connector.fail_next(1, ConnectorFault::forbidden);
  REQUIRE(post(teams_message(connector, 0, "fault-act-gone",
                             "Raise week-one activation from 40% to 60%")) == 200);
  INFO(coach.log());
  CHECK(await_metric(coach, "okr_coach_outbox_dead_letters_total{platform=\"teams\"} 1"));
  CHECK(outbox_count(dir, "status = 'dead'") == 1);
}
