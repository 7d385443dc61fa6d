#pragma once
// What the outbox dispatcher needs from a channel: send one stored message and say how it went.
// One sender per platform (Slack's renders Block Kit and calls the Web API). The dispatcher owns
// retries, backoff, pacing and dead-lettering; a sender only classifies the outcome of one call.
#include <chrono>
#include <string>

#include "storage/outbox.hpp"

namespace okr::bot::pipeline {

struct SendOutcome {
  enum class Kind {
    sent,         // the platform accepted it
    retry_after,  // rate limited (HTTP 429): wait `retry_after` before anything in `scope`
    retryable,    // 5xx, timeout, connection trouble: back off and try again
    permanent,    // will never work (channel_not_found, invalid_auth, bad payload): dead-letter
  };
  Kind kind = Kind::sent;
  std::chrono::seconds retry_after{0};
  std::string scope;   // rate-limit scope of a retry_after (e.g. "T123:chat.postMessage");
                       // empty = the message's rate_scope()
  std::string detail;  // why, for last_error and the log; never tokens, never URLs with secrets
  std::string ref;     // the platform's id of the sent message (Slack ts), when there is one

  static SendOutcome delivered(std::string ref = {}) {
    return {Kind::sent, {}, {}, {}, std::move(ref)};
  }
  static SendOutcome rate_limited(std::chrono::seconds wait, std::string scope = {}) {
    return {Kind::retry_after, wait, std::move(scope), "rate limited", {}};
  }
  static SendOutcome retry(std::string detail) {
    return {Kind::retryable, {}, {}, std::move(detail), {}};
  }
  static SendOutcome failed(std::string detail) {
    return {Kind::permanent, {}, {}, std::move(detail), {}};
  }
};

class MessageSender {
 public:
  virtual ~MessageSender() = default;

  // Sends one row. `row.idempotency_key` is stable across retries and restarts; pass it on when
  // the platform supports one. `row.attempts` counts this call. Called from the dispatcher's
  // sender pool: several calls (for different conversations) may run at once on different
  // threads, so anything a sender shares between calls (a database connection above all: SQLite
  // handles and their statement caches are one thread's at a time) must be guarded. May block.
  // Must not throw for network or platform errors (classify them); an exception counts as
  // retryable.
  virtual SendOutcome send(const storage::OutboxRow& row) = 0;

  // The rate-limit bucket a row falls in, so that after a 429 the dispatcher holds back only
  // that bucket (Slack: workspace + Web API method). Default: platform:workspace:kind.
  virtual std::string rate_scope(const storage::OutboxRow& row) const {
    return row.address.platform + ":" + row.address.workspace + ":" + row.address.kind;
  }
};

}  // namespace okr::bot::pipeline
