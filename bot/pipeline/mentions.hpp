#pragma once
// Reading a person out of a typed word, for office commands that name people ("team add @U1
// coach", the setup questions). Platform adapters hand mentions over as "@U1"; the raw Slack
// form "<@U1>" / "<@U1|maria>" is accepted too in case a channel passes it on unchanged.
#include <optional>
#include <string>

namespace okr::bot::pipeline {

// The user id a word mentions, without trailing , . ; (people type "@U1, @U2"); nullopt when
// the word is not a mention.
std::optional<std::string> mentioned_user(std::string word);

}  // namespace okr::bot::pipeline
