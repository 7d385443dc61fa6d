#include "bot/web/web_channel.hpp"

#include <array>
#include <charconv>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include "bot/metrics/registry.hpp"
#include "bot/pipeline/clock.hpp"
#include "bot/pipeline/inbox_recovery.hpp"
#include "bot/pipeline/outbox_dispatcher.hpp"
#include "bot/pipeline/personal_export.hpp"
#include "bot/pipeline/sequencer.hpp"
#include "bot/pipeline/team_digest.hpp"
#include "bot/pipeline/turn_runner.hpp"
#include "bot/pipeline/visible_schedules.hpp"
#include "bot/web/conversation_waiters.hpp"
#include "bot/web/embedded_files.hpp"
#include "bot/web/key_result_history.hpp"
#include "bot/web/okr_board.hpp"
#include "bot/web/static_assets.hpp"
#include "bot/web/time_text.hpp"
#include "bot/web/web_delivery.hpp"
#include "bot/web/web_gate.hpp"
#include "bot/web/web_request.hpp"
#include "bot/web/web_sender.hpp"
#include "config/config.hpp"
#include "dialogs/message_json.hpp"
#include "dialogs/recurrence.hpp"
#include "storage/check_ins.hpp"
#include "storage/database.hpp"
#include "storage/inbox.hpp"
#include "storage/memberships.hpp"
#include "storage/web_inbound.hpp"
#include "storage/web_messages.hpp"

namespace okr::bot::web {
namespace {

constexpr std::size_t kPostBodyLimit = 16 * 1024;
constexpr std::size_t kMessagesPerPoll = 200;
constexpr std::string_view kRequestsMetric = "okr_coach_web_messages_total";
// How often web rows queued elsewhere (the scheduler, `okr-coach tick`) are looked for; a web
// turn's own replies are delivered at once.
constexpr std::chrono::milliseconds kIdleCheck{2000};
// Open long polls at once; a single person's page holds one, a few tabs a few. Beyond this the
// page is told to come back later rather than tying up more connections.
constexpr std::size_t kMaxWaiting = 256;

std::string random_event_key() {
  std::array<unsigned char, 12> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("no random bytes for a web message id");
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "srv-";
  for (unsigned char b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 0x0f];
  }
  return out;
}

nlohmann::json log_entry(const storage::WebMessage& m) {
  return {{"id", m.id},
          {"author", m.author == storage::WebAuthor::person ? "person" : "coach"},
          {"at", iso_utc(m.at)},
          {"message", m.message}};
}

bool is_json(const http::HttpRequest& request) {
  const auto type = request.header("Content-Type");
  return type && (type->substr(0, type->find(';')) == "application/json");
}

}  // namespace

struct WebChannel::State {
  const config::Config& config;
  const dialogs::DialogCatalog& catalog;
  metrics::Registry& metrics;
  WebGate gate;
  StaticAssets assets{embedded_files()};
  std::string user;

  std::optional<storage::Database> api_db;  // network threads, one at a time
  std::mutex api_mutex;
  std::optional<storage::Database> turn_db;  // the sequencer's one worker
  std::optional<pipeline::TurnRunner> runner;
  std::optional<storage::Database> delivery_db;  // the delivery thread
  std::optional<WebSender> sender;
  std::optional<WebDelivery> delivery;
  std::optional<pipeline::Sequencer> sequencer;
  ConversationWaiters waiters{kMaxWaiting};
  bool started = false;
  std::function<void()> schedules_changed;
  storage::OpenOptions connections;

  State(const config::Config& c, const dialogs::DialogCatalog& d, metrics::Registry& m,
        const storage::OpenOptions& o)
      : config(c),
        catalog(d),
        metrics(m),
        gate(is_loopback_host(c.listen_host), c.web_token),
        user(c.web_user.empty() ? "you" : c.web_user),
        connections(o) {}

  dialogs::Inbound inbound() const {
    dialogs::Inbound message;
    message.platform = kPlatform;
    message.workspace = kWorkspace;
    message.user = user;
    message.conversation = user;  // one conversation per web person, like a DM
    return message;
  }

  storage::OutboxAddress reply_to() const {
    storage::OutboxAddress address;
    address.platform = kPlatform;
    address.workspace = kWorkspace;
    address.conversation = user;
    address.user = user;
    return address;
  }

