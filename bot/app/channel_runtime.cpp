#include "bot/app/channel_runtime.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

#include <spdlog/spdlog.h>

#include "bot/app/group_commit.hpp"
#include "bot/app/slack_turn_retries.hpp"
#include "bot/app/turn_backlog.hpp"
#include "bot/metrics/registry.hpp"
#include "bot/pipeline/clock.hpp"
#include "bot/pipeline/inbox_recovery.hpp"
#include "bot/pipeline/outbox_dispatcher.hpp"
#include "bot/pipeline/sequencer.hpp"
#include "bot/pipeline/thread_role.hpp"
#include "bot/pipeline/turn_runner.hpp"
#include "config/config.hpp"
#include "storage/database.hpp"
#include "storage/inbox.hpp"
#include "storage/inbox_batch.hpp"
#include "storage/people.hpp"
#include "storage/turn_commit.hpp"

namespace okr::bot::app {
namespace {

constexpr std::string_view kRetriesMetric = "okr_inbox_turn_retries_total";
constexpr std::string_view kFailuresMetric = "okr_inbox_turn_failures_total";
constexpr std::string_view kLeftOnDiskMetric = "okr_inbox_turns_left_on_disk_total";

constexpr std::string_view kTurnLostText =
    "Sorry, that one didn't save on my side. Could you send it to me again?";

// One request on its way into the inbox, and what its batch made of it.
struct Arrival {
  InboundWork work;
  dialogs::TimePoint received_at{};
  dialogs::Id inbox_id = 0;
  bool duplicate = false;
  std::exception_ptr error{};  // this arrival alone could not be stored
};

}  // namespace

struct TurnSlot {
  storage::Database db;
  pipeline::TurnRunner runner;
  TurnSlot(storage::Database database, const dialogs::DialogCatalog& catalog, unsigned idle_days)
      : db(std::move(database)),
        runner(db, catalog, pipeline::system_now, pipeline::TurnSettings{idle_days}) {}
};

struct ChannelRuntime::State {
  std::string platform;
  const config::Config& config;
  const dialogs::DialogCatalog& catalog;
  metrics::Registry& metrics;
  ChannelHooks hooks;
  storage::OpenOptions connections;
  std::function<void()> schedules_changed;

  std::optional<storage::Database> inbox_db;  // network threads, one batch writer at a time
  std::optional<GroupCommit<Arrival>> arrivals;
  std::vector<std::unique_ptr<TurnSlot>> slots;
  std::mutex slot_mutex;
  std::map<std::thread::id, std::size_t> slot_of_thread;
  std::optional<storage::Database> dispatch_db;
  std::shared_ptr<pipeline::MessageSender> sender;
  std::optional<pipeline::OutboxDispatcher> dispatcher;
  std::optional<pipeline::DispatchLoop> loop;
  std::optional<pipeline::Sequencer> sequencer;
  std::optional<TurnRetries> retries;
  bool started = false;

  // Which committed entries wait in the turn queue and which on disk (see turn_backlog.hpp).
  std::optional<TurnBacklog> backlog;

  State(std::string p, const config::Config& c, const dialogs::DialogCatalog& d,
        metrics::Registry& m, ChannelHooks h, const storage::OpenOptions& o)
      : platform(std::move(p)), config(c), catalog(d), metrics(m), hooks(std::move(h)),
        connections(o) {}

  TurnSlot& my_slot() {
    std::lock_guard lock(slot_mutex);
    const auto [it, added] =
        slot_of_thread.try_emplace(std::this_thread::get_id(), slot_of_thread.size());
    return *slots[it->second % slots.size()];
  }

  // Group commit of arrivals: concurrent requests share one inbox transaction; each is
  // answered only after the batch holding it committed.
  bool accept(InboundWork work) {
    if (!sequencer)
      throw std::logic_error(platform + " channel used before start()");
    Arrival arrival{std::move(work), pipeline::system_now(), 0, false, nullptr};
    arrivals->write(arrival);
    return settle(arrival);
  }

