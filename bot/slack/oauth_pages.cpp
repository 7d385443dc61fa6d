#include "bot/slack/oauth_pages.hpp"

namespace okr::bot::slack {
namespace {

std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

http::HttpResponse page(int status, const std::string& title, const std::string& body_html) {
  http::HttpResponse response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" +
      escaped(title) +
      " · OKR Coach</title><style>body{font-family:system-ui,sans-serif;max-width:34rem;"
      "margin:4rem auto;padding:0 1rem;line-height:1.5;color:#222}h1{font-size:1.4rem}"
      "</style></head><body><h1>" +
      escaped(title) + "</h1>" + body_html + "</body></html>\n";
  // These pages carry one-time values in their URLs: keep them out of caches and referrers.
  response.headers = {{"Cache-Control", "no-store"}, {"Referrer-Policy", "no-referrer"}};
  return response;
}

}  // namespace

http::HttpResponse install_redirect_page(int status, const std::string& location) {
  auto response = page(status, "Taking you to Slack",
                       "<p>One moment: Slack will ask you to allow OKR Coach in your workspace. "
                       "If nothing happens, <a href=\"" +
                           escaped(location) + "\">continue to Slack</a>.</p>");
  response.headers.emplace_back("Location", location);
  return response;
}

http::HttpResponse installed_page(const std::string& team_name) {
  const std::string where = team_name.empty() ? "your workspace" : escaped(team_name);
  return page(200, "OKR Coach is in",
              "<p>Thank you! OKR Coach is now part of " + where +
                  ".</p><p>To begin, open a direct message with OKR Coach in Slack and type "
                  "<b>draft</b>: we'll shape your first objective together, one question at a "
                  "time. You can close this tab.</p>");
}

http::HttpResponse install_problem_page(int status, const std::string& title,
                                        const std::string& advice) {
  return page(status, title, "<p>" + escaped(advice) + "</p>");
}

}  // namespace okr::bot::slack
