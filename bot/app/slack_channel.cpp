#include "bot/app/slack_channel.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "bot/app/slack_turn_retries.hpp"
#include "bot/http/client.hpp"
#include "bot/http/router.hpp"
#include "bot/metrics/registry.hpp"
#include "bot/pipeline/clock.hpp"
#include "bot/pipeline/inbox_recovery.hpp"
#include "bot/pipeline/outbox_dispatcher.hpp"
#include "bot/pipeline/sequencer.hpp"
#include "bot/pipeline/turn_runner.hpp"
#include "bot/slack/edit_modal.hpp"
#include "bot/slack/slack_routes.hpp"
#include "bot/slack/slack_sender.hpp"
#include "bot/slack/web_api.hpp"
#include "config/config.hpp"
#include "dialogs/instance.hpp"
#include "dialogs/outside_dialog.hpp"
#include "storage/database.hpp"
#include "storage/dialog_instances.hpp"
#include "storage/inbox.hpp"
#include "storage/outbox.hpp"
#include "storage/people.hpp"
#include "storage/turn_commit.hpp"

namespace okr::bot::app {
namespace {

constexpr std::string_view kRequestsMetric = "okr_coach_slack_requests_total";
constexpr std::string_view kInboundMetric = "okr_coach_slack_inbound_total";
constexpr std::string_view kRetriesMetric = "okr_inbox_turn_retries_total";
constexpr std::string_view kFailuresMetric = "okr_inbox_turn_failures_total";

// How long a person's users.info profile (time zone, name) is trusted before it is fetched
// again, and how soon a failed fetch is tried again.
constexpr auto kProfileFresh = std::chrono::hours(24);
constexpr auto kProfileRetry = std::chrono::minutes(10);

// Said in the person's DM when their message could not be processed even after retries.
constexpr std::string_view kTurnLostText =
    "Sorry, that one didn't save on my side. Could you send it to me again?";

// What kind of inbound a request is, for the metric (bounded label values).
std::string inbound_kind(const slack::SlackRequest& request) {
  if (request.kind == slack::SlackRequest::Kind::home)
    return "home_opened";
  if (request.event_key.starts_with("command:"))
    return "slash_command";
  if (request.message.action)
    return "block_action";
  if (request.event_key.starts_with("action:"))
    return "home_button";
  if (!request.immediate.empty())
    return "app_mention";
  return "direct_message";
}

}  // namespace

struct SlackChannel::State {
  const config::Config& config;
  const dialogs::DialogCatalog& catalog;
  metrics::Registry& metrics;
  slack::OwnIdentity self;

  std::optional<http::HttpClient> client;
  std::optional<slack::WebApi> api;
  std::optional<storage::Database> inbox_db;  // network threads, one at a time
  std::mutex inbox_mutex;
  // One connection and turn runner per sequencer worker: turns of different people run in
  // parallel, and a SQLite handle is never used by two threads.
  struct TurnSlot {
    storage::Database db;
    pipeline::TurnRunner runner;
    TurnSlot(storage::Database database, const dialogs::DialogCatalog& catalog, unsigned idle_days)
        : db(std::move(database)),
          runner(db, catalog, pipeline::system_now, pipeline::TurnSettings{idle_days}) {}
  };
  std::vector<std::unique_ptr<TurnSlot>> slots;
  std::mutex slot_mutex;
  std::map<std::thread::id, std::size_t> slot_of_thread;
  std::optional<storage::Database> dispatch_db;  // the dispatch loop's thread
  std::optional<pipeline::OutboxDispatcher> dispatcher;
  std::optional<pipeline::DispatchLoop> loop;
  std::optional<pipeline::Sequencer> sequencer;
  std::optional<TurnRetries> retries;
  bool started = false;
  std::function<void()> schedules_changed;
  // When each person's profile was last fetched (or is next due after a failure): in memory,
  // so a restart fetches each person once more, which is cheap.
  std::mutex profile_mutex;
  std::map<std::string, std::chrono::steady_clock::time_point> profile_due;

