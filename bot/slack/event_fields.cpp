#include "bot/slack/event_fields.hpp"

#include <vector>

#include "bot/slack/json_sax.hpp"

namespace okr::bot::slack {
namespace {

// Where a container sits in the body; anything not listed is walked through and forgotten.
enum class Place { other, root, event, tokens, bot_tokens, authorizations, authorization };

struct Frame {
  Place place;
  std::string key;  // an object's member being read (the last key seen)
};

// What a value is, for the member it is the value of.
enum class Kind { string, boolean_true, other_scalar, object, array };

class Reader {
 public:
  explicit Reader(EventBodyFields& out) : out_(out) {}

  // The handler of JsonSax.
  bool other_scalar() { return scalar(Kind::other_scalar); }
  bool boolean(bool value) { return scalar(value ? Kind::boolean_true : Kind::other_scalar); }
  bool string(std::string_view value) {
    text_ = value;
    return scalar(Kind::string);
  }
  bool open(bool object) { return open(object ? Kind::object : Kind::array); }
  bool key(std::string_view name) {
    frames_.back().key.assign(name);
    return true;
  }
  bool close() {
    const Frame done = std::move(frames_.back());
    frames_.pop_back();
    if (done.place == Place::authorization && !bot_found_ && entry_is_bot_) {
      bot_found_ = true;
      out_.authorized_bot = entry_user_.value_or("");
    }
    return true;
  }

 private:
  bool scalar(Kind kind) {
    if (frames_.empty()) {
      out_.shape = EventBodyFields::Shape::not_object;  // a bare string, number, true...
      return true;
    }
    take(kind);
    return true;
  }

  bool open(Kind kind) {
    if (frames_.empty()) {
      const bool object = kind == Kind::object;
      out_.shape = object ? EventBodyFields::Shape::object : EventBodyFields::Shape::not_object;
      frames_.push_back({object ? Place::root : Place::other, {}});
      return true;
    }
    frames_.push_back({take(kind), {}});
    return true;
  }

  // A value of the innermost container: records what is read and says where a container
  // value sits. A member given twice ends as its last value, as in a tree.
  Place take(Kind kind) {
    Frame& parent = frames_.back();
    const std::string& key = parent.key;
    switch (parent.place) {
      case Place::root:
        return take_in_envelope(key, kind);
      case Place::event:
        return take_in_event(key, kind);
      case Place::tokens:
        if (key == "bot") {
          out_.event->bot_tokens.reset();
          if (kind == Kind::array) {
            out_.event->bot_tokens = 0;
            return Place::bot_tokens;
          }
        }
        return Place::other;
      case Place::bot_tokens:
        ++*out_.event->bot_tokens;
        return Place::other;
      case Place::authorizations:
        if (kind == Kind::object) {
          entry_is_bot_ = false;
          entry_user_.reset();
          return Place::authorization;
        }
        return Place::other;
      case Place::authorization:
        if (key == "is_bot")
          entry_is_bot_ = kind == Kind::boolean_true;
        else if (key == "user_id")
          assign(entry_user_, kind);
        return Place::other;
      case Place::other:
        return Place::other;
    }
    return Place::other;
  }

  Place take_in_envelope(const std::string& key, Kind kind) {
    if (key == "type") {
      assign(out_.type, kind);
    } else if (key == "challenge") {
      assign(out_.challenge, kind);
    } else if (key == "event_id") {
      assign(out_.event_id, kind);
    } else if (key == "team_id") {
      assign(out_.team_id, kind);
    } else if (key == "enterprise_id") {
      assign(out_.enterprise_id, kind);
    } else if (key == "authorizations") {
      bot_found_ = false;
      out_.authorized_bot.clear();
      return kind == Kind::array ? Place::authorizations : Place::other;
    } else if (key == "event") {
      out_.event.reset();
      if (kind == Kind::object) {
        out_.event.emplace();
        return Place::event;
      }
    }
    return Place::other;
  }

  Place take_in_event(const std::string& key, Kind kind) {
    auto& event = *out_.event;
    if (key == "type") {
      assign(event.type, kind);
    } else if (key == "user") {
      assign(event.user, kind);
    } else if (key == "subtype") {
      assign(event.subtype, kind);
    } else if (key == "channel_type") {
      assign(event.channel_type, kind);
    } else if (key == "channel") {
      assign(event.channel, kind);
    } else if (key == "text") {
      assign(event.text, kind);
    } else if (key == "ts") {
      assign(event.ts, kind);
    } else if (key == "thread_ts") {
      assign(event.thread_ts, kind);
    } else if (key == "tab") {
      assign(event.tab, kind);
    } else if (key == "bot_id") {
      event.has_bot_id = true;
    } else if (key == "bot_profile") {
      event.has_bot_profile = true;
    } else if (key == "tokens") {
      event.tokens_is_object = kind == Kind::object;
      event.bot_tokens.reset();
      return event.tokens_is_object ? Place::tokens : Place::other;
    }
    return Place::other;
  }

  // A string member: its text, or absent when the value is anything else.
  void assign(std::optional<std::string>& field, Kind kind) {
    if (kind == Kind::string)
      field.emplace(text_);
    else
      field.reset();
  }

  EventBodyFields& out_;
  std::vector<Frame> frames_;
  std::string_view text_;  // the string value being taken (valid during its scalar call)
  bool bot_found_ = false;
  bool entry_is_bot_ = false;
  std::optional<std::string> entry_user_;
};

}  // namespace

EventBodyFields read_event_body(std::string_view body) {
  EventBodyFields fields;
  Reader reader(fields);
  if (!JsonSax::read(body, reader)) {
    EventBodyFields refused;
    refused.shape = EventBodyFields::Shape::not_json;
    return refused;
  }
  return fields;
}

}  // namespace okr::bot::slack
