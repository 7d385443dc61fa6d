#include "bot/teams/openid_keys.hpp"

#include <algorithm>
#include <stdexcept>

#include <spdlog/spdlog.h>
#include <boost/url/parse.hpp>
#include <nlohmann/json.hpp>

#include "bot/http/client.hpp"

namespace okr::bot::teams {

namespace {

// Host and port only: a URL could in principle carry a credential in its path or query.
std::string host_of(std::string_view url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    return "(invalid url)";
  }
  std::string host(parsed->encoded_host());
  if (parsed->has_port()) {
    host += ":" + std::string(parsed->port());
  }
  return host;
}

// A fetch failure with a message safe to log (no bodies, no paths).
struct FetchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

nlohmann::json get_json(http::HttpClient& client, const std::string& url, const char* what) {
  http::ClientRequest request;
  request.url = url;
  request.headers.emplace_back("Accept", "application/json");
  http::ClientResponse response;
  try {
    response = client.send(request);
  } catch (const http::ClientError& error) {
    throw FetchError(std::string(what) + ": " + error.what());
  }
  if (response.status != 200) {
    throw FetchError(std::string(what) + " from " + host_of(url) + " answered HTTP " +
                     std::to_string(response.status));
  }
  auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) {
    throw FetchError(std::string(what) + " from " + host_of(url) + " is not a JSON object");
  }
  return body;
}

std::string string_member(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool SigningKey::endorses(std::string_view channel_id) const {
  return !channel_id.empty() &&
         std::find(endorsements.begin(), endorsements.end(), channel_id) != endorsements.end();
}

OpenIdKeys::OpenIdKeys(http::HttpClient& client, std::string metadata_url, pipeline::Clock clock)
    : client_(client), metadata_url_(std::move(metadata_url)), clock_(std::move(clock)) {}

KeyLookup OpenIdKeys::find(std::string_view kid) {
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  const bool may_fetch = !last_attempt_at_ || now - *last_attempt_at_ >= kMinRefetchInterval;
  const bool stale = !fetched_at_ || now - *fetched_at_ >= kMaxAge;
  if (stale && may_fetch) {
    refetch();
  }
  auto it = keys_.find(kid);
  if (it == keys_.end() && !keys_.empty() && clock_() - *last_attempt_at_ >= kMinRefetchInterval) {
    refetch();  // a rotated key we have not seen yet
    it = keys_.find(kid);
  }
  if (it != keys_.end()) {
    return {KeyLookup::Outcome::found, it->second};
  }
  return {keys_.empty() ? KeyLookup::Outcome::unavailable : KeyLookup::Outcome::unknown_kid, {}};
}

std::size_t OpenIdKeys::fetch_attempts() const {
  std::lock_guard lock(mutex_);
  return attempts_;
}

bool OpenIdKeys::refetch() {
  ++attempts_;
  last_attempt_at_ = clock_();
  try {
    const auto metadata = get_json(client_, metadata_url_, "teams OpenID metadata");
    // §11 step 7: verify with the algorithm the metadata names. We only implement RS256, so a
    // document that stops listing it means the protocol changed under us: refuse, loudly.
    if (const auto algs = metadata.find("id_token_signing_alg_values_supported");
        algs != metadata.end() && algs->is_array() &&
        std::find(algs->begin(), algs->end(), nlohmann::json("RS256")) == algs->end()) {
      throw FetchError("teams OpenID metadata from " + host_of(metadata_url_) +
                       " does not list RS256 as a signing algorithm");
    }
    const std::string jwks_uri = string_member(metadata, "jwks_uri");
    if (jwks_uri.empty()) {
      throw FetchError("teams OpenID metadata from " + host_of(metadata_url_) + " has no jwks_uri");
    }
    const auto jwks = get_json(client_, jwks_uri, "teams signing keys");
    const auto list = jwks.find("keys");
    if (list == jwks.end() || !list->is_array()) {
      throw FetchError("teams signing keys from " + host_of(jwks_uri) + " have no keys array");
    }
    std::map<std::string, SigningKey, std::less<>> fresh;
    for (const auto& entry : *list) {
      if (!entry.is_object() || string_member(entry, "kty") != "RSA") {
        continue;
      }
      const std::string kid = string_member(entry, "kid");
      auto key = RsaPublicKey::from_jwk(string_member(entry, "n"), string_member(entry, "e"));
      if (kid.empty() || !key) {
        spdlog::warn("teams signing keys: skipped an unusable RSA key (kid '{}')", kid);
        continue;
      }
      SigningKey signing{kid, *key, {}};
      if (const auto e = entry.find("endorsements"); e != entry.end() && e->is_array()) {
        for (const auto& channel : *e) {
          if (channel.is_string()) {
            signing.endorsements.push_back(channel.get<std::string>());
          }
        }
      }
      fresh.insert_or_assign(kid, std::move(signing));
    }
    if (fresh.empty()) {
      throw FetchError("teams signing keys from " + host_of(jwks_uri) + " hold no usable RSA key");
    }
    keys_ = std::move(fresh);
    fetched_at_ = last_attempt_at_;
    spdlog::info("teams signing keys: {} key(s) loaded from {}", keys_.size(), host_of(jwks_uri));
    return true;
  } catch (const FetchError& error) {
    spdlog::error("{}{}", error.what(),
                  keys_.empty() ? "; Teams requests are refused until keys can be fetched"
                                : "; keeping the keys fetched before");
    return false;
  }
}

}  // namespace okr::bot::teams
