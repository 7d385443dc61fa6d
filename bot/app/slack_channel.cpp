#include "bot/app/slack_channel.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "bot/app/channel_runtime.hpp"
#include "bot/app/slack_team_setup.hpp"
#include "bot/http/client.hpp"
#include "bot/http/router.hpp"
#include "bot/metrics/registry.hpp"
#include "bot/pipeline/clock.hpp"
#include "bot/pipeline/turn_runner.hpp"
#include "bot/slack/edit_modal.hpp"
#include "bot/slack/oauth_routes.hpp"
#include "bot/slack/oauth_tokens.hpp"
#include "bot/slack/slack_routes.hpp"
#include "bot/slack/slack_sender.hpp"
#include "bot/slack/socket_mode.hpp"
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
constexpr std::string_view kInstallsMetric = "okr_coach_slack_installs_total";

// How long a person's users.info profile (time zone, name) is trusted before it is fetched
// again, and how soon a failed fetch is tried again.
constexpr auto kProfileFresh = std::chrono::hours(24);
constexpr auto kProfileRetry = std::chrono::minutes(10);

// What kind of inbound a request is, for the metric (bounded label values).
std::string inbound_kind(const slack::SlackRequest& request) {
  if (request.kind == slack::SlackRequest::Kind::home)
    return "home_opened";
  if (request.kind == slack::SlackRequest::Kind::workspace_removed)
    return "workspace_removed";
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

// The request's kind as the runtime carries it (InboundWork::kind) to the run hook.
std::string kind_name(slack::SlackRequest::Kind kind) {
  switch (kind) {
    case slack::SlackRequest::Kind::home:
      return "home";
    case slack::SlackRequest::Kind::notice_only:
      return "notice_only";
    case slack::SlackRequest::Kind::edit_modal:
      return "edit_modal";
    case slack::SlackRequest::Kind::workspace_removed:
      return "workspace_removed";
    case slack::SlackRequest::Kind::turn:
      break;
  }
  return "turn";
}

// The person's DM, where a turn's replies go when nothing else was recorded.
storage::OutboxAddress direct_message(const dialogs::Inbound& message) {
  storage::OutboxAddress address;
  address.platform = "slack";
  address.workspace = message.workspace;
  address.conversation = message.user;
  address.user = message.user;
  return address;
}

}  // namespace

// Slack's own part: the routes, the Web API client, the Home tab, the edit modal and the
// users.info profile refresh. The inbox, the ordered turns with retries, the outbox and the
// restart resume are the shared ChannelRuntime's.
struct SlackChannel::State {
  const config::Config& config;
  const dialogs::DialogCatalog& catalog;
  metrics::Registry& metrics;
  storage::OpenOptions connections;  // how its own connections are opened (serve's checkpointer)
  slack::OwnIdentity self;

  std::optional<http::HttpClient> client;
  std::optional<slack::WebApi> api;
  // Each workspace's bot token: its OAuth installation, else SLACK_BOT_TOKEN.
  std::optional<slack::WorkspaceTokens> tokens;
  ChannelRuntime runtime;
  // Socket Mode (SLACK_APP_TOKEN): envelopes go through the same inbound steps as the routes.
  std::optional<slack::SlackInbound> socket_inbound;
  std::optional<slack::SocketMode> socket_mode;
  bool started = false;
  // When each person's profile was last fetched (or is next due after a failure): in memory,
  // so a restart fetches each person once more, which is cheap.
  std::mutex profile_mutex;
  std::map<std::string, std::chrono::steady_clock::time_point> profile_due;

  State(const config::Config& c, const dialogs::DialogCatalog& d, metrics::Registry& m,
        const storage::OpenOptions& connections)
      : config(c),
        catalog(d),
        metrics(m),
        connections(connections),
        runtime("slack", c, d, m, hooks(), connections) {}

