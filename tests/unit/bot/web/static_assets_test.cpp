#include <catch2/catch.hpp>

#include "bot/web/embedded_files.hpp"
#include "bot/web/static_assets.hpp"

using okr::bot::http::HttpRequest;
using okr::bot::web::content_type_for;
using okr::bot::web::EmbeddedFile;
using okr::bot::web::StaticAssets;

namespace {

const std::vector<EmbeddedFile> kFiles = {
    {"index.html", "<!doctype html><p>hi</p>"},
    {"app.js", "console.log(1);"},
    {"style.css", "body{}"},
    {"notes.bin", "\x01\x02"},
};

}  // namespace

TEST_CASE("each served file type gets its content type, unknown ones none", "[web]") {
  CHECK(content_type_for("index.html") == "text/html; charset=utf-8");
  CHECK(content_type_for("app.js") == "text/javascript; charset=utf-8");
  CHECK(content_type_for("style.css") == "text/css; charset=utf-8");
  CHECK(content_type_for("chart.svg") == "image/svg+xml");
  CHECK(content_type_for("notes.bin").empty());
  CHECK(content_type_for("Makefile").empty());
}

TEST_CASE("only exact names from the table are found, never paths", "[web]") {
  const StaticAssets assets(kFiles);
  CHECK(assets.find("app.js") != nullptr);
  CHECK(assets.find("notes.bin") == nullptr);  // no content type: not served
  for (const char* name : {"", "..", "../app.js", "..%2fapp.js", "%2e%2e", "/app.js", "web/app.js",
                           "app.js/", "..\\app.js", "APP.JS", "app.js%00"}) {
    INFO(name);
    CHECK(assets.find(name) == nullptr);
  }
}

TEST_CASE("a file is answered with its validator, and 304 when the browser has it", "[web]") {
  const StaticAssets assets(kFiles);
  HttpRequest request;
  const auto first = assets.answer("app.js", request);
  CHECK(first.status == 200);
  CHECK(first.body == "console.log(1);");
  CHECK(first.content_type == "text/javascript; charset=utf-8");
  std::string etag;
  std::string cache;
  for (const auto& [name, value] : first.headers) {
    if (name == "ETag")
      etag = value;
    if (name == "Cache-Control")
      cache = value;
  }
  REQUIRE(etag.size() > 2);
  CHECK(etag.front() == '"');
  CHECK(cache == "no-cache");

  request.headers = {{"if-none-match", etag}};
  const auto again = assets.answer("app.js", request);
  CHECK(again.status == 304);
  CHECK(again.body.empty());

  request.headers = {{"If-None-Match", "\"stale\""}};
  CHECK(assets.answer("app.js", request).status == 200);
  CHECK(assets.answer("missing.js", request).status == 404);
}

TEST_CASE("different contents get different validators", "[web]") {
  const StaticAssets one(std::vector<EmbeddedFile>{{"a.js", "1"}});
  const StaticAssets two(std::vector<EmbeddedFile>{{"a.js", "2"}});
  CHECK(one.find("a.js")->etag != two.find("a.js")->etag);
}

TEST_CASE("the page's own files are compiled in", "[web]") {
  const StaticAssets assets(okr::bot::web::embedded_files());
  REQUIRE(assets.find("index.html") != nullptr);
  CHECK(assets.find("index.html")->body.find("/assets/app.js") != std::string_view::npos);
  CHECK(assets.find("app.js") != nullptr);
  CHECK(assets.find("style.css") != nullptr);
}
