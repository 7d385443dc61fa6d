#include "config/fields.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace okr::config {

namespace {

using Error = std::optional<std::string>;
constexpr Error ok = std::nullopt;

// A non-secret value shown back in a problem, short and printable, so a typo is easy to spot.
std::string quoted(std::string_view text) {
  constexpr std::size_t kMax = 80;
  std::string out = "\"";
  for (char c : text.substr(0, kMax)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  if (text.size() > kMax) {
    out += "...";
  }
  return out + "\"";
}

Error parse_whole_number(std::string_view text, std::uint64_t min, std::uint64_t max,
                         std::uint64_t& out) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string range = "between " + std::to_string(min) + " and " + std::to_string(max);
  if (text.empty() || ec == std::errc::invalid_argument || end != text.data() + text.size()) {
    return "must be a whole number " + range + ", got " + quoted(text);
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    return "must be " + range + ", got " + quoted(text);
  }
  out = value;
  return ok;
}

// A whole number in [min, max] handed to `store` (which converts it into its field); the field
// is left as it was when the text is not one.
template <class Store>
Error parse_bounded(std::string_view text, std::uint64_t min, std::uint64_t max, Store&& store) {
  std::uint64_t value = 0;
  auto error = parse_whole_number(text, min, max, value);
  if (!error)
    store(value);
  return error;
}

Error parse_listen(std::string_view text, std::string& host, std::uint16_t& port) {
  const std::string example = " (expected host:port, e.g. 127.0.0.1:8080 or [::1]:8080)";
  std::string_view host_part;
  std::string_view port_part;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return "an IPv6 address needs the form [address]:port, got " + quoted(text);
    }
    host_part = text.substr(1, close - 1);
    port_part = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return "has no port, got " + quoted(text) + example;
    }
    host_part = text.substr(0, colon);
    port_part = text.substr(colon + 1);
    if (host_part.find(':') != std::string_view::npos) {
      return "an IPv6 address must be written in brackets, e.g. [::1]:8080, got " + quoted(text);
    }
  }
  if (host_part.empty()) {
    return "has an empty host, got " + quoted(text) + example;
  }
  if (std::any_of(host_part.begin(), host_part.end(),
                  [](char c) { return c == ' ' || c == '/' || c == '[' || c == ']'; })) {
    return "has an invalid host, got " + quoted(text) + example;
  }
  std::uint64_t number = 0;
  if (auto error = parse_whole_number(port_part, 0, 65535, number)) {
    return "port " + *error;
  }
  host = std::string(host_part);
  port = static_cast<std::uint16_t>(number);
  return ok;
}

std::string show_listen(const Config& c) {
  const bool ipv6 = c.listen_host.find(':') != std::string::npos;
  const std::string host = ipv6 ? "[" + c.listen_host + "]" : c.listen_host;
  return host + ":" + std::to_string(c.listen_port);
}

Error parse_non_empty(std::string_view text, std::string& out) {
  if (text.empty()) {
    return std::string("must not be empty");
  }
  out = std::string(text);
  return ok;
}

// A secret pasted with a trailing newline or space fails every signature check later with a
// confusing message; catching it here names the cause. The value itself is never echoed.
Error parse_secret(std::string_view text, std::string& out) {
  const bool bad = std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
  });
  if (bad) {
    return std::string(
        "contains whitespace or a control character (value hidden); check for a stray space or "
        "newline from copy-paste");
  }
  out = std::string(text);
  return ok;
}

Error check_http_url(std::string_view text) {
  const bool http = text.starts_with("http://") || text.starts_with("https://");
  const auto host_start = text.find("://") + 3;
  if (!http || host_start >= text.size() || text[host_start] == '/') {
    return "must be an http:// or https:// URL with a host, got " + quoted(text);
  }
  if (text.find_first_of(" \t\r\n") != std::string_view::npos) {
    return "must not contain whitespace, got " + quoted(text);
  }
  return ok;
}

// A complete endpoint (nothing is appended to it, so no slash is added).
Error parse_endpoint_url(std::string_view text, std::string& out) {
  if (auto error = check_http_url(text)) {
    return error;
  }
  out = std::string(text);
  return ok;
}