  State(const config::Config& c, const dialogs::DialogCatalog& d, metrics::Registry& m)
      : config(c), catalog(d), metrics(m) {}

  // On the network thread: durable first, then queued; the answer follows at once.
  bool accept(const slack::SlackRequest& request) {
    if (!sequencer)
      throw std::logic_error("slack channel used before start()");
    const auto now = pipeline::system_now();
    dialogs::Id inbox_id = 0;
    {
      std::lock_guard lock(inbox_mutex);
      // One transaction: the event, where its replies go, and what is owed at once.
      const auto recorded = storage::Inbox(*inbox_db).record(
          request.event_key, request.message, now, request.reply_to, request.immediate);
      if (recorded.duplicate) {
        pipeline::count_inbox_duplicate(metrics, "slack");
        return false;
      }
      inbox_id = recorded.id;
      metrics.increment(kInboundMetric, {{"kind", inbound_kind(request)}});
    }
    if (!request.immediate.empty())
      loop->notify();
    submit(request, inbox_id);
    return true;
  }

  // The calling worker thread's own slot (each worker thread keeps the first one it gets).
  TurnSlot& my_slot() {
    std::lock_guard lock(slot_mutex);
    const auto [it, added] =
        slot_of_thread.try_emplace(std::this_thread::get_id(), slot_of_thread.size());
    return *slots[it->second % slots.size()];
  }

  // Queues the request's work behind its conversation, retried with backoff when it fails.
  void submit(const slack::SlackRequest& request, dialogs::Id inbox_id) {
    RetryableTurn turn;
    turn.attempt = [this, request, inbox_id] {
      run(request, inbox_id);
      loop->notify();
    };
    turn.failed = [this, request, inbox_id](const std::string& error, int attempts, bool final) {
      turn_failed(request, inbox_id, error, attempts, final);
    };
    retries->submit(pipeline::conversation_key(request.message), std::move(turn));
  }

  // On a sequencer worker, after the acknowledgement. Throws when the work could not be saved
  // (nothing of it is kept then, so it can simply run again).
  void run(const slack::SlackRequest& request, dialogs::Id inbox_id) {
    TurnSlot& slot = my_slot();
    auto& runner = slot.runner;
    auto& turn_db = slot.db;
    if (request.kind != slack::SlackRequest::Kind::notice_only)
      refresh_profile(turn_db, request.message);
    if (request.kind == slack::SlackRequest::Kind::edit_modal &&
        open_edit_modal(turn_db, request, inbox_id)) {
      return;
    }
    const auto& action = request.message.action;
    if (action && action->id == slack::kEditedOkrAction) {
      apply_edit(slot, request, inbox_id);
    } else if (request.kind == slack::SlackRequest::Kind::turn ||
               request.kind == slack::SlackRequest::Kind::edit_modal) {
      runner.run(request.message, pipeline::Delivery{inbox_id, request.reply_to});
    } else if (request.kind == slack::SlackRequest::Kind::home) {
      const auto now = pipeline::system_now();
      const auto context = runner.load_context(request.message, now);
      storage::OutboxItem item;
      item.address = request.reply_to;
      item.message = dialogs::my_okrs(context);
      storage::commit_replies(turn_db, inbox_id, {item}, now);
    } else {
      storage::commit_replies(turn_db, inbox_id, {}, pipeline::system_now());
    }
  }

  // The person's draft waiting at its summary card, as the edit modal shows it; nullopt when
  // no draft dialog is waiting there.
  std::optional<slack::EditedOkr> draft_at_summary(storage::Database& db,
                                                   const dialogs::Inbound& message) {
    const auto person = storage::People(db).find("slack", message.workspace, message.user);
    if (!person)
      return std::nullopt;
    const auto stored = storage::DialogInstances(db).active(person->id, message.conversation);
    if (!stored || stored->dialog != "draft")
      return std::nullopt;
    const auto instance = nlohmann::json::parse(stored->state).get<dialogs::DialogInstance>();
    if (instance.node != "summary")
      return std::nullopt;
    const auto& draft = instance.variables.value("draft", nlohmann::json::object());
    slack::EditedOkr current;
    current.objective = draft.value("objective", "");
    for (const auto& kr : draft.value("key_results", nlohmann::json::array())) {
      if (kr.is_object())
        current.key_results.push_back(kr.value("text", ""));
    }
    return current;
  }