  void accept_async(InboundWork work, std::function<void(bool, std::exception_ptr)> done) {
    if (!sequencer)
      throw std::logic_error(platform + " channel used before start()");
    auto* arrival = new Arrival{std::move(work), pipeline::system_now(), 0, false, nullptr};
    arrivals->write_async(*arrival, [this, done = std::move(done)](Arrival& a,
                                                                   std::exception_ptr error) {
      std::unique_ptr<Arrival> owned(&a);
      bool fresh = false;
      try {
        if (error)
          std::rethrow_exception(error);
        fresh = settle(a);
      } catch (...) {
        done(false, std::current_exception());
        return;
      }
      done(fresh, nullptr);
    });
  }

  // After the arrival's batch: its own failure or duplicate (the turn was queued by the batch).
  bool settle(const Arrival& arrival) {
    if (arrival.error)
      std::rethrow_exception(arrival.error);
    if (arrival.duplicate) {
      pipeline::count_inbox_duplicate(metrics, platform);
      return false;
    }
    return true;
  }

  // One transaction for the whole batch (on the inbox connection: GroupCommit lets one caller
  // write at a time). Each arrival: the event, where its replies go (for a restart), what is
  // owed at once; in its own savepoint, so one that fails is refused alone. After the commit the
  // new entries' turns are queued in arrival order, or left on disk while the queue is full.
  void write_arrivals(const std::vector<Arrival*>& batch) {
    backlog->batch_writing();
    try {
      storage::InboxBatch transaction(*inbox_db);
      for (auto* a : batch) {
        try {
          transaction.arrival([&] { record(*a); });
        } catch (...) {
          a->error = std::current_exception();
        }
      }
      transaction.commit();
    } catch (...) {
      backlog->batch_failed();
      throw;
    }
    bool owed_at_once = false;
    std::vector<TurnBacklog::Entry> fresh;
    fresh.reserve(batch.size());
    for (auto* a : batch) {
      if (a->error || a->duplicate)
        continue;
      owed_at_once = owed_at_once || !a->work.immediate.empty();
      fresh.emplace_back(std::move(a->work), a->inbox_id);
    }
    const auto handed = backlog->batch_committed(std::move(fresh));
    if (handed.read_back)
      sequencer->submit(platform + " inbox read-back", [this] { read_back(my_slot().db); });
    if (handed.left_on_disk > 0)
      metrics.increment(kLeftOnDiskMetric, {{"platform", platform}},
                        static_cast<double>(handed.left_on_disk));
    if (owed_at_once)
      loop->notify();
  }

  // A turn left the queue (done, or given up): the moment to refill it from disk.
  void turn_finished(storage::Database& db) {
    if (backlog->turn_finished())
      read_back(db);
  }

  // The reader's part: refills the turn queue from the inbox. Returns how many it queued.
  std::size_t read_back(storage::Database& db) {
    try {
      return backlog->read_back([&](dialogs::Id after, std::size_t limit) {
        storage::Inbox inbox(db);
        std::vector<TurnBacklog::Entry> entries;
        for (const auto& entry : inbox.pending_after(after, platform, limit))
          entries.emplace_back(hooks.resume(entry, inbox.reply_to(entry.id)), entry.id);
        return entries;
      });
    } catch (const std::exception& error) {
      spdlog::error("{}: could not read waiting inbox entries back (tried again after the next "
                    "turn or arrival): {}",
                    platform, error.what());
    }
    return 0;
  }

  void record(Arrival& a) {
    auto& work = a.work;
    const auto recorded = storage::Inbox(*inbox_db).record(work.event_key, work.message,
                                                           a.received_at, work.reply_to,
                                                           work.immediate);
    a.inbox_id = recorded.id;
    a.duplicate = recorded.duplicate;
    if (recorded.duplicate || !hooks.on_record)
      return;
    const auto recorded_items = work.immediate.size();
    hooks.on_record(*inbox_db, work);
    storage::Outbox outbox(*inbox_db);
    for (auto i = recorded_items; i < work.immediate.size(); ++i)
      outbox.enqueue(work.immediate[i], a.received_at);
  }

