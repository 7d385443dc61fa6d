#pragma once
// The few HTML pages a person sees while installing the coach into their workspace: small,
// warm, in our own words, and always saying what to do next. Each is a whole document with the
// status it should be served with.
#include <string>

#include "bot/http/request.hpp"

namespace okr::bot::slack {

http::HttpResponse install_redirect_page(int status, const std::string& location);
http::HttpResponse installed_page(const std::string& team_name);
// `title` and `advice` are ours (no user input is echoed unescaped).
http::HttpResponse install_problem_page(int status, const std::string& title,
                                        const std::string& advice);

}  // namespace okr::bot::slack