// Empty keeps the derived default; anything else must be a URL.
Error parse_optional_endpoint_url(std::string_view text, std::string& out) {
  if (text.empty()) {
    out.clear();
    return ok;
  }
  return parse_endpoint_url(text, out);
}

// An id such as an app id (GUID) or tenant (GUID or domain): printable, no spaces. Empty unsets.
Error parse_identifier(std::string_view text, std::string& out) {
  const bool bad = std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '/' || c == '?' || c == '#';
  });
  if (bad) {
    return "must not contain spaces, control characters or / ? #, got " + quoted(text);
  }
  out = std::string(text);
  return ok;
}

Error parse_url(std::string_view text, std::string& out) {
  if (auto error = check_http_url(text)) {
    return error;
  }
  out = std::string(text);
  // API method names are appended to this base, so it must end with a slash.
  if (!out.ends_with('/')) {
    out += '/';
  }
  return ok;
}

// OKR_COACH_SECRET_KEY: padded base64 of exactly 32 bytes (44 characters, one '='), checked at
// start-up so a truncated paste is found before the first install, not when a token is sealed.
// The value is never echoed.
Error parse_secret_key(std::string_view text, std::string& out) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  constexpr std::string_view kHow = "; generate one with `openssl rand -base64 32`";
  if (text.empty()) {
    out.clear();
    return ok;
  }
  if (text.size() != 44 || text.back() != '=') {
    return "must be base64 of exactly 32 bytes (44 characters ending in '='), got " +
           std::to_string(text.size()) + " characters (value hidden)" + std::string(kHow);
  }
  for (char c : text.substr(0, 43)) {
    if (kAlphabet.find(c) == std::string_view::npos)
      return "is not base64: it holds a character outside A-Z a-z 0-9 + / (value hidden)" +
             std::string(kHow);
  }
  // The last character before '=' carries 4 data bits and 2 bits that must be zero.
  if (kAlphabet.find(text[42]) % 4 != 0)
    return "is not canonical base64 of 32 bytes (value hidden)" + std::string(kHow);
  out = std::string(text);
  return ok;
}

// Empty means "use the system store"; anything else must be a readable file now, not at the
// first HTTPS call hours later.
Error parse_readable_file(std::string_view text, std::string& out) {
  if (!text.empty()) {
    std::error_code ec;
    const std::filesystem::path path{std::string(text)};
    if (!std::filesystem::is_regular_file(path, ec)) {
      return "must be an existing file, got " + quoted(text);
    }
    if (!std::ifstream(path).good()) {
      return "is not readable, got " + quoted(text);
    }
  }
  out = std::string(text);
  return ok;
}

template <typename Enum, std::size_t N>
Error parse_choice(std::string_view text,
                   const std::array<std::pair<std::string_view, Enum>, N>& choices, Enum& out) {
  std::string names;
  for (const auto& [name, value] : choices) {
    if (text == name) {
      out = value;
      return ok;
    }
    names += (names.empty() ? "" : "|") + std::string(name);
  }
  return "must be one of " + names + ", got " + quoted(text);
}

template <typename Enum, std::size_t N>
std::string choice_name(const std::array<std::pair<std::string_view, Enum>, N>& choices,
                        Enum value) {
  for (const auto& [name, v] : choices) {
    if (v == value) {
      return std::string(name);
    }
  }
  return "?";
}

constexpr std::array<std::pair<std::string_view, LogLevel>, 4> kLogLevels{{
    {"debug", LogLevel::debug},
    {"info", LogLevel::info},
    {"warn", LogLevel::warn},
    {"error", LogLevel::error},
}};

constexpr std::array<std::pair<std::string_view, LogFormat>, 2> kLogFormats{{
    {"text", LogFormat::text},
    {"json", LogFormat::json},
}};

constexpr std::uint64_t kMaxThreads = 256;
constexpr std::uint64_t kMaxBodyBytes = 1024ull * 1024 * 1024;  // 1 GiB
constexpr std::uint64_t kMaxReadTimeoutMs = 3'600'000;          // 1 hour
constexpr std::uint64_t kMaxConnections = 1'000'000;
constexpr std::uint64_t kMaxIdleDays = 365;
constexpr std::uint64_t kMaxCatchUpMinutes = 7 * 24 * 60;  // a week: beyond it, a nudge is stale
// Each sender is a thread with its own connection to the platform; past a few dozen the
// platform's rate limits, not our concurrency, decide the pace.
constexpr std::uint64_t kMaxOutboxSenders = 32;
constexpr std::uint64_t kMaxQueuedTurns = 1'000'000;

