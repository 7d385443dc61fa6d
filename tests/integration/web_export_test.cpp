// GET /web/api/export of the real `okr-coach serve`: the signed-in person's own data as a JSON
// download (the document the typed `export` shows), never anyone else's, and behind the web
// API's identity rule (on a non-loopback address only with OKR_COACH_WEB_TOKEN).
#include <signal.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;
using okr::test::HttpReply;
using okr::test::Process;
using okr::test::TempDir;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;
const std::string kToken = "web-export-token-0123456789abcdef";

// `serve` as web person `user` on `listen` with its own environment; SIGTERM at the end.
class WebPerson {
 public:
  WebPerson(const TempDir& dir, const std::string& user, const std::string& listen,
            std::map<std::string, std::string> env = {})
      : process_(okr::test::okr_coach_binary(),
                 okr::test::okr_coach_options({"serve", "--listen", listen, "--db",
                                               (dir / "coach.db").string(), "--web-user", user},
                                              env)) {
    const auto line = process_.wait_for_line("listening on http://");
    REQUIRE(line);
    const auto found = okr::test::listening_port(*line);
    REQUIRE(found);
    port_ = *found;
    if (env.count("OKR_COACH_WEB_TOKEN"))
      auth_ = {{"Authorization", "Bearer " + env["OKR_COACH_WEB_TOKEN"]}};
  }
  ~WebPerson() {
    process_.send_signal(SIGTERM);
    process_.wait_exit();
  }
  WebPerson(const WebPerson&) = delete;
  WebPerson& operator=(const WebPerson&) = delete;

  HttpReply get(const std::string& target, const Headers& headers) const {
    return okr::test::http_request(port_, "GET", target, {}, headers);
  }
  HttpReply get(const std::string& target) const { return get(target, auth_); }

  // Types `text` on the page and waits until the coach has answered it.
  void say(const std::string& text) {
    auto headers = auth_;
    headers.emplace_back("Content-Type", "application/json");
    const auto posted = okr::test::http_request(port_, "POST", "/web/api/messages",
                                                json{{"text", text}}.dump(), headers);
    REQUIRE(posted.status == 202);
    const auto mine = json::parse(posted.body).at("id").get<long>();
    // The deadline only turns a hang into a failure.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::string seen;
    while (std::chrono::steady_clock::now() < until) {
      const auto log = get("/web/api/messages?after=" + std::to_string(mine));
      REQUIRE(log.status == 200);
      seen = log.body;
      const auto page = json::parse(log.body);
      for (const auto& entry : page.at("messages")) {
        if (entry.at("author") == "coach")
          return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    process_.wait_for_line("\x01 never logged", okr::test::Stream::err,
                           std::chrono::milliseconds(200));
    FAIL("the coach never answered '" << text << "'; the log after it: " << seen << "\nstderr:\n"
                                      << process_.err());
  }

 private:
  Process process_;
  std::uint16_t port_ = 0;
  Headers auth_;
};

}  // namespace

TEST_CASE("the web export is a JSON download of the signed-in person's own answers only",
          "[web][export]") {
  TempDir dir;
  {
    WebPerson ben(dir, "ben", "127.0.0.1:0");
    ben.say("draft");
    ben.say("Ben will overhaul pricing for the enterprise plan");
  }
  WebPerson ada(dir, "ada", "127.0.0.1:0");
  CHECK(ada.get("/web/api/export").status == 404);  // nothing stored about Ada yet
  ada.say("draft");
  ada.say("Ada will make onboarding take one afternoon");

  const auto reply = ada.get("/web/api/export");
  REQUIRE(reply.status == 200);
  CHECK(reply.header("Content-Type") == "application/json");
  CHECK(reply.header("Content-Disposition") ==
        "attachment; filename=\"okr-coach-export.json\"");
  CHECK(reply.header("Cache-Control") == "no-store");
  const auto document = json::parse(reply.body);
  CHECK(document.at("format") == "okr-coach-personal-data");
  CHECK(document.at("person").at("platform") == "web");
  CHECK(document.at("person").at("user") == "ada");
  CHECK(reply.body.find("Ada will make onboarding take one afternoon") != std::string::npos);
  CHECK(reply.body.find("Ben will overhaul pricing") == std::string::npos);
  CHECK(reply.body.find("\"ben\"") == std::string::npos);

  // The same document the typed `export` shows in the conversation (made a moment later).
  ada.say("cancel");
  ada.say("export");
  const auto log = json::parse(ada.get("/web/api/messages?after=0").body).at("messages");
  REQUIRE_FALSE(log.empty());
  auto typed = json::parse(log.back().at("message").at("text").get<std::string>());
  auto downloaded = document;
  typed.erase("exported_at");
  downloaded.erase("exported_at");
  // Ada's later "cancel" and "export" are in the typed copy only.
  typed.at("messages").erase("from_you");
  typed.at("messages").erase("to_you");
  typed.at("messages").erase("web_page");
  downloaded.at("messages").erase("from_you");
  downloaded.at("messages").erase("to_you");
  downloaded.at("messages").erase("web_page");
  typed.erase("dialogs_in_progress");
  downloaded.erase("dialogs_in_progress");
  CHECK(typed == downloaded);
}

TEST_CASE("the web export refuses a request without identity on a non-loopback address",
          "[web][export]") {
  TempDir dir;
  WebPerson ada(dir, "ada", "0.0.0.0:0", {{"OKR_COACH_WEB_TOKEN", kToken}});
  ada.say("draft");

  const auto anonymous = ada.get("/web/api/export", {});
  CHECK(anonymous.status == 401);
  CHECK(json::parse(anonymous.body).at("error") == "unauthorized");
  CHECK(anonymous.body.find("Ada") == std::string::npos);
  const auto forged = ada.get("/web/api/export", {{"Authorization", "Bearer not-the-token"}});
  CHECK(forged.status == 401);

  const auto signed_in = ada.get("/web/api/export");
  CHECK(signed_in.status == 200);
  CHECK(json::parse(signed_in.body).at("person").at("user") == "ada");
}
