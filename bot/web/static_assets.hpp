#pragma once
// The page's static files as HTTP answers: a fixed table of names (no file system lookup, so a
// path can never reach outside it), the right Content-Type, an ETag per file and
// `Cache-Control: no-cache` (browsers keep the file and revalidate it cheaply with
// If-None-Match, so a new binary's page is picked up at once).
#include <string>
#include <string_view>
#include <vector>

#include "bot/http/request.hpp"
#include "bot/web/embedded_files.hpp"

namespace okr::bot::web {

struct StaticAsset {
  std::string name;
  std::string content_type;
  std::string etag;  // quoted, e.g. "\"3f2a...\""
  std::string_view body;
};

// The Content-Type for a file name by its extension; empty for types we do not serve.
std::string content_type_for(std::string_view name);

class StaticAssets {
 public:
  // Files with an unknown extension are left out.
  explicit StaticAssets(const std::vector<EmbeddedFile>& files);

  // The asset called exactly `name`, or nullptr (also for anything with '/', '%' or "..").
  const StaticAsset* find(std::string_view name) const;

  // 200 with the asset, or 304 when `request` already holds its ETag, or 404 json_error.
  http::HttpResponse answer(std::string_view name, const http::HttpRequest& request) const;

 private:
  std::vector<StaticAsset> assets_;
};

}  // namespace okr::bot::web