  // "Edit a part" on the draft card: the modal opens right away (its trigger lasts 3 s, so not
  // through the paced outbox). Returns false when it could not, and the click then runs as a
  // turn: the typed edit path asks which part to change.
  bool open_edit_modal(storage::Database& db, const slack::SlackRequest& request,
                       dialogs::Id inbox_id) {
    const auto current = draft_at_summary(db, request.message);
    if (!current)
      return false;
    try {
      api->open_view(request.trigger_id, slack::edit_modal_view(*current));
    } catch (const std::exception& error) {
      spdlog::warn("slack: edit modal for inbox entry {} not opened, asking in the DM: {}",
                   inbox_id, error.what());
      return false;
    }
    storage::commit_replies(db, inbox_id, {}, pipeline::system_now());
    return true;
  }

  // A valid edit modal: the draft dialog takes the edit through its own typed edit path (edit →
  // which part → the new words), each changed part in turn, so the dialog re-drafts and re-lints
  // exactly as when the edit is typed. Only the last step's replies are sent: they show the
  // draft again (or the dialog's next question about it).
  void apply_edit(TurnSlot& slot, const slack::SlackRequest& request, dialogs::Id inbox_id) {
    const auto edited = slack::edited_okr_from(request.message.action->value);
    const auto current = draft_at_summary(slot.db, request.message);
    if (!edited || !current) {
      storage::OutboxItem note;
      note.address = request.reply_to;
      note.message.text =
          "That draft has moved on since the form opened, so I left it as it is. Type summary to "
          "see where we are.";
      storage::commit_replies(slot.db, inbox_id, {note}, pipeline::system_now());
      return;
    }
    auto step = [&](std::optional<dialogs::Action> action, std::string text) {
      dialogs::Inbound message = request.message;
      message.action = std::move(action);
      message.text = std::move(text);
      return message;
    };
    std::vector<dialogs::Inbound> steps;
    if (edited->objective != current->objective) {
      steps.push_back(step(dialogs::Action{"summary", "edit"}, ""));
      steps.push_back(step(dialogs::Action{"edit_which", "objective"}, ""));
      steps.push_back(step(std::nullopt, edited->objective));
    }
    if (edited->key_results != current->key_results) {
      std::string signals;
      for (auto kr : edited->key_results) {
        std::replace(kr.begin(), kr.end(), ';', ',');  // the typed path splits on semicolons
        signals += (signals.empty() ? "" : "; ") + kr;
      }
      steps.push_back(step(dialogs::Action{"summary", "edit"}, ""));
      steps.push_back(step(dialogs::Action{"edit_which", "key_results"}, ""));
      steps.push_back(step(std::nullopt, signals));
    }
    if (steps.empty())
      steps.push_back(step(std::nullopt, "summary"));
    for (std::size_t i = 0; i + 1 < steps.size(); ++i)
      slot.runner.run(steps[i]);
    slot.runner.run(steps.back(), pipeline::Delivery{inbox_id, request.reply_to});
  }

