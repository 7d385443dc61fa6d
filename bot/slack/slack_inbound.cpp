#include "bot/slack/slack_inbound.hpp"

#include <future>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "bot/slack/blocks.hpp"
#include "bot/slack/commands.hpp"
#include "bot/slack/edit_modal.hpp"
#include "bot/slack/events.hpp"
#include "bot/slack/interactive.hpp"

namespace okr::bot::slack {
namespace {

using nlohmann::json;

// Home tab buttons carry this question id; a click starts the named dialog as if typed.
constexpr std::string_view kStartAction = "start";
// The draft card's summary question and its edit choice (config/dialogs/draft.json): in Slack
// this opens the edit modal.
constexpr std::string_view kSummaryQuestion = "summary";
constexpr std::string_view kEditChoice = "edit";

SlackAnswer plain_ack() {
  return {};
}

SlackAnswer json_answer(const json& body) {
  SlackAnswer answer;
  answer.json_body = body.dump();
  return answer;
}

SlackAnswer ephemeral(std::string text) {
  return json_answer(json{{"response_type", "ephemeral"}, {"text", std::move(text)}});
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

// What one parsed request comes to: an answer, and the work to store before it is given.
struct Outcome {
  Outcome(SlackAnswer a) : answer(std::move(a)) {}  // NOLINT: an answer alone is an outcome
  Outcome(SlackAnswer a, SlackRequest w) : answer(std::move(a)), work(std::move(w)) {}
  SlackAnswer answer;
  std::optional<SlackRequest> work;
};

// The shared steps around a parsed request: outcome notes and what is handed over.
struct Steps {
  const SlackRouteObserver& observe;
  const char* route;

  void note(const char* outcome) const {
    if (observe)
      observe(route, outcome);
  }

  SlackAnswer malformed(const ParseError& error) const {
    spdlog::warn("slack {}: malformed request: {}", route, error.message);
    note("malformed");
    SlackAnswer answer;
    answer.malformed = true;
    answer.error = error.message;
    return answer;
  }

  // Records the request; a retry of one already recorded is acknowledged the same way.
  Outcome hand_over(SlackRequest request, SlackAnswer acknowledgement) const {
    return Outcome(std::move(acknowledgement), std::move(request));
  }

  // Gives the answer, after the work (if any) was stored. `done` gets a 5xx-shaped answer when
  // storing failed, so Slack delivers the request again.
  void finish(Outcome outcome, const HandOverSlackRequest& hand_over, SlackAnswered done) const {
    if (!outcome.work) {
      done(std::move(outcome.answer));
      return;
    }
    auto stored = [observe = &observe, route = route, answer = std::move(outcome.answer),
                   done = std::move(done)](bool fresh, std::exception_ptr error) mutable {
      const Steps steps{*observe, route};
      if (!error) {
        steps.note(fresh ? "accepted" : "duplicate");
        done(std::move(answer));
        return;
      }
      SlackAnswer refused;
      refused.not_stored = true;
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        refused.error = e.what();
      } catch (...) {
        refused.error = "unknown error";
      }
      spdlog::error("slack {}: request not stored, refused so Slack delivers it again: {}", route,
                    refused.error);
      steps.note("not_stored");
      done(std::move(refused));
    };
    // One callback object, called once: by the hand-over, or here when the hand-over throws
    // before taking the request.
    auto shared = std::make_shared<decltype(stored)>(std::move(stored));
    try {
      hand_over(std::move(*outcome.work),
                [shared](bool fresh, std::exception_ptr error) { (*shared)(fresh, error); });
    } catch (...) {
      (*shared)(false, std::current_exception());
    }
  }
};

Outcome on_event(const Steps& steps, const ParsedEvent& parsed) {
  if (const auto* error = std::get_if<ParseError>(&parsed))
    return steps.malformed(*error);
  if (const auto* verification = std::get_if<UrlVerification>(&parsed))
    return json_answer(json{{"challenge", verification->challenge}});
  if (const auto* ignored = std::get_if<IgnoredEvent>(&parsed)) {
    spdlog::debug("slack events: ignored {}: {}", ignored->envelope.event_id, ignored->reason);
    steps.note("ignored");
    return plain_ack();
  }
  if (const auto* message = std::get_if<DirectMessage>(&parsed)) {
    return steps.hand_over(turn_in_dm(message->envelope.event_id, message->inbound), plain_ack());
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
    return steps.hand_over(std::move(work), plain_ack());
  }
  if (const auto* removed = std::get_if<WorkspaceRemoved>(&parsed)) {
    SlackRequest work;
    work.kind = SlackRequest::Kind::workspace_removed;
    work.event_key = removed->envelope.event_id;
    work.message.platform = "slack";
    work.message.workspace = removed->envelope.team_id;
    work.message.conversation = "workspace:" + removed->envelope.team_id;
    work.reply_to.platform = "slack";
    work.reply_to.workspace = removed->envelope.team_id;
    work.reply_to.kind = "workspace_removed";  // how a restart recognises the entry
    return steps.hand_over(std::move(work), plain_ack());
  }
  const auto& home = std::get<HomeOpened>(parsed);
  if (home.tab != "home") {
    steps.note("ignored");
    return plain_ack();
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
  return steps.hand_over(std::move(work), plain_ack());
}

Outcome on_command(const Steps& steps, const ParsedCommand& parsed,
                       std::string_view fallback_key) {
  if (const auto* error = std::get_if<ParseError>(&parsed))
    return steps.malformed(*error);
  if (std::holds_alternative<SslCheck>(parsed))
    return plain_ack();
  const auto& command = std::get<SlashCommand>(parsed);
  if (command.subcommand == OkrSubcommand::help) {
    steps.note("help");
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
                        ? std::string(fallback_key) + ":" + command.user_id
                        : command.trigger_id);
  auto work = turn_in_dm(key, std::move(inbound));
  const bool answer_here = answers_in_place(command.subcommand) && !command.response_url.empty();
  if (answer_here) {
    // Outside the DM's conversation: a list asked for mid-dialog must not be taken as the
    // answer to the dialog's open question.
    work.message.conversation = "slash:" + command.user_id;
    work.reply_to.kind = "response_url";
    work.reply_to.target = command.response_url;
    return steps.hand_over(std::move(work), ephemeral("One moment, I'm putting it together."));
  }
  return steps.hand_over(
      std::move(work), ephemeral("Let's continue in our direct messages: I've just written to you there."));
}

// A submitted edit modal: checked while Slack waits, so mistakes show under their fields; a
// valid edit closes the modal (empty answer) and reaches the draft dialog as one neutral action.
Outcome on_submission(const Steps& steps, const ViewSubmission& submission) {
  if (submission.callback_id != kEditModalCallback) {
    steps.note("ignored");
    return plain_ack();  // an empty answer closes a view that is not ours
  }
  const auto edited = edited_okr_of(submission);
  if (const auto errors = edit_errors(edited); !errors.empty()) {
    steps.note("invalid_edit");
    return json_answer(json{{"response_action", "errors"}, {"errors", errors}});
  }
  dialogs::Inbound inbound;
  inbound.platform = "slack";
  inbound.workspace = submission.team_id;
  inbound.user = submission.user_id;
  inbound.action = dialogs::Action{std::string(kEditedOkrAction), edited_okr_value(edited)};
  const std::string key = "view:" + submission.user_id + ":" + submission.view_id;
  return steps.hand_over(turn_in_dm(key, std::move(inbound)), plain_ack());
}

Outcome on_interaction(const Steps& steps, const ParsedInteraction& parsed) {
  if (const auto* error = std::get_if<ParseError>(&parsed))
    return steps.malformed(*error);
  if (const auto* submission = std::get_if<ViewSubmission>(&parsed))
    return on_submission(steps, *submission);
  if (std::holds_alternative<IgnoredInteraction>(parsed)) {
    steps.note("ignored");
    return plain_ack();
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
    return steps.hand_over(std::move(work), plain_ack());
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
  return steps.hand_over(std::move(work), plain_ack());
}

}  // namespace

SlackInbound::SlackInbound(OwnIdentity self, HandOverSlackRequest hand_over,
                           SlackRouteObserver observe)
    : self_(std::move(self)), hand_over_(std::move(hand_over)), observe_(std::move(observe)) {}

void SlackInbound::event(std::string_view json_body, SlackAnswered done) const {
  const Steps steps{observe_, "events"};
  steps.finish(on_event(steps, parse_event(json_body, self_)), hand_over_, std::move(done));
}

void SlackInbound::command(std::string_view form_body, std::string_view fallback_key,
                           SlackAnswered done) const {
  const Steps steps{observe_, "commands"};
  steps.finish(on_command(steps, parse_command(form_body), fallback_key), hand_over_,
               std::move(done));
}

void SlackInbound::interaction(std::string_view form_body, SlackAnswered done) const {
  const Steps steps{observe_, "interactive"};
  steps.finish(on_interaction(steps, parse_interaction(form_body)), hand_over_, std::move(done));
}

namespace {

// The one place a caller waits for a hand-over (Socket Mode answers from its own thread).
template <class Start>
SlackAnswer wait_for_answer(Start start) {
  std::promise<SlackAnswer> promise;
  auto answer = promise.get_future();
  start([&promise](SlackAnswer a) { promise.set_value(std::move(a)); });
  auto result = answer.get();
  if (result.not_stored)
    throw SlackRequestNotStored(result.error);
  return result;
}

}  // namespace

SlackAnswer SlackInbound::event(std::string_view json_body) const {
  return wait_for_answer([&](SlackAnswered done) { event(json_body, std::move(done)); });
}

SlackAnswer SlackInbound::command(std::string_view form_body, std::string_view fallback_key) const {
  return wait_for_answer(
      [&](SlackAnswered done) { command(form_body, fallback_key, std::move(done)); });
}

SlackAnswer SlackInbound::interaction(std::string_view form_body) const {
  return wait_for_answer([&](SlackAnswered done) { interaction(form_body, std::move(done)); });
}

HandOverSlackRequest hand_over_at_once(AcceptSlackRequest accept) {
  return [accept = std::move(accept)](SlackRequest request, AcceptDone done) {
    bool fresh = false;
    try {
      fresh = accept(request);
    } catch (...) {
      done(false, std::current_exception());
      return;
    }
    done(fresh, nullptr);
  };
}

std::string dm_conversation(const std::string& user_id) {
  return "dm:" + user_id;
}

}  // namespace okr::bot::slack
