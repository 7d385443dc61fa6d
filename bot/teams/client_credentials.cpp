#include "bot/teams/client_credentials.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <nlohmann/json.hpp>

#include "bot/http/client.hpp"
#include "config/config.hpp"

namespace okr::bot::teams {

namespace {

std::string form_value(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

// Errors name the endpoint by host only.
std::string host_of(std::string_view url) {
  const auto parsed = boost::urls::parse_uri(url);
  return parsed ? std::string(parsed->encoded_host_and_port()) : std::string("(invalid url)");
}

std::string string_member(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

ClientCredentialsSettings ClientCredentialsSettings::from(const config::Config& config) {
  return {config::teams_token_endpoint(config), config.teams_app_id, config.teams_app_password};
}

ClientCredentialsTokenSource::ClientCredentialsTokenSource(http::HttpClient& client,
                                                           ClientCredentialsSettings settings,
                                                           pipeline::Clock clock)
    : client_(client), settings_(std::move(settings)), clock_(std::move(clock)) {}

std::string ClientCredentialsTokenSource::bearer() {
  std::unique_lock lock(mutex_);
  while (fetching_) {
    const std::size_t waited_for = generation_;
    fetched_.wait(lock, [&] { return generation_ != waited_for; });
    if (last_error_ && !current_) {
      throw *last_error_;  // the fetch we waited for failed: share its answer, do not pile on
    }
  }
  if (current_ && clock_() < current_->refresh_at) {
    return current_->token;
  }
  fetching_ = true;
  lock.unlock();
  std::optional<Fetched> fresh;
  std::optional<TokenError> error;
  try {
    fresh = fetch();
  } catch (const TokenError& e) {
    error = e;
  }
  lock.lock();
  fetching_ = false;
  ++generation_;
  if (fresh) {
    current_ = fresh;
    last_error_.reset();
  } else {
    current_.reset();
    last_error_ = error;
  }
  fetched_.notify_all();
  if (error) {
    throw *error;
  }
  return fresh->token;
}

void ClientCredentialsTokenSource::invalidate(const std::string& token) {
  std::lock_guard lock(mutex_);
  if (current_ && current_->token == token) {
    current_.reset();
  }
}

std::size_t ClientCredentialsTokenSource::fetches() const {
  std::lock_guard lock(mutex_);
  return fetches_;
}

ClientCredentialsTokenSource::Fetched ClientCredentialsTokenSource::fetch() {
  {
    std::lock_guard lock(mutex_);
    ++fetches_;
  }
  const std::string host = host_of(settings_.token_url);
  http::ClientRequest request;
  request.method = "POST";
  request.url = settings_.token_url;
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("Accept", "application/json");
  request.body = "grant_type=client_credentials&client_id=" + form_value(settings_.app_id) +
                 "&client_secret=" + form_value(settings_.app_password) +
                 "&scope=" + form_value(kBotFrameworkScope);
  http::ClientResponse response;
  try {
    response = client_.send(request);
  } catch (const http::ClientError& e) {
    // ClientError messages name host and port only, never the body that holds the password.
    throw TokenError(std::string("teams token: ") + e.what(), true);
  }
  const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (response.status != 200) {
    const std::string code = body.is_object() ? string_member(body, "error") : std::string();
    // invalid_client, unauthorized_client, invalid_scope...: asking again will not help. 5xx,
    // 429 and 408 are the service's trouble, so a later try may.
    const bool retryable =
        response.status >= 500 || response.status == 429 || response.status == 408;
    std::string message =
        "teams token: " + host + " answered HTTP " + std::to_string(response.status);
    if (!code.empty()) {
      message += " (" + code + ")";
    }
    throw TokenError(message, retryable);
  }
  const std::string token = body.is_object() ? string_member(body, "access_token") : "";
  const auto expires_in =
      body.is_object() && body.contains("expires_in") ? body["expires_in"] : nlohmann::json();
  std::int64_t seconds = 0;
  if (expires_in.is_number()) {
    seconds = expires_in.get<std::int64_t>();
  } else if (expires_in.is_string()) {  // some Microsoft endpoints send it as a string
    seconds = std::atoll(expires_in.get<std::string>().c_str());
  }
  if (token.empty() || seconds <= 0) {
    throw TokenError("teams token: " + host + " answered 200 without access_token/expires_in",
                     true);
  }
  // Refresh 5 minutes early; a token that lives shorter than twice that is refreshed halfway.
  const std::chrono::seconds lifetime(seconds);
  const auto margin = std::min<std::chrono::seconds>(kRefreshMargin, lifetime / 2);
  spdlog::debug("teams token: fetched from {}, valid {} s", host, seconds);
  return {token, clock_() + lifetime - margin};
}

}  // namespace okr::bot::teams
