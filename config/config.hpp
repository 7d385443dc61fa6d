#pragma once
// The one configuration struct of OKR Coach. Loading (defaults < JSON file < environment <
// command-line flags) and validation live in config/load.hpp; this header is plain data so that
// anything may include it cheaply.
#include <chrono>
#include <cstdint>
#include <string>

namespace okr::config {

enum class LogLevel { debug, info, warn, error };
enum class LogFormat { text, json };

// Limits of the HTTP listener. Each has a clear answer when exceeded (see bot/http).
struct HttpLimits {
  std::size_t max_body_bytes = 1024 * 1024;        // larger body -> 413, not read
  std::size_t max_header_bytes = 16 * 1024;        // larger header block -> 431
  std::chrono::milliseconds read_timeout{10'000};  // no complete request in time -> 408
  std::chrono::milliseconds idle_timeout{60'000};  // idle keep-alive connection closed
  std::size_t max_connections = 4096;              // more -> 503 and close
  std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests on SIGTERM
};

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;  // 0 = any free port
  std::string db_path = "./data/okr-coach.db";
  LogLevel log_level = LogLevel::info;
  LogFormat log_format = LogFormat::text;
  unsigned threads = 0;  // 0 until loaded; load() resolves it to the number of cores
  HttpLimits http;

  // Coaching (issue 3 and later).
  std::string dialogs_dir = "config/dialogs";
  unsigned dialog_idle_days = 7;

  // Scheduling (issue 5): how late a missed occurrence may still be sent after downtime.
  std::chrono::minutes max_catch_up{12 * 60};  // OKR_COACH_MAX_CATCH_UP_MINUTES

  // Outbound messages (issue 9): platform calls the outbox dispatcher makes at once, each for a
  // different conversation. A call mostly waits on the network, so a few overlap well; on a
  // small box many more only add threads competing with the turns for the cores.
  unsigned outbox_senders = 4;  // OKR_COACH_OUTBOX_SENDERS

  // Acknowledged events waiting for a turn worker, held in memory (about 1 KB each); beyond
  // this many they wait in the inbox on disk only and are read back in order as the workers
  // catch up, so a long burst cannot grow memory without bound.
  unsigned queued_turns = 10000;  // OKR_COACH_QUEUED_TURNS

  // Slack (issue 4). Secrets: never logged, redacted as "***" by check-config.
  std::string slack_signing_secret;  // SLACK_SIGNING_SECRET
  std::string slack_bot_token;       // SLACK_BOT_TOKEN
  std::string slack_api_url = "https://slack.com/api/";  // SLACK_API_URL
  // Socket Mode (issue 11): an app-level token (xapp-...) makes the bot receive events over a
  // WebSocket instead of inbound HTTP.
  std::string slack_app_token;  // SLACK_APP_TOKEN
  // OAuth v2 installation for many workspaces (issue 11).
  std::string slack_client_id;      // SLACK_CLIENT_ID
  std::string slack_client_secret;  // SLACK_CLIENT_SECRET
  std::string slack_redirect_url;   // SLACK_REDIRECT_URL

  // Microsoft Teams (issue 6). Enabled when app id and password are set; the password is a
  // secret. Both URLs are overridable so tests point them at fakes.
  std::string teams_app_id;        // TEAMS_APP_ID
  std::string teams_app_password;  // TEAMS_APP_PASSWORD
  std::string teams_tenant_id;     // TEAMS_TENANT_ID: empty = multi-tenant registration
  std::string teams_openid_url =   // TEAMS_OPENID_URL
      "https://login.botframework.com/v1/.well-known/openidconfiguration";
  std::string teams_token_url;  // TEAMS_TOKEN_URL: empty = teams_token_endpoint() derives it

  // Web channel (issue 7): the one local person of the page, and the token the page needs when
  // serve listens on a non-loopback address (a secret: never logged).
  std::string web_user = "you";  // OKR_COACH_WEB_USER / --web-user
  std::string web_token;         // OKR_COACH_WEB_TOKEN

  // Outgoing HTTPS: PEM file of trusted CAs; empty = the system store (OKR_COACH_CA_FILE).
  std::string ca_file;

  // Native TLS on the listener (issue 10): both set = serve HTTPS; both empty = plain HTTP.
  std::string tls_cert_file;  // OKR_COACH_TLS_CERT (PEM chain)
  std::string tls_key_file;   // OKR_COACH_TLS_KEY (PEM private key)

  // Key that encrypts tokens stored in the database (issue 11): base64 of 32 bytes. A secret.
  std::string secret_key;  // OKR_COACH_SECRET_KEY
};

// The OAuth endpoint for outbound Teams tokens: TEAMS_TOKEN_URL when set, else the tenant's own
// endpoint for a single-tenant app (asking the botframework.com tenant fails there with
// AADSTS700016), else the Bot Framework's.
inline std::string teams_token_endpoint(const Config& config) {
  if (!config.teams_token_url.empty()) {
    return config.teams_token_url;
  }
  const std::string tenant =
      config.teams_tenant_id.empty() ? std::string("botframework.com") : config.teams_tenant_id;
  return "https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/token";
}

}  // namespace okr::config