  ChannelHooks hooks() {
    ChannelHooks hooks;
    hooks.run = [this](TurnScope scope, const InboundWork& work, dialogs::Id inbox_id) {
      return run(scope, work, inbox_id);
    };
    hooks.resume = [](const storage::InboxEntry& entry,
                      std::optional<storage::OutboxAddress> recorded) {
      return resume(entry, std::move(recorded));
    };
    hooks.apology_to = [](const InboundWork& work) -> std::optional<storage::OutboxAddress> {
      if (work.kind != "turn")
        return std::nullopt;  // nothing the person said is lost (a Home tab opening, a notice)
      return direct_message(work.message);
    };
    return hooks;
  }

  // On the network thread: durable first, then queued; the answer follows at once.
  void observe(const std::string& route, const std::string& outcome) {
    metrics.increment(kRequestsMetric, {{"route", route}, {"outcome", outcome}});
  }

  // Stores the request through the runtime's group commit and answers `done` once its batch
  // committed, without holding the calling (network) thread.
  void hand_over(slack::SlackRequest request, slack::AcceptDone done) {
    auto metric_kind = inbound_kind(request);  // before the request's fields move out
    InboundWork work;
    work.event_key = std::move(request.event_key);
    work.message = std::move(request.message);
    work.reply_to = std::move(request.reply_to);
    work.immediate = std::move(request.immediate);
    work.run_turn = request.kind != slack::SlackRequest::Kind::notice_only;
    work.kind = kind_name(request.kind);
    work.trigger_id = std::move(request.trigger_id);
    runtime.accept_async(std::move(work), [this, metric_kind = std::move(metric_kind),
                                           done = std::move(done)](bool fresh,
                                                                   std::exception_ptr error) {
      if (!error && fresh)
        metrics.increment(kInboundMetric, {{"kind", metric_kind}});
      done(fresh, error);
    });
  }

  // Entries a previous run acknowledged but never finished.
  static InboundWork resume(const storage::InboxEntry& entry,
                            std::optional<storage::OutboxAddress> recorded) {
    InboundWork work;
    work.event_key = entry.event_key;
    work.message = entry.message;
    // Recorded with the entry (a slash command's response_url); entries from before that was
    // kept were all answered in the person's DM.
    work.reply_to = recorded ? std::move(*recorded) : direct_message(entry.message);
    // A Home tab opening stores no text and no action; its view is published again.
    const bool says_something = !entry.message.text.empty() || entry.message.action;
    if (says_something)
      work.kind = "turn";
    else if (work.reply_to.kind == "workspace_removed")
      work.kind = "workspace_removed";
    else if (work.reply_to.kind == "view_publish")
      work.kind = "home";
    else
      work.kind = "notice_only";
    work.run_turn = work.kind != "notice_only";
    return work;
  }

  // On a runtime worker, after the acknowledgement: what is Slack's own. Returns false for a
  // plain turn, which the runtime runs. Throws when the work could not be saved.
  bool run(TurnScope scope, const InboundWork& work, dialogs::Id inbox_id) {
    if (work.kind == "notice_only")
      return false;
    if (work.kind == "workspace_removed") {
      forget_workspace(scope.db, work, inbox_id);
      return true;
    }
    refresh_profile(scope.db, work.message);
    if (work.kind == "edit_modal" && open_edit_modal(scope.db, work, inbox_id))
      return true;
    const auto& action = work.message.action;
    if (action && action->id == slack::kEditedOkrAction) {
      apply_edit(scope, work, inbox_id);
      return true;
    }
    if (work.kind == "home") {
      const auto now = pipeline::system_now();
      const auto context = scope.runner.load_context(work.message, now);
      storage::OutboxItem item;
      item.address = work.reply_to;
      item.message = dialogs::my_okrs(context);
      storage::commit_replies(scope.db, inbox_id, {item}, now);
      return true;
    }
    // `/okr setup` in a channel, and the answers to its questions in the DM.
    // Each workspace speaks with its own token (Slack OAuth installs).
    auto workspace_api = api_for(work.message.workspace);
    return workspace_api && run_slack_team_setup(scope.db, work, inbox_id, *workspace_api, self);
  }

