#include "bot/slack/slack_routes.hpp"

#include <memory>
#include <utility>
#include <variant>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "bot/http/router.hpp"
#include "bot/slack/blocks.hpp"
#include "bot/slack/commands.hpp"
#include "bot/slack/edit_modal.hpp"
#include "bot/slack/events.hpp"
#include "bot/slack/interactive.hpp"
#include "bot/slack/signature.hpp"

namespace okr::bot::slack {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using nlohmann::json;

// Home tab buttons carry this question id; a click starts the named dialog as if typed.
constexpr std::string_view kStartAction = "start";
// The draft card's summary question and its edit choice (config/dialogs/draft.json): in Slack
// this opens the edit modal.
constexpr std::string_view kSummaryQuestion = "summary";
constexpr std::string_view kEditChoice = "edit";

struct Context {
  SlackRouteSettings settings;
  AcceptSlackRequest accept;
  pipeline::Clock clock;
  SlackRouteObserver observe;

  void note(const std::string& route, const std::string& outcome) const {
    if (observe)
      observe(route, outcome);
  }
};

HttpResponse empty_ok() {
  HttpResponse response;
  response.status = 200;
  return response;
}

HttpResponse not_configured() {
  return http::json_error(503, "slack_not_configured",
                          "Slack is not set up on this server: SLACK_SIGNING_SECRET and "
                          "SLACK_BOT_TOKEN must both be set.");
}

// The first checks every Slack route shares. Returns a response when the request stops here.
std::optional<HttpResponse> reject_unless_signed(const Context& context, const std::string& route,
                                                 const HttpRequest& request) {
  if (context.settings.signing_secret.empty() || context.settings.bot_token.empty()) {
    return not_configured();
  }
  const auto check =
      verify_signature(context.settings.signing_secret, request.header("X-Slack-Request-Timestamp"),
                       request.header("X-Slack-Signature"), request.body, context.clock());
  if (check == SignatureCheck::ok)
    return std::nullopt;
  // Neither the secret nor the signature goes to the log: only why and from where.
  spdlog::warn("slack {}: rejected request from {}: signature {}", route, request.remote_address,
               to_string(check));
  context.note(route, "signature_rejected");
  return http::json_error(401, "invalid_signature", "The request signature could not be verified.");
}

HttpResponse malformed(const Context& context, const std::string& route, const ParseError& error) {
  spdlog::warn("slack {}: malformed request: {}", route, error.message);
  context.note(route, "malformed");
  return http::json_error(400, "malformed_request", error.message);
}

// Records the request; a retry of one already recorded is acknowledged the same way.
HttpResponse hand_over(const Context& context, const std::string& route,
                       const SlackRequest& request, HttpResponse acknowledgement) {
  const bool fresh = context.accept(request);
  context.note(route, fresh ? "accepted" : "duplicate");
  return acknowledgement;
}

storage::OutboxAddress dm_of(const std::string& team, const std::string& user) {
  storage::OutboxAddress address;
  address.platform = "slack";
  address.workspace = team;
  address.conversation = user;  // the sender opens (and caches) the DM channel for this person
  address.kind = "post";
  address.user = user;
  return address;
}

SlackRequest turn_in_dm(std::string event_key, dialogs::Inbound message) {
  SlackRequest request;
  request.kind = SlackRequest::Kind::turn;
  request.event_key = std::move(event_key);
  request.reply_to = dm_of(message.workspace, message.user);
  message.conversation = dm_conversation(message.user);
  request.message = std::move(message);
  return request;
}

HttpResponse handle_event(const Context& context, const HttpRequest& request) {
  const std::string route = "events";
  if (auto rejected = reject_unless_signed(context, route, request))
    return *rejected;
  const auto parsed = parse_event(request.body, context.settings.self);
  if (const auto* error = std::get_if<ParseError>(&parsed))
    return malformed(context, route, *error);
  if (const auto* verification = std::get_if<UrlVerification>(&parsed)) {
    return http::json_response(200, json{{"challenge", verification->challenge}}.dump());
  }
  if (const auto* ignored = std::get_if<IgnoredEvent>(&parsed)) {
    spdlog::debug("slack events: ignored {}: {}", ignored->envelope.event_id, ignored->reason);
    context.note(route, "ignored");
    return empty_ok();
  }
  if (const auto* message = std::get_if<DirectMessage>(&parsed)) {
    return hand_over(context, route, turn_in_dm(message->envelope.event_id, message->inbound),
                     empty_ok());
  }
  if (const auto* mention = std::get_if<AppMention>(&parsed)) {
    auto inbound = mention->inbound;
    if (inbound.text.empty())
      inbound.text = "help";
    auto work = turn_in_dm(mention->envelope.event_id, std::move(inbound));
    storage::OutboxItem pointer;
    pointer.address.platform = "slack";
    pointer.address.workspace = mention->envelope.team_id;
    pointer.address.conversation = mention->channel;
    pointer.address.thread = mention->thread_ts;
    pointer.message.text = "I've sent you a direct message, so we can talk there.";
    work.immediate.push_back(std::move(pointer));
    return hand_over(context, route, work, empty_ok());
  }
  const auto& home = std::get<HomeOpened>(parsed);
  if (home.tab != "home") {
    context.note(route, "ignored");
    return empty_ok();
  }
  SlackRequest work;
  work.kind = SlackRequest::Kind::home;
  work.event_key = home.envelope.event_id;
  work.message.platform = "slack";
  work.message.workspace = home.envelope.team_id;
  work.message.user = home.user;
  work.message.conversation = dm_conversation(home.user);
  work.reply_to = dm_of(home.envelope.team_id, home.user);
  work.reply_to.kind = "view_publish";
  return hand_over(context, route, work, empty_ok());
}

HttpResponse ephemeral(std::string text) {
  return http::json_response(
      200, json{{"response_type", "ephemeral"}, {"text", std::move(text)}}.dump());
}

HttpResponse handle_command(const Context& context, const HttpRequest& request) {
  const std::string route = "commands";
  if (auto rejected = reject_unless_signed(context, route, request))
    return *rejected;
  const auto parsed = parse_command(request.body);
  if (const auto* error = std::get_if<ParseError>(&parsed))
    return malformed(context, route, *error);
  if (std::holds_alternative<SslCheck>(parsed))
    return empty_ok();
  const auto& command = std::get<SlashCommand>(parsed);
  if (command.subcommand == OkrSubcommand::help) {
    context.note(route, "help");
    return ephemeral(okr_help_text());
  }
  dialogs::Inbound inbound;
  inbound.platform = "slack";
  inbound.workspace = command.team_id;
  inbound.user = command.user_id;
  inbound.text = command_text(command);
  // Slack sends no event id with a command; the trigger id is unique per invocation.
  const std::string key =
      "command:" + (command.trigger_id.empty()
                        ? std::string(request.header("X-Slack-Request-Timestamp").value_or("")) +
                              ":" + command.user_id
                        : command.trigger_id);
  auto work = turn_in_dm(key, std::move(inbound));
  const bool answer_here = answers_in_place(command.subcommand) && !command.response_url.empty();
  if (answer_here) {
    // Outside the DM's conversation: a list asked for mid-dialog must not be taken as the
    // answer to the dialog's open question.
    work.message.conversation = "slash:" + command.user_id;
    work.reply_to.kind = "response_url";
    work.reply_to.target = command.response_url;
    return hand_over(context, route, work, ephemeral("One moment, I'm putting it together."));
  }
  return hand_over(
      context, route, work,
      ephemeral("Let's continue in our direct messages: I've just written to you there."));
}

// A submitted edit modal: checked while Slack waits, so mistakes show under their fields; a
// valid edit closes the modal (empty 200) and reaches the draft dialog as one neutral action.
HttpResponse handle_submission(const Context& context, const std::string& route,
                               const ViewSubmission& submission) {
  if (submission.callback_id != kEditModalCallback) {
    context.note(route, "ignored");
    return empty_ok();  // an empty 200 closes a view that is not ours
  }
  const auto edited = edited_okr_of(submission);
  if (const auto errors = edit_errors(edited); !errors.empty()) {
    context.note(route, "invalid_edit");
    return http::json_response(200, json{{"response_action", "errors"}, {"errors", errors}}.dump());
  }
  dialogs::Inbound inbound;
  inbound.platform = "slack";
  inbound.workspace = submission.team_id;
  inbound.user = submission.user_id;
  inbound.action = dialogs::Action{std::string(kEditedOkrAction), edited_okr_value(edited)};
  const std::string key = "view:" + submission.user_id + ":" + submission.view_id;
  return hand_over(context, route, turn_in_dm(key, std::move(inbound)), empty_ok());
}

HttpResponse handle_interaction(const Context& context, const HttpRequest& request) {
  const std::string route = "interactive";
  if (auto rejected = reject_unless_signed(context, route, request))
    return *rejected;
  const auto parsed = parse_interaction(request.body);
  if (const auto* error = std::get_if<ParseError>(&parsed))
    return malformed(context, route, *error);
  if (const auto* submission = std::get_if<ViewSubmission>(&parsed))
    return handle_submission(context, route, *submission);
  if (std::holds_alternative<IgnoredInteraction>(parsed)) {
    context.note(route, "ignored");
    return empty_ok();
  }
  const auto& click = std::get<BlockAction>(parsed);
  auto inbound = click.inbound;
  if (inbound.action && inbound.action->id == kStartAction) {
    inbound.text = inbound.action->value;  // a Home tab button: as if the word were typed
    inbound.action.reset();
  }
  const std::string key = "action:" + click.inbound.user + ":" +
                          (click.action_ts.empty() ? click.trigger_id : click.action_ts);
  auto work = turn_in_dm(key, std::move(inbound));
  if (work.message.action && work.message.action->id == kSummaryQuestion &&
      work.message.action->value == kEditChoice && !click.trigger_id.empty()) {
    // The card keeps its buttons: after a cancelled modal, Confirm is still there to click.
    work.kind = SlackRequest::Kind::edit_modal;
    work.trigger_id = click.trigger_id;
    return hand_over(context, route, work, empty_ok());
  }
  if (!click.message_ts.empty() && !click.channel_id.empty() && !click.message_blocks.empty()) {
    // The clicked message loses its buttons, so a stale choice cannot be clicked again.
    const auto answered =
        render_answered(SlackMessage{click.message_text, click.message_blocks}, click.chosen_label);
    storage::OutboxItem update;
    update.address = work.reply_to;
    update.address.kind = "update";
    update.address.target = click.message_ts;
    update.message.text = answered.text;
    update.platform_payload =
        json{{"channel", click.channel_id}, {"text", answered.text}, {"blocks", answered.blocks}}
            .dump();
    work.immediate.push_back(std::move(update));
  }
  return hand_over(context, route, work, empty_ok());
}

}  // namespace

std::string dm_conversation(const std::string& user_id) {
  return "dm:" + user_id;
}

void add_slack_routes(http::Router& router, SlackRouteSettings settings, AcceptSlackRequest accept,
                      pipeline::Clock clock, SlackRouteObserver observe) {
  auto context = std::make_shared<const Context>(
      Context{std::move(settings), std::move(accept), std::move(clock), std::move(observe)});
  router.add(
      "POST", "/slack/events",
      [context](const HttpRequest& request) { return handle_event(*context, request); },
      kSlackBodyLimit);
  router.add(
      "POST", "/slack/commands",
      [context](const HttpRequest& request) { return handle_command(*context, request); },
      kSlackBodyLimit);
  router.add(
      "POST", "/slack/interactive",
      [context](const HttpRequest& request) { return handle_interaction(*context, request); },
      kSlackBodyLimit);
}

}  // namespace okr::bot::slack
