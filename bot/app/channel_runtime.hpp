#pragma once
// The inbound machinery every chat channel shares: a request is recorded in the durable inbox
// (deduplicated on the platform's event id) before it is acknowledged; its turn then runs on a
// sequencer worker behind earlier turns of the same conversation, retried with backoff when it
// fails (TurnRetries); the replies become outbox rows in the turn's transaction and the
// dispatcher sends them through the channel's MessageSender. After a restart, entries that were
// acknowledged but not finished run again. A channel supplies only what is its own: how to
// rebuild a request from a stored entry, where an apology goes, and optional hooks.
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dialogs/domain.hpp"
#include "dialogs/message.hpp"
#include "storage/outbox.hpp"

namespace okr::config {
struct Config;
}
namespace okr::dialogs {
struct DialogCatalog;
}
namespace okr::storage {
class Database;
struct InboxEntry;
struct OpenOptions;
}  // namespace okr::storage
namespace okr::bot::metrics {
class Registry;
}
namespace okr::bot::pipeline {
class MessageSender;
class TurnRunner;
}  // namespace okr::bot::pipeline

namespace okr::bot::app {

// One acknowledged request of a channel, in neutral terms.
struct InboundWork {
  std::string event_key;  // the dedupe key (Slack event_id, Teams activity id)
  dialogs::Inbound message;
  storage::OutboxAddress reply_to;  // where the turn's replies go
  // Sent whether or not a turn runs, written with the inbox entry (a card update, a greeting).
  std::vector<storage::OutboxItem> immediate;
  bool run_turn = true;  // false: nothing to run, the entry is simply marked done
  // The person's profile as the platform tells it with this request; empty = keep the stored.
  std::string display_name;
  std::string time_zone;
  std::string kind;        // free for the channel's own hooks
  std::string trigger_id;  // a short-lived platform handle the run hook may use (a modal trigger)
};

// A worker's own connection and turn runner (SQLite handles are never shared between threads).
struct TurnSlot;
struct TurnScope {
  storage::Database& db;
  pipeline::TurnRunner& runner;
};

struct ChannelHooks {
  // On the network thread, right after a new inbox entry was recorded (not for duplicates), on
  // the inbox connection: e.g. remember a conversation reference, add a greeting to `immediate`.
  std::function<void(storage::Database&, InboundWork&)> on_record;
  // Instead of the plain turn: returns true when it handled the work (and marked the entry
  // done). Runs on a worker; throwing counts as a failed attempt.
  std::function<bool(TurnScope, const InboundWork&, dialogs::Id inbox_id)> run;
  // After a restart: the work a pending entry of this platform stands for; `recorded_reply_to`
  // is the address recorded with it (nullopt for entries from before that was kept).
  std::function<InboundWork(const storage::InboxEntry&,
                            std::optional<storage::OutboxAddress> recorded_reply_to)>
      resume;
  // Where the "please send that again" note goes after the last failed attempt; nullopt = none.
  std::function<std::optional<storage::OutboxAddress>(const InboundWork&)> apology_to;
};

// How many turns run at once (each on its own thread and database connection). Turns also wait
// on the network (a person's first turn fetches their Slack profile), so twice the configured
// threads keeps the cores busy while some wait; bounded because SQLite takes one writer at a
// time, so beyond that more workers only queue on its lock.
std::size_t turn_workers(const config::Config& config);

// How many idle connections an HTTP client of a channel keeps per host: one for every thread
// that may call out at once (the outbox senders and the turn workers), so busy periods reuse
// connections instead of opening and closing them.
std::size_t idle_connections_per_host(const config::Config& config);

class ChannelRuntime {
 public:
  // `config`, `catalog` and `metrics` must outlive the runtime. `platform` is the neutral
  // platform name ("teams") used for inbox entries, outbox rows and metric labels. Its
  // connections are opened with `connections` (serve's leave WAL checkpoints to its
  // checkpointer, which then must outlive the runtime).
  ChannelRuntime(std::string platform, const config::Config& config,
                 const dialogs::DialogCatalog& catalog, metrics::Registry& metrics,
                 ChannelHooks hooks, const storage::OpenOptions& connections);
  ~ChannelRuntime();  // stop()
  ChannelRuntime(const ChannelRuntime&) = delete;
  ChannelRuntime& operator=(const ChannelRuntime&) = delete;

  // Opens its connections, starts the dispatcher with `sender` and the workers, and queues the
  // pending inbox entries of this platform again. Throws when the database cannot be opened.
  void start(std::shared_ptr<pipeline::MessageSender> sender);
  // Before start(): called after a turn committed an office command (a schedule may have been
  // created, changed or removed), so serve's scheduler looks again at once.
  void on_schedules_changed(std::function<void()> hook);
  // On a network thread: records `work` durably and queues its turn. Returns false for a
  // duplicate event (acknowledge, do nothing). Throws when it could not be stored (answer 5xx
  // so the platform delivers it again).
  // Concurrent calls share one inbox transaction (group commit); each returns only after the
  // batch holding its request committed.
  bool accept(InboundWork work);
  // The same without holding the calling thread (for a route that answers later): `done` runs
  // once on whichever thread committed the batch, with `fresh` (false: a duplicate) or the
  // error that kept the request from being stored (answer 5xx then).
  void accept_async(InboundWork work, std::function<void(bool fresh, std::exception_ptr error)> done);
  // Finishes queued turns and stops the dispatcher; waiting retries stay pending. Idempotent.
  void stop();
  bool started() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace okr::bot::app
