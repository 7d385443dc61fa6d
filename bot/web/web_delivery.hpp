#pragma once
// Delivers the outbox rows of platform "web" (turn replies and scheduler nudges for web people)
// through the WebSender into the conversation log, on its own thread and connection. Only "web"
// rows are touched, so it runs beside the Slack channel's dispatcher without either holding back
// the other's messages. Woken by notify() after a web turn; otherwise it looks every
// `idle_check` for rows another process or thread (the scheduler, `okr-coach tick`) queued.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

#include "bot/pipeline/clock.hpp"
#include "bot/pipeline/message_sender.hpp"

namespace okr::storage {
class Database;
}
namespace okr::bot::metrics {
class Registry;
}

namespace okr::bot::web {

class WebDelivery {
 public:
  // `db` is this delivery's own connection; `metrics` may be null.
  WebDelivery(storage::Database& db, pipeline::MessageSender& sender, pipeline::Clock clock,
              metrics::Registry* metrics, std::chrono::milliseconds idle_check);
  ~WebDelivery();  // stop()
  WebDelivery(const WebDelivery&) = delete;
  WebDelivery& operator=(const WebDelivery&) = delete;

  // Delivers every web row ready now; returns how many were delivered. Tests call it directly.
  std::size_t run_once();

  void start();   // requeues rows a crash left mid-delivery, then loops on its own thread; at
                  // least one pass runs even if stop() follows at once
  void notify();  // new web rows were committed
  void stop();    // one last pass (rows committed until now), then joins; idempotent

 private:
  void loop();

  storage::Database& db_;
  pipeline::MessageSender& sender_;
  pipeline::Clock clock_;
  metrics::Registry* metrics_;
  std::chrono::milliseconds idle_check_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace okr::bot::web
