#pragma once
// Slack Socket Mode: Slack's events, slash commands and interactivity arrive over a WebSocket
// the coach opens itself, so no public URL is needed. The client asks `apps.connections.open`
// (POST to SLACK_API_URL with the app-level `xapp-` token) for a fresh URL, connects
// (socket_link.hpp), and feeds every envelope's payload through the same SlackInbound as the
// HTTP routes, acknowledging it by envelope_id once `accept` has stored it (a slash command's or
// a modal's answer rides in the ack).
//
// Keeping the connection: on `disconnect` (warning, refresh_requested, link_disabled) a fresh
// connection is opened while the old one still serves, and the old one is closed only after the
// new one said hello: no gap, and a payload Slack delivers on both is stored once (the inbox
// dedupes on its key). A dropped connection is replaced at once (with a little jitter), then
// with growing, jittered backoff while connecting keeps failing. Logs never carry the token or
// the connection URL (its query holds a ticket).
#include <chrono>
#include <memory>
#include <string>

namespace okr::bot::metrics {
class Registry;
}

namespace okr::bot::slack {

class SlackInbound;

struct SocketModeSettings {
  std::string api_url;    // SLACK_API_URL, ending in '/'
  std::string app_token;  // SLACK_APP_TOKEN (xapp-...)
  std::string ca_file;    // OKR_COACH_CA_FILE, for both the Web API call and wss://
  std::chrono::milliseconds first_retry{1'000};  // backoff after the first failed connect
  std::chrono::milliseconds max_retry{30'000};
  std::chrono::milliseconds hello_timeout{15'000};  // a connection that says nothing is dropped
  std::chrono::milliseconds idle_timeout{30'000};   // ping, then give up (socket_link.hpp)
};

// The metrics the client updates; defined by define_socket_mode_metrics.
inline constexpr std::string_view kSocketConnectionsMetric =
    "okr_coach_slack_socket_connections_total";
inline constexpr std::string_view kSocketReconnectsMetric = "okr_coach_slack_socket_reconnects_total";
inline constexpr std::string_view kSocketEnvelopesMetric = "okr_coach_slack_socket_envelopes_total";
inline constexpr std::string_view kSocketConnectedMetric = "okr_coach_slack_socket_connected";
void define_socket_mode_metrics(metrics::Registry& metrics);

class SocketMode {
 public:
  // `inbound` and `metrics` must outlive the client. Nothing happens before start().
  SocketMode(SocketModeSettings settings, const SlackInbound& inbound, metrics::Registry& metrics);
  ~SocketMode();  // stop()
  SocketMode(const SocketMode&) = delete;
  SocketMode& operator=(const SocketMode&) = delete;

  // Starts the client's thread; connecting happens there (failures are logged and retried).
  void start();
  // Closes every connection and waits for the threads. Envelopes not yet acknowledged are
  // delivered again by Slack. Idempotent.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace okr::bot::slack