const std::array<Field, 31> kFields{{
    {"OKR_COACH_LISTEN", "server.listen", "--listen", "HOST:PORT", false,
     "Address and port the HTTP server binds, host:port; port 0 picks any free port; IPv6 as "
     "[::1]:8080.",
     [](std::string_view t, Config& c) { return parse_listen(t, c.listen_host, c.listen_port); },
     [](const Config& c) { return nlohmann::json(show_listen(c)); }},
    {"OKR_COACH_THREADS", "server.threads", "--threads", "N", false,
     "Threads serving HTTP (1..256); dialog turns run on twice as many, 2..8. Default: the "
     "number of CPU cores.",
     [](std::string_view t, Config& c) {
       return parse_bounded(t, 1, kMaxThreads,
                            [&](std::uint64_t n) { c.threads = static_cast<unsigned>(n); });
     },
     [](const Config& c) { return nlohmann::json(c.threads); }},
    {"OKR_COACH_MAX_BODY_BYTES", "server.max_body_bytes", "", "", false,
     "Largest accepted request body in bytes; a larger one is answered 413 without being read.",
     [](std::string_view t, Config& c) {
       return parse_bounded(t, 1, kMaxBodyBytes,
                            [&](std::uint64_t n) { c.http.max_body_bytes = n; });
     },
     [](const Config& c) { return nlohmann::json(c.http.max_body_bytes); }},
    {"OKR_COACH_READ_TIMEOUT_MS", "server.read_timeout_ms", "", "", false,
     "Milliseconds a client has to send a complete request before it is answered 408.",
     [](std::string_view t, Config& c) {
       return parse_bounded(t, 1, kMaxReadTimeoutMs, [&](std::uint64_t n) {
         c.http.read_timeout = std::chrono::milliseconds(n);
       });
     },
     [](const Config& c) { return nlohmann::json(c.http.read_timeout.count()); }},
    {"OKR_COACH_MAX_CONNECTIONS", "server.max_connections", "", "", false,
     "Most concurrent connections; beyond it a new connection is answered 503 and closed.",
     [](std::string_view t, Config& c) {
       return parse_bounded(t, 1, kMaxConnections,
                            [&](std::uint64_t n) { c.http.max_connections = n; });
     },
     [](const Config& c) { return nlohmann::json(c.http.max_connections); }},
    {"OKR_COACH_DB", "database.path", "--db", "PATH", false,
     "SQLite database file; created (with missing parent directories) when absent.",
     [](std::string_view t, Config& c) { return parse_non_empty(t, c.db_path); },
     [](const Config& c) { return nlohmann::json(c.db_path); }},
    {"OKR_COACH_LOG_LEVEL", "log.level", "--log-level", "LEVEL", false,
     "Lowest level logged: debug|info|warn|error.",
     [](std::string_view t, Config& c) { return parse_choice(t, kLogLevels, c.log_level); },
     [](const Config& c) { return nlohmann::json(choice_name(kLogLevels, c.log_level)); }},
    {"OKR_COACH_LOG_FORMAT", "log.format", "--log-format", "FORMAT", false,
     "Log line format on stderr: text (for people) or json (one object per line).",
     [](std::string_view t, Config& c) { return parse_choice(t, kLogFormats, c.log_format); },
     [](const Config& c) { return nlohmann::json(choice_name(kLogFormats, c.log_format)); }},
    {"OKR_COACH_DIALOGS_DIR", "dialogs.dir", "", "", false,
     "Directory holding the dialog definitions (*.json).",
     [](std::string_view t, Config& c) { return parse_non_empty(t, c.dialogs_dir); },
     [](const Config& c) { return nlohmann::json(c.dialogs_dir); }},
    {"OKR_COACH_DIALOG_IDLE_DAYS", "dialogs.idle_days", "", "", false,
     "Days without an answer after which an open dialog is closed (1..365).",
     [](std::string_view t, Config& c) {
       return parse_bounded(t, 1, kMaxIdleDays, [&](std::uint64_t n) {
         c.dialog_idle_days = static_cast<unsigned>(n);
       });
     },
     [](const Config& c) { return nlohmann::json(c.dialog_idle_days); }},
    {"OKR_COACH_MAX_CATCH_UP_MINUTES", "scheduler.max_catch_up_minutes", "", "", false,
     "After downtime, a scheduled message at most this many minutes late is still sent (once); "
     "an older one is skipped and logged (0..10080).",
     [](std::string_view t, Config& c) {
       return parse_bounded(t, 0, kMaxCatchUpMinutes,
                            [&](std::uint64_t n) { c.max_catch_up = std::chrono::minutes(n); });
     },
     [](const Config& c) { return nlohmann::json(c.max_catch_up.count()); }},
    {"OKR_COACH_OUTBOX_SENDERS", "outbox.senders", "", "", false,
     "Outgoing platform calls in flight at once, each for a different conversation (1..32); "
     "1 sends one message after the other.",
     [](std::string_view t, Config& c) {
       return parse_bounded(t, 1, kMaxOutboxSenders,
                            [&](std::uint64_t n) { c.outbox_senders = static_cast<unsigned>(n); });
     },
     [](const Config& c) { return nlohmann::json(c.outbox_senders); }},
    {"OKR_COACH_QUEUED_TURNS", "inbox.queued_turns", "", "", false,
     "Acknowledged events held in memory waiting for a dialog turn (1..1000000, about 1 KB "
     "each); beyond that they wait in the inbox on disk and are read back in order.",
     [](std::string_view t, Config& c) {
       return parse_bounded(t, 1, kMaxQueuedTurns,
                            [&](std::uint64_t n) { c.queued_turns = static_cast<unsigned>(n); });
     },
     [](const Config& c) { return nlohmann::json(c.queued_turns); }},
    {"SLACK_SIGNING_SECRET", "slack.signing_secret", "", "", true,
     "Secret Slack uses to sign requests to us; empty disables the Slack endpoints.",
     [](std::string_view t, Config& c) { return parse_secret(t, c.slack_signing_secret); },
     [](const Config& c) { return nlohmann::json(c.slack_signing_secret); }},
    {"SLACK_BOT_TOKEN", "slack.bot_token", "", "", true,
     "Bot token (xoxb-...) used to call the Slack Web API.",
     [](std::string_view t, Config& c) { return parse_secret(t, c.slack_bot_token); },
     [](const Config& c) { return nlohmann::json(c.slack_bot_token); }},
    {"SLACK_API_URL", "slack.api_url", "", "", false,
     "Base URL of the Slack Web API (tests point it at a fake); a trailing / is added if missing.",
     [](std::string_view t, Config& c) { return parse_url(t, c.slack_api_url); },
     [](const Config& c) { return nlohmann::json(c.slack_api_url); }},
    {"SLACK_APP_TOKEN", "slack.app_token", "", "", true,
     "App-level token (xapp-...) with connections:write; when set, Slack events arrive over "
     "Socket Mode and no public URL is needed.",
     [](std::string_view t, Config& c) { return parse_secret(t, c.slack_app_token); },
     [](const Config& c) { return nlohmann::json(c.slack_app_token); }},
    {"SLACK_CLIENT_ID", "slack.client_id", "", "", false,
     "Client ID of the Slack app; with SLACK_CLIENT_SECRET it enables installing into many "
     "workspaces at /slack/install.",
     [](std::string_view t, Config& c) { return parse_identifier(t, c.slack_client_id); },
     [](const Config& c) { return nlohmann::json(c.slack_client_id); }},
    {"SLACK_CLIENT_SECRET", "slack.client_secret", "", "", true,
     "Client secret of the Slack app, for the OAuth code exchange (oauth.v2.access).",
     [](std::string_view t, Config& c) { return parse_secret(t, c.slack_client_secret); },
     [](const Config& c) { return nlohmann::json(c.slack_client_secret); }},
    {"SLACK_REDIRECT_URL", "slack.redirect_url", "", "", false,
     "Public URL of /slack/oauth/callback as registered in the Slack app; empty: none is sent.",
     [](std::string_view t, Config& c) {
       return parse_optional_endpoint_url(t, c.slack_redirect_url);
     },
     [](const Config& c) { return nlohmann::json(c.slack_redirect_url); }},
    {"TEAMS_APP_ID", "teams.app_id", "", "", false,
     "Microsoft App ID of the bot registration; with TEAMS_APP_PASSWORD it enables Teams.",
     [](std::string_view t, Config& c) { return parse_identifier(t, c.teams_app_id); },
     [](const Config& c) { return nlohmann::json(c.teams_app_id); }},
    {"TEAMS_APP_PASSWORD", "teams.app_password", "", "", true,
     "Client secret of the bot's app registration, for outbound Bot Framework tokens.",
     [](std::string_view t, Config& c) { return parse_secret(t, c.teams_app_password); },
     [](const Config& c) { return nlohmann::json(c.teams_app_password); }},
    {"TEAMS_TENANT_ID", "teams.tenant_id", "", "", false,
     "Tenant of a single-tenant bot registration: its token endpoint and issuers are used; "
     "empty: multi-tenant.",
     [](std::string_view t, Config& c) { return parse_identifier(t, c.teams_tenant_id); },
     [](const Config& c) { return nlohmann::json(c.teams_tenant_id); }},
    {"TEAMS_OPENID_URL", "teams.openid_url", "", "", false,
     "OpenID metadata document naming the keys that sign inbound Teams requests.",
     [](std::string_view t, Config& c) { return parse_endpoint_url(t, c.teams_openid_url); },
     [](const Config& c) { return nlohmann::json(c.teams_openid_url); }},
    {"TEAMS_TOKEN_URL", "teams.token_url", "", "", false,
     "OAuth token endpoint for outbound Teams calls; empty: the Bot Framework's, or the "
     "tenant's when TEAMS_TENANT_ID is set.",
     [](std::string_view t, Config& c) {
       return parse_optional_endpoint_url(t, c.teams_token_url);
     },
     [](const Config& c) { return nlohmann::json(c.teams_token_url); }},
    {"OKR_COACH_WEB_USER", "web.user", "--web-user", "NAME", false,
     "The person the local web page speaks as (its user id on platform web, workspace local).",
     [](std::string_view t, Config& c) { return parse_non_empty(t, c.web_user); },
     [](const Config& c) { return nlohmann::json(c.web_user); }},
    {"OKR_COACH_WEB_TOKEN", "web.token", "", "", true,
     "Token the web page must present (bearer or login cookie) when serve listens on a "
     "non-loopback address; serve refuses to start there without it.",
     [](std::string_view t, Config& c) { return parse_secret(t, c.web_token); },
     [](const Config& c) { return nlohmann::json(c.web_token); }},
    {"OKR_COACH_CA_FILE", "tls.ca_file", "", "", false,
     "PEM file of CA certificates trusted for outgoing HTTPS; empty: the system store.",
     [](std::string_view t, Config& c) { return parse_readable_file(t, c.ca_file); },
     [](const Config& c) { return nlohmann::json(c.ca_file); }},
    {"OKR_COACH_TLS_CERT", "tls.cert_file", "", "", false,
     "PEM certificate chain for serving HTTPS directly; set together with OKR_COACH_TLS_KEY. "
     "Empty: plain HTTP (put a TLS-terminating proxy in front).",
     [](std::string_view t, Config& c) { return parse_readable_file(t, c.tls_cert_file); },
     [](const Config& c) { return nlohmann::json(c.tls_cert_file); }},
    {"OKR_COACH_TLS_KEY", "tls.key_file", "", "", false, "PEM private key of OKR_COACH_TLS_CERT.",
     [](std::string_view t, Config& c) { return parse_readable_file(t, c.tls_key_file); },
     [](const Config& c) { return nlohmann::json(c.tls_key_file); }},
    {"OKR_COACH_SECRET_KEY", "secrets.key", "", "", true,
     "Base64 of 32 random bytes (openssl rand -base64 32) that encrypts Slack tokens stored "
     "in the database; required before any workspace is installed through OAuth.",
     [](std::string_view t, Config& c) { return parse_secret_key(t, c.secret_key); },
     [](const Config& c) { return nlohmann::json(c.secret_key); }},
}};

}  // namespace

std::span<const Field> fields() {
  return kFields;
}

const Field* find_field(std::string_view env) {
  for (const Field& field : kFields) {
    if (field.env == env) {
      return &field;
    }
  }
  return nullptr;
}

}  // namespace okr::config