  // The person's time zone and name from users.info, on first sight and once a day after, so
  // schedules and digests use their local time. Never stops the turn: on any failure the stored
  // values stay and the fetch is tried again a little later.
  void refresh_profile(storage::Database& db, const dialogs::Inbound& message) {
    if (message.user.empty())
      return;
    const auto key = message.workspace + "/" + message.user;
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(profile_mutex);
      if (auto it = profile_due.find(key); it != profile_due.end() && now < it->second)
        return;
      profile_due[key] = now + kProfileFresh;
    }
    try {
      const auto info = api->user_info(message.user);
      storage::People people(db);
      dialogs::Person identity;
      identity.platform = "slack";
      identity.workspace = message.workspace;
      identity.user_ref = message.user;
      identity.display_name = info.display_name;
      if (!info.tz.empty())
        identity.time_zone = info.tz;
      const auto person = people.find_or_create(identity);
      people.update_profile(person.id,
                            info.display_name.empty() ? person.display_name : info.display_name,
                            info.tz.empty() ? person.time_zone : info.tz);
    } catch (const std::exception& error) {
      spdlog::warn("slack: profile of {} not refreshed, keeping the stored one: {}", message.user,
                   error.what());
      std::lock_guard lock(profile_mutex);
      profile_due[key] = now + kProfileRetry;
    }
  }

  // After a failed attempt: the failure is kept on the inbox entry (pending, so a restart
  // retries it too); after the last one the entry is `failed` and the person is told kindly.
  void turn_failed(const slack::SlackRequest& request, dialogs::Id inbox_id,
                   const std::string& error, int attempts, bool final) {
    auto& turn_db = my_slot().db;
    try {
      storage::Inbox(turn_db).record_failure(inbox_id, error, final);
    } catch (const std::exception& nested) {
      spdlog::error("slack: could not record the failure of inbox entry {}: {}", inbox_id,
                    nested.what());
    }
    if (!final) {
      spdlog::info("slack: turn of inbox entry {} failed (attempt {}), retrying: {}", inbox_id,
                   attempts, error);
      metrics.increment(kRetriesMetric, {{"platform", "slack"}});
      return;
    }
    spdlog::warn("slack: gave up on inbox entry {} after {} attempts: {}", inbox_id, attempts,
                 error);
    metrics.increment(kFailuresMetric, {{"platform", "slack"}});
    if (request.kind != slack::SlackRequest::Kind::turn)
      return;  // nothing the person said is lost (a Home tab opening, a notice)
    storage::OutboxItem sorry;
    sorry.address.platform = "slack";
    sorry.address.workspace = request.message.workspace;
    sorry.address.conversation = request.message.user;
    sorry.address.user = request.message.user;
    sorry.message.text = std::string(kTurnLostText);
    try {
      storage::commit_replies(turn_db, std::nullopt, {sorry}, pipeline::system_now());
      loop->notify();
    } catch (const std::exception& nested) {
      spdlog::error("slack: could not queue the apology for inbox entry {}: {}", inbox_id,
                    nested.what());
    }
  }

  // Entries a previous run acknowledged but never finished: their turns run now, each behind
  // its own conversation in arrival order.
  void requeue_pending() {
    std::size_t count = 0;
    for (const auto& entry : storage::Inbox(*inbox_db).pending()) {
      if (entry.message.platform != "slack")
        continue;
      slack::SlackRequest request;
      request.event_key = entry.event_key;
      request.message = entry.message;
      // Recorded with the entry (a slash command's response_url); entries from before that
      // was kept were all answered in the person's DM.
      if (auto recorded = storage::Inbox(*inbox_db).reply_to(entry.id)) {
        request.reply_to = std::move(*recorded);
      } else {
        request.reply_to.platform = "slack";
        request.reply_to.workspace = entry.message.workspace;
        request.reply_to.conversation = entry.message.user;
        request.reply_to.user = entry.message.user;
      }
      // A Home tab opening stores no text and no action; its view is published again.
      const bool says_something = !entry.message.text.empty() || entry.message.action;
      if (says_something)
        request.kind = slack::SlackRequest::Kind::turn;
      else if (request.reply_to.kind == "view_publish")
        request.kind = slack::SlackRequest::Kind::home;
      else
        request.kind = slack::SlackRequest::Kind::notice_only;
      submit(request, entry.id);
      ++count;
    }
    if (count > 0)
      spdlog::info("slack: {} unfinished inbox entries queued again", count);
  }
};

