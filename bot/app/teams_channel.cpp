#include "bot/app/teams_channel.hpp"

#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include <spdlog/spdlog.h>

#include "bot/app/channel_runtime.hpp"
#include "bot/http/client.hpp"
#include "bot/http/router.hpp"
#include "bot/metrics/registry.hpp"
#include "bot/pipeline/clock.hpp"
#include "bot/teams/activity.hpp"
#include "bot/teams/adaptive_card.hpp"
#include "bot/teams/bot_framework_auth.hpp"
#include "bot/teams/client_credentials.hpp"
#include "bot/teams/connector.hpp"
#include "bot/teams/inbound_auth.hpp"
#include "bot/teams/teams_route.hpp"
#include "bot/teams/teams_sender.hpp"
#include "bot/teams/token_source.hpp"
#include "config/config.hpp"
#include "storage/conversation_refs.hpp"
#include "storage/database.hpp"
#include "storage/inbox.hpp"

namespace okr::bot::app {
namespace {

constexpr std::string_view kRequestsMetric = "okr_coach_teams_requests_total";

constexpr std::string_view kGreeting =
    "Hi, I'm your OKR coach. I ask questions that help you set, follow and learn from your own "
    "goals. Say draft to shape an objective, checkin to update your key results, reflect to look "
    "back on the week, or help to see everything we can do together.";

storage::OutboxAddress address_of(const dialogs::Inbound& message) {
  storage::OutboxAddress address;
  address.platform = "teams";
  address.workspace = message.workspace;
  address.conversation = message.conversation;
  address.user = message.user;
  return address;
}

storage::ConversationRef reference_of(const teams::TeamsActivity& activity) {
  storage::ConversationRef ref;
  ref.tenant_id = activity.tenant_id;
  ref.conversation_id = activity.message.conversation;
  ref.conversation_type = activity.conversation_type;
  ref.service_url = activity.service_url;
  ref.channel_id = activity.channel_id.empty() ? "msteams" : activity.channel_id;
  ref.bot_id = activity.bot_id;
  ref.user_id = activity.message.user;
  ref.user_name = activity.user_name;
  ref.aad_object_id = activity.aad_object_id;
  ref.locale = activity.locale;
  ref.time_zone = activity.time_zone;
  ref.last_activity_id = activity.id;
  ref.updated_at = pipeline::system_now();
  return ref;
}

}  // namespace

struct TeamsChannel::State {
  const config::Config& config;
  metrics::Registry& metrics;
  ChannelRuntime runtime;
  std::unique_ptr<teams::InboundAuthenticator> authenticator;
  std::unique_ptr<teams::TokenSource> tokens;
  std::optional<http::HttpClient> client;
  std::optional<teams::Connector> connector;
  std::optional<storage::Database> refs_db;  // network threads, one at a time
  std::mutex refs_mutex;
  std::optional<storage::Database> sender_db;  // the dispatcher's thread only
  storage::OpenOptions connections;
  bool started = false;

  State(const config::Config& c, const dialogs::DialogCatalog& catalog, metrics::Registry& m,
        const storage::OpenOptions& o)
      : config(c), metrics(m), runtime("teams", c, catalog, m, hooks(), o), connections(o) {}

  static ChannelHooks hooks() {
    ChannelHooks hooks;
    hooks.resume = [](const storage::InboxEntry& entry, std::optional<storage::OutboxAddress>) {
      InboundWork work;
      work.event_key = entry.event_key;
      work.message = entry.message;
      work.reply_to = address_of(entry.message);
      work.run_turn = !entry.message.text.empty() || entry.message.action.has_value();
      return work;
    };
    hooks.apology_to = [](const InboundWork& work) -> std::optional<storage::OutboxAddress> {
      return address_of(work.message);
    };
    return hooks;
  }