  void submit(InboundWork work, dialogs::Id inbox_id) {
    const auto key = pipeline::conversation_key(work.message);
    // Shared by the attempt and the failure path: one copy of the work, not one each.
    auto shared = std::make_shared<const InboundWork>(std::move(work));
    RetryableTurn turn;
    turn.attempt = [this, shared, inbox_id] {
      run(*shared, inbox_id);
      loop->notify();
      turn_finished(my_slot().db);
    };
    turn.failed = [this, shared, inbox_id](const std::string& error, int attempts, bool final) {
      turn_failed(*shared, inbox_id, error, attempts, final);
      if (final)
        turn_finished(my_slot().db);
    };
    retries->submit(key, std::move(turn));
  }

  // The platform's word on the person's name and time zone, kept before the turn so schedules
  // use their local time.
  void keep_profile(storage::Database& db, const InboundWork& work) {
    if (work.display_name.empty() && work.time_zone.empty())
      return;
    storage::People people(db);
    dialogs::Person identity;
    identity.platform = work.message.platform;
    identity.workspace = work.message.workspace;
    identity.user_ref = work.message.user;
    identity.display_name = work.display_name;
    if (!work.time_zone.empty())
      identity.time_zone = work.time_zone;
    const auto person = people.find_or_create(identity);
    const auto& name = work.display_name.empty() ? person.display_name : work.display_name;
    const auto& zone = work.time_zone.empty() ? person.time_zone : work.time_zone;
    if (name != person.display_name || zone != person.time_zone)
      people.update_profile(person.id, name, zone);
  }

  void run(const InboundWork& work, dialogs::Id inbox_id) {
    TurnSlot& slot = my_slot();
    if (!work.message.user.empty())
      keep_profile(slot.db, work);
    if (hooks.run && hooks.run(TurnScope{slot.db, slot.runner}, work, inbox_id))
      return;
    if (work.run_turn)
      slot.runner.run(work.message, pipeline::Delivery{inbox_id, work.reply_to});
    else
      storage::commit_replies(slot.db, inbox_id, {}, pipeline::system_now());
  }

  void turn_failed(const InboundWork& work, dialogs::Id inbox_id, const std::string& error,
                   int attempts, bool final) {
    auto& db = my_slot().db;
    try {
      storage::Inbox(db).record_failure(inbox_id, error, final);
    } catch (const std::exception& nested) {
      spdlog::error("{}: could not record the failure of inbox entry {}: {}", platform, inbox_id,
                    nested.what());
    }
    if (!final) {
      spdlog::info("{}: turn of inbox entry {} failed (attempt {}), retrying: {}", platform,
                   inbox_id, attempts, error);
      metrics.increment(kRetriesMetric, {{"platform", platform}});
      return;
    }
    spdlog::warn("{}: gave up on inbox entry {} after {} attempts: {}", platform, inbox_id,
                 attempts, error);
    metrics.increment(kFailuresMetric, {{"platform", platform}});
    if (!work.run_turn || !hooks.apology_to)
      return;
    const auto address = hooks.apology_to(work);
    if (!address)
      return;
    storage::OutboxItem sorry;
    sorry.address = *address;
    sorry.message.text = std::string(kTurnLostText);
    try {
      storage::commit_replies(db, std::nullopt, {sorry}, pipeline::system_now());
      loop->notify();
    } catch (const std::exception& nested) {
      spdlog::error("{}: could not queue the apology for inbox entry {}: {}", platform, inbox_id,
                    nested.what());
    }
  }