  http::HttpResponse post_message(const http::HttpRequest& request) {
    if (!is_json(request))
      return http::json_error(415, "unsupported_media_type",
                              "Send the message as JSON (Content-Type: application/json).");
    auto parsed = parse_web_post(request.body);
    if (!parsed.post) {
      metrics.increment(kRequestsMetric, {{"outcome", "malformed"}});
      return http::json_error(400, "bad_request", parsed.problem);
    }
    auto message = inbound();
    message.text = parsed.post->text;
    message.action = parsed.post->action;
    const auto event_key = "web:" + (parsed.post->client_id.empty() ? random_event_key()
                                                                   : parsed.post->client_id);
    storage::WebInboundRecord recorded;
    {
      std::lock_guard lock(api_mutex);
      recorded = storage::record_web_inbound(*api_db, event_key, message, parsed.post->shown,
                                             pipeline::system_now());
    }
    if (recorded.duplicate) {
      pipeline::count_inbox_duplicate(metrics, kPlatform);
      metrics.increment(kRequestsMetric, {{"outcome", "duplicate"}});
      return http::json_response(
          200, nlohmann::json{{"accepted", false}, {"duplicate", true}, {"id", recorded.log_id}}.dump());
    }
    metrics.increment(kRequestsMetric, {{"outcome", "accepted"}});
    waiters.notify(user);  // the person's own line is in the log now
    const auto inbox_id = recorded.inbox_id;
    sequencer->submit(pipeline::conversation_key(message),
                      [this, message, inbox_id] { run(message, inbox_id); });
    return http::json_response(
        202, nlohmann::json{{"accepted", true}, {"id", recorded.log_id}}.dump());
  }

  // On the sequencer's worker: the turn, its replies as outbox rows, the inbox entry done.
  void run(const dialogs::Inbound& message, dialogs::Id inbox_id) {
    try {
      runner->run(message, pipeline::Delivery{inbox_id, reply_to()});
    } catch (const std::exception& error) {
      spdlog::error("web turn for inbox entry {} failed: {}", inbox_id, error.what());
      try {
        storage::Inbox(*turn_db).record_failure(inbox_id, error.what(), true);
        dialogs::Outbound sorry;
        sorry.text = "Sorry, I could not save that just now. Please send it again.";
        storage::WebMessages(*turn_db).append(kWorkspace, message.user, storage::WebAuthor::coach,
                                              sorry, "failed:" + std::to_string(inbox_id),
                                              pipeline::system_now());
        waiters.notify(message.user);
      } catch (const std::exception& nested) {
        spdlog::error("web: could not record the failure of inbox entry {}: {}", inbox_id,
                      nested.what());
      }
    }
    delivery->notify();
  }