  // On a network thread: the reference is kept (or forgotten) first, so even a turn that fails
  // leaves the coach able to write back; then the runtime records and queues the work.
  bool accept(const teams::TeamsActivity& activity) {
    InboundWork work;
    work.event_key = activity.id;
    work.message = activity.message;
    work.reply_to = address_of(activity.message);
    bool greet = false;
    {
      std::lock_guard lock(refs_mutex);
      storage::ConversationRefs refs(*refs_db);
      if (activity.kind == teams::TeamsActivity::Kind::bot_removed) {
        refs.forget(activity.tenant_id, activity.message.conversation);
      } else {
        refs.remember(reference_of(activity));
        if (activity.kind == teams::TeamsActivity::Kind::bot_added)
          greet = refs.mark_greeted(activity.tenant_id, activity.message.conversation);
      }
    }
    if (activity.kind == teams::TeamsActivity::Kind::message) {
      work.reply_to.thread = activity.id;
      work.display_name = activity.user_name;
      work.time_zone = activity.time_zone;
      if (activity.message.action && !activity.reply_to_id.empty()) {
        // The clicked card is replaced by one without buttons, so it cannot be answered twice.
        storage::OutboxItem update;
        update.address = address_of(activity.message);
        update.address.kind = "update";
        update.address.target = activity.reply_to_id;
        update.message.text = activity.clicked_label;
        update.platform_payload = teams::answered_card_activity(activity.clicked_label).dump();
        work.immediate.push_back(std::move(update));
      }
    } else {
      work.run_turn = false;
      work.message.text.clear();
      work.message.action.reset();
      if (greet) {
        storage::OutboxItem hello;
        hello.address = address_of(activity.message);
        hello.message.text = std::string(kGreeting);
        work.immediate.push_back(std::move(hello));
      }
    }
    return runtime.accept(std::move(work));
  }
};

TeamsChannel::TeamsChannel(const config::Config& config, const dialogs::DialogCatalog& catalog,
                           metrics::Registry& metrics, const storage::OpenOptions& connections)
    : state_(std::make_unique<State>(config, catalog, metrics, connections)) {
  metrics.define_counter(std::string(kRequestsMetric),
                         "Teams /api/messages requests by outcome (accepted, duplicate, ignored, "
                         "malformed, unauthorized, not_configured).");
}

TeamsChannel::~TeamsChannel() {
  stop();
}

bool TeamsChannel::configured() const {
  return !state_->config.teams_app_id.empty() && !state_->config.teams_app_password.empty();
}

void TeamsChannel::use(std::unique_ptr<teams::InboundAuthenticator> authenticator,
                       std::unique_ptr<teams::TokenSource> tokens) {
  state_->authenticator = std::move(authenticator);
  state_->tokens = std::move(tokens);
}

void TeamsChannel::start() {
  auto& s = *state_;
  if (!configured() || s.started)
    return;
  s.client.emplace(http::client_options(s.config));
  if (!s.authenticator) {
    s.authenticator = std::make_unique<teams::BotFrameworkAuthenticator>(
        *s.client, teams::BotFrameworkAuthSettings::from(s.config), pipeline::system_now);
  }
  if (!s.tokens) {
    s.tokens = std::make_unique<teams::ClientCredentialsTokenSource>(
        *s.client, teams::ClientCredentialsSettings::from(s.config), pipeline::system_now);
  }
  s.connector.emplace(*s.client, *s.tokens);
  s.refs_db.emplace(storage::Database::open(s.config.db_path, s.connections));
  s.sender_db.emplace(storage::Database::open(s.config.db_path, s.connections));
  s.runtime.start(std::make_shared<teams::TeamsSender>(*s.connector, *s.sender_db,
                                                       s.config.teams_app_id));
  s.started = true;
  spdlog::info("teams: /api/messages ready for app {}{}", s.config.teams_app_id,
               s.config.teams_tenant_id.empty() ? "" : " (single-tenant)");
}

void TeamsChannel::on_schedules_changed(std::function<void()> hook) {
  state_->runtime.on_schedules_changed(std::move(hook));
}

void TeamsChannel::add_routes(http::Router& router) {
  auto* state = state_.get();
  teams::add_teams_route(
      router, state->started ? state->authenticator.get() : nullptr,
      [state](const teams::TeamsActivity& activity) { return state->accept(activity); },
      [state](const std::string& outcome) {
        state->metrics.increment(kRequestsMetric, {{"outcome", outcome}});
      });
}

void TeamsChannel::stop() {
  auto& s = *state_;
  if (!s.started)
    return;
  s.runtime.stop();
  s.started = false;
}

}  // namespace okr::bot::app
