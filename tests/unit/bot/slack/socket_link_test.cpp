// SocketLink's wss:// checks, against the fake Slack's HTTPS front door (a real TLS server with a
// self-signed certificate). That server speaks HTTP, not WebSocket, so a link that gets past TLS
// ends at the upgrade: which step it ended at tells whether the certificate was trusted.
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "bot/slack/socket_link.hpp"
#include "tests/support/fake_slack.hpp"

using okr::bot::slack::SocketLink;
using okr::bot::slack::SocketLinkOptions;
using okr::test::FakeSlack;

namespace {

// Runs one link to its end and returns why it ended.
std::string end_of_link(const std::string& url, const std::string& ca_file) {
  std::mutex mutex;
  std::condition_variable ended;
  std::optional<std::string> why;
  SocketLinkOptions options;
  options.url = url;
  options.ca_file = ca_file;
  SocketLink link(
      options, [](const std::string&) { return std::string(); },
      [&](const std::string& reason) {
        std::lock_guard lock(mutex);
        why = reason;
        ended.notify_all();
      });
  std::unique_lock lock(mutex);
  // The limit only stops a broken run.
  ended.wait_for(lock, std::chrono::seconds(20), [&] { return why.has_value(); });
  return why.value_or("did not end");
}

std::string wss_url(const FakeSlack& slack, const std::string& host) {
  return "wss://" + host + ":" + std::to_string(slack.port()) + "/link/?ticket=secret-ticket";
}

}  // namespace

TEST_CASE("a wss link trusts the configured CA and checks the host name, like the HTTP client",
          "[slack][socket]") {
  FakeSlack::Options https;
  https.https = true;
  FakeSlack slack(https);

  const auto trusted = end_of_link(wss_url(slack, "127.0.0.1"), slack.ca_file());
  INFO(trusted);
  CHECK(trusted.starts_with("upgrade failed"));  // TLS passed; the fake is no WebSocket server

  const auto unknown_ca = end_of_link(wss_url(slack, "127.0.0.1"), "");
  INFO(unknown_ca);
  CHECK(unknown_ca.find("certificate not trusted") != std::string::npos);
  CHECK(unknown_ca.find("secret-ticket") == std::string::npos);

  FakeSlack::Options other_name = https;
  other_name.certificate_names = "DNS:elsewhere.example";
  FakeSlack misnamed(other_name);
  const auto wrong_host = end_of_link(wss_url(misnamed, "127.0.0.1"), misnamed.ca_file());
  INFO(wrong_host);
  CHECK(wrong_host.find("TLS") != std::string::npos);
  CHECK(wrong_host.find("secret-ticket") == std::string::npos);
}

TEST_CASE("a link refuses a URL that is not ws or wss", "[slack][socket]") {
  for (const char* url : {"https://example.com/x", "not a url", "ws:///no-host"}) {
    SocketLinkOptions options;
    options.url = url;
    CHECK_THROWS_AS(SocketLink(options, {}, {}), std::invalid_argument);
  }
}

TEST_CASE("a link to a port where nobody listens ends and says where, without the URL's query",
          "[slack][socket]") {
  const auto why = end_of_link("ws://127.0.0.1:1/link/?ticket=secret-ticket", "");
  INFO(why);
  CHECK(why.find("127.0.0.1:1") != std::string::npos);
  CHECK(why.find("secret-ticket") == std::string::npos);
}