  // The log after `after`, as GET /web/api/messages answers it; `empty` (when given) tells
  // whether there was nothing.
  http::HttpResponse log_after(dialogs::Id after, bool* empty = nullptr) {
    std::vector<storage::WebMessage> found;
    {
      std::lock_guard lock(api_mutex);
      found = storage::WebMessages(*api_db).after(kWorkspace, user, after, kMessagesPerPoll);
    }
    auto list = nlohmann::json::array();
    for (const auto& m : found)
      list.push_back(log_entry(m));
    if (empty != nullptr)
      *empty = found.empty();
    const auto last = found.empty() ? after : found.back().id;
    // More than one page waiting: the page asks again at once with the new `after`.
    const bool more = found.size() == kMessagesPerPoll;
    auto response = http::json_response(
        200, nlohmann::json{{"messages", std::move(list)}, {"last_id", last}, {"more", more}}.dump());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

  // GET /web/api/messages?after=ID[&wait=SECONDS]: at once when there is something after ID
  // or no wait was asked for; otherwise when the log grows, or with an empty list at the end
  // of the wait.
  void messages_after(http::HttpRequest&& request, http::Respond respond) {
    std::string problem;
    const auto after = parse_after(request.query, problem);
    const auto wait = after ? parse_wait(request.query, problem) : std::nullopt;
    if (!after || !wait) {
      respond(http::json_error(400, "bad_request", problem));
      return;
    }
    // Stamp first: an entry appended after this read wakes the waiter straight away.
    const auto seen = waiters.stamp(user);
    bool empty = true;
    auto now = log_after(*after, &empty);
    if (wait->count() == 0 || !empty) {
      respond(std::move(now));
      return;
    }
    const auto deadline = ConversationWaiters::Clock::now() + *wait;
    const auto id = *after;
    auto answer = [this, id, respond] { respond(log_after(id)); };
    if (!waiters.wait(user, seen, deadline, std::move(answer))) {
      auto busy = http::json_error(503, "too_many_waiting",
                                   "Too many requests are waiting for messages; try again shortly.");
      busy.headers.emplace_back("Retry-After", "5");
      respond(std::move(busy));
    }
  }

  http::HttpResponse okrs(const http::HttpRequest&) {
    const auto now = pipeline::system_now();
    nlohmann::json board;
    {
      std::lock_guard lock(api_mutex);
      const auto scope = load_scope(*api_db, kPlatform, kWorkspace, user, now);
      board = okr_board(*api_db, scope, now);
    }
    auto response = http::json_response(200, board.dump());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

  http::HttpResponse history(const http::HttpRequest& request) {
    const auto text = query_parameter(request.query, "key_result");
    dialogs::Id id = 0;
    if (!text || text->empty() ||
        std::from_chars(text->data(), text->data() + text->size(), id).ptr !=
            text->data() + text->size() ||
        id <= 0)
      return http::json_error(400, "bad_request",
                              "\"key_result\" must be the id of a key result (a whole number).");
    const auto now = pipeline::system_now();
    nlohmann::json body;
    {
      std::lock_guard lock(api_mutex);
      const auto scope = load_scope(*api_db, kPlatform, kWorkspace, user, now);
      const auto kr = visible_key_result(*api_db, scope, id);
      if (!kr)
        return http::json_error(404, "not_found",
                                "No key result with that id is on your board this cycle.");
      // A cycle has about 13 weekly check-ins; a few per week at most is plenty of headroom.
      const auto check_ins = storage::CheckIns(*api_db).history(id, 500);
      body = history_json(*kr, scope.cycle, weekly_points(*kr, scope.cycle, check_ins));
    }
    auto response = http::json_response(200, body.dump());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

  // This week's digest of the person's team, for its managers, coaches and admins only (the
  // rule `/okr digest` follows).
  http::HttpResponse digest(const http::HttpRequest&) {
    const auto now = pipeline::system_now();
    std::optional<nlohmann::json> body;
    {
      std::lock_guard lock(api_mutex);
      const auto scope = load_scope(*api_db, kPlatform, kWorkspace, user, now);
      if (!scope.team)
        return http::json_error(404, "no_team",
                                "You are not part of a team yet, so there is no team digest.");
      const auto roles = storage::Memberships(*api_db).roles(scope.team->id, scope.person.id);
      if (!pipeline::may_read_team_digest(roles))
        return http::json_error(403, "forbidden",
                                "The weekly digest of " + scope.team->name +
                                    " goes to its managers, coaches and admins.");
      body = pipeline::weekly_digest_json(*api_db, scope.team->id, now);
    }
    if (!body)
      return http::json_error(404, "no_team", "Your team could not be found.");
    auto response = http::json_response(200, nlohmann::json{{"digest", *body}}.dump());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

  // The schedules that reach the person, next runs in their own time zone.
  http::HttpResponse schedules(const http::HttpRequest&) {
    const auto now = pipeline::system_now();
    auto list = nlohmann::json::array();
    {
      std::lock_guard lock(api_mutex);
      const auto scope = load_scope(*api_db, kPlatform, kWorkspace, user, now);
      const auto zone =
          dialogs::is_time_zone(scope.person.time_zone) ? scope.person.time_zone : "UTC";
      for (const auto& s : pipeline::visible_schedules(*api_db, scope.person.id)) {
        nlohmann::json item{
            {"id", s.id},
            {"kind", dialogs::schedule_kind_name(s.kind)},
            {"description", pipeline::schedule_kind_words(s.kind) + ", " +
                                dialogs::describe_recurrence(s.recurrence)},
            {"time_zone", s.time_zone},
            {"whole_team", s.person_id == 0},
        };
        if (s.next_due_at) {
          item["next_run_local"] = dialogs::describe_instant(*s.next_due_at, zone);
          item["next_due_at"] = s.next_due_at->time_since_epoch().count();
        }
        list.push_back(std::move(item));
      }
    }
    auto response = http::json_response(200, nlohmann::json{{"schedules", std::move(list)}}.dump());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

  // GET /web/api/export: the person's own data as a file to save, the same document the typed
  // `export` shows in the conversation (docs/data-rights.md).
  http::HttpResponse export_data(const http::HttpRequest&) {
    std::optional<nlohmann::json> document;
    {
      std::lock_guard lock(api_mutex);
      document = pipeline::personal_export(*api_db, kPlatform, kWorkspace, user,
                                           pipeline::system_now());
    }
    if (!document)
      return http::json_error(404, "nothing_stored",
                              "I don't keep anything about you yet, so there is nothing to export.");
    auto response = http::json_response(200, document->dump(2));
    response.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"okr-coach-export.json\"");
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

  void requeue_pending() {
    const auto count =
        pipeline::resume_pending(*api_db, *sequencer, std::string(kPlatform),
                                 [this](const storage::InboxEntry& entry) {
                                   run(entry.message, entry.id);
                                 });
    if (count > 0)
      spdlog::info("web: {} unanswered message(s) queued again", count);
  }
};

WebChannel::WebChannel(const config::Config& config, const dialogs::DialogCatalog& catalog,
                       metrics::Registry& metrics, const storage::OpenOptions& connections)
    : state_(std::make_unique<State>(config, catalog, metrics, connections)) {
  metrics.define_counter(std::string(kRequestsMetric),
                         "Messages the web page sent, by outcome (accepted, duplicate, malformed).");
  pipeline::define_pipeline_metrics(metrics);
}

WebChannel::~WebChannel() {
  stop();
}

void WebChannel::on_schedules_changed(std::function<void()> hook) {
  state_->schedules_changed = std::move(hook);
}

void WebChannel::start() {
  auto& s = *state_;
  if (s.started)
    return;
  s.api_db.emplace(storage::Database::open(s.config.db_path, s.connections));
  s.turn_db.emplace(storage::Database::open(s.config.db_path, s.connections));
  s.runner.emplace(*s.turn_db, s.catalog, pipeline::system_now,
                   pipeline::TurnSettings{s.config.dialog_idle_days});
  if (s.schedules_changed)
    s.runner->on_commands_committed(s.schedules_changed);
  s.delivery_db.emplace(storage::Database::open(s.config.db_path, s.connections));
  // Not the shared OutboxDispatcher: that one holds back rows of platforms it has no sender
  // for, so beside the Slack channel's dispatcher each would delay the other's messages.
  s.sender.emplace(*s.delivery_db, pipeline::system_now,
                   [&s](const std::string& person) { s.waiters.notify(person); });
  s.waiters.start();
  s.delivery.emplace(*s.delivery_db, *s.sender, pipeline::system_now, &s.metrics, kIdleCheck);
  s.delivery->start();
  // One worker: the web channel speaks for one person, whose turns run strictly in order.
  s.sequencer.emplace(1);
  s.started = true;
  s.requeue_pending();
}

http::Handler WebChannel::guarded(http::Handler handler) const {
  const auto* gate = &state_->gate;
  return [gate, handler = std::move(handler)](const http::HttpRequest& request) {
    if (auto refused = gate->refuse(request))
      return *refused;
    return handler(request);
  };
}

void WebChannel::add_routes(http::Router& router) {
  auto* s = state_.get();
  if (!s->started)
    throw std::logic_error("web channel routes added before start()");
  router.add("GET", "/", [s](const http::HttpRequest& request) {
    return s->assets.answer("index.html", request);
  });
  router.add("GET", "/assets/{name}", [s](const http::HttpRequest& request) {
    const auto name = request.path_params.find("name");
    return s->assets.answer(name == request.path_params.end() ? "" : name->second, request);
  });
  if (!s->gate.loopback()) {
    router.add("GET", "/web/login",
               [s](const http::HttpRequest& request) { return s->gate.redeem(request); });
  }
  router.add("POST", "/web/api/messages",
             guarded([s](const http::HttpRequest& r) { return s->post_message(r); }),
             kPostBodyLimit);
  router.add_deferred("GET", "/web/api/messages",
                      [s](http::HttpRequest&& request, http::Respond respond) {
                        if (auto refused = s->gate.refuse(request)) {
                          respond(std::move(*refused));
                          return;
                        }
                        s->messages_after(std::move(request), std::move(respond));
                      });
  router.add("GET", "/web/api/okrs", guarded([s](const http::HttpRequest& r) { return s->okrs(r); }));
  router.add("GET", "/web/api/history",
             guarded([s](const http::HttpRequest& r) { return s->history(r); }));
  router.add("GET", "/web/api/digest",
             guarded([s](const http::HttpRequest& r) { return s->digest(r); }));
  router.add("GET", "/web/api/schedules",
             guarded([s](const http::HttpRequest& r) { return s->schedules(r); }));
  router.add("GET", "/web/api/export",
             guarded([s](const http::HttpRequest& r) { return s->export_data(r); }));
}

void WebChannel::announce(const std::string& base_url) {
  auto& s = *state_;
  if (s.gate.loopback()) {
    spdlog::info("web: open {}/ to talk to the coach as \"{}\"", base_url, s.user);
    return;
  }
  spdlog::info("web: the page at {}/ needs {} (send it as a bearer token), or sign in once with "
               "this link: {}/web/login?code={}",
               base_url, kTokenVariable, base_url, s.gate.issue_login_code());
}

void WebChannel::end_waits() {
  state_->waiters.stop();
}

void WebChannel::stop() {
  auto& s = *state_;
  s.waiters.stop();
  if (!s.started)
    return;
  s.sequencer->stop();  // queued turns finish, so their replies are in the outbox
  s.delivery->stop();
  s.started = false;
}

}  // namespace okr::bot::web