  // The Web API speaking for `workspace` (its own token); nullopt when the coach has no token
  // there any more.
  std::optional<slack::WebApi> api_for(const std::string& workspace) {
    const auto token = tokens->token_for(workspace);
    if (!token)
      return std::nullopt;
    return api->with_token(*token);
  }

  // app_uninstalled / tokens_revoked: the stored installation (and its sealed token) goes, so
  // the sender dead-letters what is still queued for that workspace instead of retrying.
  void forget_workspace(storage::Database& db, const InboundWork& work, dialogs::Id inbox_id) {
    const auto& team = work.message.workspace;
    if (tokens->remove(team))
      spdlog::info("slack: workspace {} removed the app; its token is forgotten", team);
    else
      spdlog::info("slack: workspace {} removed the app (no stored installation)", team);
    metrics.increment(kInstallsMetric, {{"outcome", "removed"}});
    storage::commit_replies(db, inbox_id, {}, pipeline::system_now());
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
  bool open_edit_modal(storage::Database& db, const InboundWork& request, dialogs::Id inbox_id) {
    const auto current = draft_at_summary(db, request.message);
    if (!current)
      return false;
    try {
      auto workspace_api = api_for(request.message.workspace);
      if (!workspace_api)
        return false;
      workspace_api->open_view(request.trigger_id, slack::edit_modal_view(*current));
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
  void apply_edit(TurnScope slot, const InboundWork& request, dialogs::Id inbox_id) {
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
      auto workspace_api = api_for(message.workspace);
      if (!workspace_api)
        return;  // uninstalled: nothing to ask Slack
      const auto info = workspace_api->user_info(message.user);
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
};

SlackChannel::SlackChannel(const config::Config& config, const dialogs::DialogCatalog& catalog,
                           metrics::Registry& metrics, const storage::OpenOptions& connections)
    : state_(std::make_unique<State>(config, catalog, metrics, connections)) {
  metrics.define_counter(std::string(kRequestsMetric),
                         "Slack requests by route and outcome (accepted, duplicate, ignored, "
                         "malformed, signature_rejected, help).");
  metrics.define_counter(std::string(kInboundMetric),
                         "Slack inbound events recorded in the inbox (after dedupe), by kind.");
  metrics.define_counter(std::string(kInstallsMetric),
                         "Slack OAuth installs by outcome (redirected, installed, denied, "
                         "bad_state, exchange_failed, not_configured, no_key, store_failed) and "
                         "workspaces removed (removed).");
}

SlackChannel::~SlackChannel() {
  stop();
}

bool SlackChannel::configured() const {
  const auto& config = state_->config;
  // A bot token for one workspace, or OAuth installs for many (tokens come with each install).
  const bool oauth = !config.slack_client_id.empty() && !config.slack_client_secret.empty();
  return (!config.slack_bot_token.empty() || oauth) &&
         (!config.slack_signing_secret.empty() || !config.slack_app_token.empty());
}

void SlackChannel::start() {
  if (!configured() || state_->started)
    return;
  auto& s = *state_;
  http::ClientOptions options;
  options.ca_file = s.config.ca_file;
  options.max_idle_per_host = idle_connections_per_host(s.config);
  s.client.emplace(options);
  s.api.emplace(*s.client, s.config);
  s.tokens.emplace(s.config, *s.api, pipeline::system_now, s.connections);
  if (!s.config.slack_bot_token.empty()) {
    try {
      const auto identity = s.api->auth_test();
      s.self = slack::OwnIdentity{identity.user_id, identity.bot_id};
      spdlog::info("slack: connected as bot user {} in team {}", identity.user_id,
                   identity.team_id);
    } catch (const std::exception& error) {
      spdlog::warn("slack: auth.test failed ({}); own messages are recognised by bot_id only",
                   error.what());
    }
  }
  auto* tokens = &*s.tokens;
  s.runtime.start(std::make_shared<slack::SlackSender>(
      *s.api, [tokens](const std::string& workspace) { return tokens->token_for(workspace); }));
  s.started = true;
  if (!s.config.slack_app_token.empty()) {
    auto* state = state_.get();
    s.socket_inbound.emplace(
        s.self,
        [state](slack::SlackRequest request, slack::AcceptDone done) {
          state->hand_over(std::move(request), std::move(done));
        },
        [state](const std::string& route, const std::string& outcome) {
          state->observe(route, outcome);
        });
    slack::SocketModeSettings settings;
    settings.api_url = s.config.slack_api_url;
    settings.app_token = s.config.slack_app_token;
    settings.ca_file = s.config.ca_file;
    s.socket_mode.emplace(settings, *s.socket_inbound, s.metrics);
    s.socket_mode->start();
  }
}

void SlackChannel::on_schedules_changed(std::function<void()> hook) {
  state_->runtime.on_schedules_changed(std::move(hook));
}

void SlackChannel::add_routes(http::Router& router) {
  auto& s = *state_;
  slack::SlackRouteSettings settings;
  if (configured()) {
    // Empty with Socket Mode only: the routes then answer 503, Slack comes over the socket.
    settings.signing_secret = s.config.slack_signing_secret;
    // Only its presence is checked: with OAuth installs each workspace brings its own.
    settings.bot_token =
        s.config.slack_bot_token.empty() ? std::string("per-workspace") : s.config.slack_bot_token;
    settings.self = s.self;
  }
  auto* state = state_.get();
  slack::add_slack_routes(
      router, settings,
      [state](slack::SlackRequest request, slack::AcceptDone done) {
        state->hand_over(std::move(request), std::move(done));
      },
      pipeline::system_now,
      [state](const std::string& route, const std::string& outcome) {
        state->observe(route, outcome);
      });
  add_install_routes(router);
}

void SlackChannel::add_install_routes(http::Router& router) {
  auto& s = *state_;
  auto* state = state_.get();
  slack::OAuthRouteSettings settings;
  settings.client = {s.config.slack_client_id, s.config.slack_client_secret,
                     s.config.slack_redirect_url};
  settings.authorize_url = slack::authorize_url_for(s.config.slack_api_url);
  settings.can_store = s.tokens && s.tokens->can_store();
  slack::OAuthHandlers handlers;
  handlers.exchange = [state](const std::string& code) {
    if (!state->api)
      throw std::runtime_error("the Slack channel is not started");
    return slack::exchange_code(*state->api,
                                {state->config.slack_client_id, state->config.slack_client_secret,
                                 state->config.slack_redirect_url},
                                code);
  };
  handlers.store = [state](const slack::GrantedInstallation& granted) {
    if (!state->tokens)
      throw slack::MissingSecretKey();
    state->tokens->install(granted);
  };
  handlers.observe = [state](const std::string& outcome) {
    state->metrics.increment(kInstallsMetric, {{"outcome", outcome}});
  };
  slack::add_oauth_routes(router, std::move(settings), std::move(handlers), pipeline::system_now);
}

void SlackChannel::refresh_team_channels(storage::Database& db, dialogs::TimePoint now) {
  auto& s = *state_;
  if (!s.started || !s.api)
    return;
  auto* state = state_.get();
  refresh_slack_team_channels(
      db, [state](const std::string& workspace) { return state->api_for(workspace); }, s.self,
      now);
}

void SlackChannel::stop() {
  auto& s = *state_;
  if (!s.started)
    return;
  if (s.socket_mode)
    s.socket_mode->stop();  // no new envelopes; unacknowledged ones Slack delivers again
  s.runtime.stop();  // queued turns finish; waiting retries stay pending in the inbox
  s.started = false;
}

}  // namespace okr::bot::app
