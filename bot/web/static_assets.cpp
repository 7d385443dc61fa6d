#include "bot/web/static_assets.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <utility>

namespace okr::bot::web {
namespace {

// FNV-1a: an ETag only has to change when the content does; no secrecy involved.
std::string etag_of(std::string_view body) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : body) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char text[24];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return "\"" + std::string(text) + "\"";
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The page may load only its own files and talk only to its own origin; it is never framed.
constexpr const char* kPagePolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

}  // namespace

std::string content_type_for(std::string_view name) {
  static const std::array<std::pair<std::string_view, std::string_view>, 8> types{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  for (const auto& [extension, type] : types) {
    if (ends_with(name, extension))
      return std::string(type);
  }
  return {};
}

StaticAssets::StaticAssets(const std::vector<EmbeddedFile>& files) {
  for (const auto& file : files) {
    auto type = content_type_for(file.name);
    if (type.empty())
      continue;
    assets_.push_back({std::string(file.name), std::move(type), etag_of(file.content), file.content});
  }
}

const StaticAsset* StaticAssets::find(std::string_view name) const {
  if (name.empty() || name.find_first_of("/\\%") != std::string_view::npos ||
      name.find("..") != std::string_view::npos)
    return nullptr;
  for (const auto& asset : assets_) {
    if (asset.name == name)
      return &asset;
  }
  return nullptr;
}

http::HttpResponse StaticAssets::answer(std::string_view name,
                                        const http::HttpRequest& request) const {
  const auto* asset = find(name);
  if (asset == nullptr)
    return http::json_error(404, "not_found", "There is no such file.");
  http::HttpResponse response;
  response.headers = {{"ETag", asset->etag},
                      {"Cache-Control", "no-cache"},
                      {"X-Content-Type-Options", "nosniff"}};
  if (asset->content_type.starts_with("text/html")) {
    response.headers.emplace_back("Content-Security-Policy", kPagePolicy);
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
  }
  if (const auto held = request.header("If-None-Match"); held && *held == asset->etag) {
    response.status = 304;
    return response;
  }
  response.content_type = asset->content_type;
  response.body = std::string(asset->body);
  return response;
}

}  // namespace okr::bot::web