SlackChannel::SlackChannel(const config::Config& config, const dialogs::DialogCatalog& catalog,
                           metrics::Registry& metrics)
    : state_(std::make_unique<State>(config, catalog, metrics)) {
  metrics.define_counter(std::string(kRequestsMetric),
                         "Slack requests by route and outcome (accepted, duplicate, ignored, "
                         "malformed, signature_rejected, help).");
  metrics.define_counter(std::string(kInboundMetric),
                         "Slack inbound events recorded in the inbox (after dedupe), by kind.");
  metrics.define_counter(std::string(kRetriesMetric),
                         "Inbox turns that failed and were tried again after a backoff.");
  metrics.define_counter(std::string(kFailuresMetric),
                         "Inbox turns given up after their last attempt (entry marked failed).");
  pipeline::define_pipeline_metrics(metrics);
}

SlackChannel::~SlackChannel() {
  stop();
}

bool SlackChannel::configured() const {
  return !state_->config.slack_signing_secret.empty() && !state_->config.slack_bot_token.empty();
}

void SlackChannel::start() {
  if (!configured() || state_->started)
    return;
  auto& s = *state_;
  http::ClientOptions options;
  options.ca_file = s.config.ca_file;
  s.client.emplace(options);
  s.api.emplace(*s.client, s.config);
  try {
    const auto identity = s.api->auth_test();
    s.self = slack::OwnIdentity{identity.user_id, identity.bot_id};
    spdlog::info("slack: connected as bot user {} in team {}", identity.user_id, identity.team_id);
  } catch (const std::exception& error) {
    spdlog::warn("slack: auth.test failed ({}); own messages are recognised by bot_id only",
                 error.what());
  }
  s.inbox_db.emplace(storage::Database::open(s.config.db_path));
  s.dispatch_db.emplace(storage::Database::open(s.config.db_path));
  // Bounded: SQLite takes one writer at a time, so more workers only queue on its lock.
  const std::size_t workers = std::clamp<std::size_t>(s.config.threads, 1, 4);
  for (std::size_t i = 0; i < workers; ++i) {
    s.slots.push_back(std::make_unique<State::TurnSlot>(storage::Database::open(s.config.db_path),
                                                        s.catalog, s.config.dialog_idle_days));
    if (s.schedules_changed)
      s.slots.back()->runner.on_commands_committed(s.schedules_changed);
  }
  s.dispatcher.emplace(*s.dispatch_db, pipeline::DispatchSettings{},
                       static_cast<std::uint64_t>(std::random_device{}()), &s.metrics);
  s.dispatcher->add_sender("slack", std::make_shared<slack::SlackSender>(*s.api));
  s.loop.emplace(*s.dispatcher, pipeline::instant_now);
  s.loop->start();
  s.sequencer.emplace(workers);
  s.retries.emplace(*s.sequencer, RetryPolicy{},
                    static_cast<std::uint64_t>(std::random_device{}()));
  s.started = true;
  s.requeue_pending();
}

void SlackChannel::on_schedules_changed(std::function<void()> hook) {
  state_->schedules_changed = std::move(hook);
}

void SlackChannel::add_routes(http::Router& router) {
  auto& s = *state_;
  slack::SlackRouteSettings settings;
  if (configured()) {
    settings.signing_secret = s.config.slack_signing_secret;
    settings.bot_token = s.config.slack_bot_token;
    settings.self = s.self;
  }
  auto* state = state_.get();
  slack::add_slack_routes(
      router, settings,
      [state](const slack::SlackRequest& request) { return state->accept(request); },
      pipeline::system_now,
      [state](const std::string& route, const std::string& outcome) {
        state->metrics.increment(kRequestsMetric, {{"route", route}, {"outcome", outcome}});
      });
}

void SlackChannel::stop() {
  auto& s = *state_;
  if (!s.started)
    return;
  s.retries->stop();    // waiting retries are dropped; their inbox entries stay pending
  s.sequencer->stop();  // queued turns finish, so their replies are in the outbox
  s.loop->stop();
  s.started = false;
}

}  // namespace okr::bot::app