  // What a previous run acknowledged but never finished is read back like entries left on
  // disk in a burst: oldest first, no more at once than the queue holds.
  void requeue_pending() {
    backlog->recover();
    const auto count = read_back(*inbox_db);
    if (count > 0)
      spdlog::info("{}: {} unfinished inbox entries queued again", platform, count);
  }
};

ChannelRuntime::ChannelRuntime(std::string platform, const config::Config& config,
                               const dialogs::DialogCatalog& catalog, metrics::Registry& metrics,
                               ChannelHooks hooks, const storage::OpenOptions& connections)
    : state_(std::make_unique<State>(std::move(platform), config, catalog, metrics,
                                     std::move(hooks), connections)) {
  metrics.define_counter(std::string(kRetriesMetric),
                         "Inbox turns that failed and were tried again after a backoff.");
  metrics.define_counter(std::string(kFailuresMetric),
                         "Inbox turns given up after their last attempt (entry marked failed).");
  metrics.define_counter(std::string(kLeftOnDiskMetric),
                         "Acknowledged events left in the inbox on disk while the turn queue was "
                         "full; read back in order as the workers catch up.");
  pipeline::define_pipeline_metrics(metrics);
}

ChannelRuntime::~ChannelRuntime() {
  stop();
}

std::size_t turn_workers(const config::Config& config) {
  return std::clamp<std::size_t>(2 * static_cast<std::size_t>(config.threads), 2, 8);
}

std::size_t idle_connections_per_host(const config::Config& config) {
  return turn_workers(config) + std::max<std::size_t>(config.outbox_senders, 1);
}

bool ChannelRuntime::started() const {
  return state_->started;
}

void ChannelRuntime::start(std::shared_ptr<pipeline::MessageSender> sender) {
  auto& s = *state_;
  if (s.started)
    return;
  s.inbox_db.emplace(storage::Database::open(s.config.db_path, s.connections));
  // An acknowledgement that meets a turn's commit waits for that commit, not SQLite's back-off.
  storage::wait_for_writers_promptly(*s.inbox_db);
  s.dispatch_db.emplace(storage::Database::open(s.config.db_path, s.connections));
  s.arrivals.emplace([&s](const std::vector<Arrival*>& batch) { s.write_arrivals(batch); });
  // Acknowledgements wait for it: a network thread's priority, not a background one's.
  s.arrivals->start_writer(
      [] { pipeline::take_thread_role("okr-inbox", pipeline::ThreadRole::network); });
  const std::size_t workers = turn_workers(s.config);
  for (std::size_t i = 0; i < workers; ++i) {
    s.slots.push_back(
        std::make_unique<TurnSlot>(storage::Database::open(s.config.db_path, s.connections),
                                   s.catalog, s.config.dialog_idle_days));
    if (s.schedules_changed)
      s.slots.back()->runner.on_commands_committed(s.schedules_changed);
  }
  s.sender = std::move(sender);
  s.dispatcher.emplace(*s.dispatch_db, pipeline::dispatch_settings(s.config),
                       static_cast<std::uint64_t>(std::random_device{}()), &s.metrics);
  s.dispatcher->add_sender(s.platform, s.sender);
  s.loop.emplace(*s.dispatcher, pipeline::instant_now);
  s.loop->start();
  s.sequencer.emplace(workers);
  s.retries.emplace(*s.sequencer, RetryPolicy{},
                    static_cast<std::uint64_t>(std::random_device{}()));
  // Only a channel that can rebuild a turn from its stored entry may leave entries on disk.
  s.backlog.emplace(s.config.queued_turns, static_cast<bool>(s.hooks.resume),
                    [&s](InboundWork work, dialogs::Id inbox_id) {
                      s.submit(std::move(work), inbox_id);
                    });
  s.started = true;
  s.requeue_pending();
}

void ChannelRuntime::on_schedules_changed(std::function<void()> hook) {
  state_->schedules_changed = std::move(hook);
}

bool ChannelRuntime::accept(InboundWork work) {
  return state_->accept(std::move(work));
}

void ChannelRuntime::accept_async(InboundWork work,
                                  std::function<void(bool fresh, std::exception_ptr error)> done) {
  state_->accept_async(std::move(work), std::move(done));
}

void ChannelRuntime::stop() {
  auto& s = *state_;
  if (!s.started)
    return;
  // What was acknowledged reaches the inbox and the turn queue before the turns are finished.
  s.arrivals->stop_writer();
  // Turns still queued run; what waits on disk stays pending for the next start.
  s.backlog->stop();
  s.retries->stop();
  s.sequencer->stop();
  s.loop->stop();
  s.started = false;
}

}  // namespace okr::bot::app
