#pragma once
// A strict one-pass JSON reader that calls a handler for each value, key and container, for
// the Events API bodies read on the acknowledgement path (event_fields.cpp). nlohmann's SAX
// parser did this job, but its lexer builds every string and key char by char into a
// std::string and converts every number: ~15 k of the ~96 k instructions a network thread
// spends per event. This one hands strings over as views into the body (decoding into a
// scratch buffer only when a string has escapes) and only checks numbers' syntax.
//
// It accepts exactly what nlohmann::json::parse accepts (RFC 8259, strings valid UTF-8, no
// comments), including two of its habits: a leading UTF-8 byte-order mark is skipped, and a
// NUL byte after the top-level value ends the input. The slack_event fuzz target and
// event_fields_test compare the two readers on every input.
//
// The handler's calls:
//   bool open(bool object)            a '{' or '[' starts a value
//   bool close()                      its '}' or ']'
//   bool key(std::string_view name)   an object member's name (decoded)
//   bool string(std::string_view s)   a string value (decoded; valid until the next call)
//   bool boolean(bool value)
//   bool other_scalar()               a number or null
// Any call returning false stops the reading, as a refusal.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace okr::bot::slack {

class JsonSax {
 public:
  // Reads `text`; false when it is not one JSON value (or the handler stopped).
  template <class Handler>
  static bool read(std::string_view text, Handler& handler) {
    JsonSax reader(text);
    return reader.run(handler);
  }

 private:
  explicit JsonSax(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  template <class Handler>
  bool run(Handler& handler) {
    if (end_ - p_ >= 3 && byte(p_[0]) == 0xEF && byte(p_[1]) == 0xBB && byte(p_[2]) == 0xBF)
      p_ += 3;
    std::vector<bool> in_object;  // the open containers, innermost last
    skip_whitespace();
    for (;;) {
      // A value is due here.
      if (p_ == end_)
        return false;
      bool value_done = true;
      switch (*p_) {
        case '{':
        case '[': {
          const bool object = *p_ == '{';
          ++p_;
          if (!handler.open(object))
            return false;
          skip_whitespace();
          if (p_ != end_ && *p_ == (object ? '}' : ']')) {
            ++p_;
            if (!handler.close())
              return false;
            break;
          }
          in_object.push_back(object);
          if (object && !member_name(handler))
            return false;
          value_done = false;
          break;
        }
        case '"': {
          std::string_view text;
          if (!string(text) || !handler.string(text))
            return false;
          break;
        }
        case 't':
          if (!literal("true") || !handler.boolean(true))
            return false;
          break;
        case 'f':
          if (!literal("false") || !handler.boolean(false))
            return false;
          break;
        case 'n':
          if (!literal("null") || !handler.other_scalar())
            return false;
          break;
        default:
          if (!number() || !handler.other_scalar())
            return false;
          break;
      }
      if (!value_done)
        continue;
      // After a value: the next member or element, the end of containers, or the end.
      for (;;) {
        skip_whitespace();
        if (in_object.empty())
          return p_ == end_ || *p_ == '\0';  // nlohmann's lexer reads a NUL as end of input
        if (p_ == end_)
          return false;
        if (*p_ == ',') {
          ++p_;
          skip_whitespace();
          if (in_object.back() && !member_name(handler))
            return false;
          break;  // the next value
        }
        if (*p_ != (in_object.back() ? '}' : ']'))
          return false;
        ++p_;
        in_object.pop_back();
        if (!handler.close())
          return false;
      }
    }
  }

  static unsigned byte(char c) { return static_cast<unsigned char>(c); }

  void skip_whitespace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t'))
      ++p_;
  }

  // `"name"`, whitespace, `:` and whitespace: the value is due next.
  template <class Handler>
  bool member_name(Handler& handler) {
    std::string_view name;
    if (p_ == end_ || *p_ != '"' || !string(name) || !handler.key(name))
      return false;
    skip_whitespace();
    if (p_ == end_ || *p_ != ':')
      return false;
    ++p_;
    skip_whitespace();
    return true;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word)
      return false;
    p_ += word.size();
    return true;
  }

  bool digits() {
    const char* start = p_;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9')
      ++p_;
    return p_ != start;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? ; what follows is the caller's to check.
  // Like nlohmann, a number too large for a double (1e999) is refused.
  bool number() {
    const char* start = p_;
    if (p_ != end_ && *p_ == '-')
      ++p_;
    if (p_ == end_)
      return false;
    if (*p_ == '0')
      ++p_;
    else if (*p_ < '1' || *p_ > '9' || !digits())
      return false;
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (!digits())
        return false;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-'))
        ++p_;
      if (!digits())
        return false;
      return fits_a_double(start);
    }
    // Without an exponent only a number of over 300 digits can pass DBL_MAX (~1.8e308).
    return p_ - start <= 300 || fits_a_double(start);
  }

  bool fits_a_double(const char* start) const {
    const std::string token(start, p_);
    return std::isfinite(std::strtod(token.c_str(), nullptr));
  }

  // At a '"': the string's decoded text, a view into the body when it has no escapes.
  bool string(std::string_view& out) {
    ++p_;
    const char* run = p_;  // the plain bytes not yet copied to scratch_
    bool decoded = false;
    while (p_ != end_) {
      const unsigned c = byte(*p_);
      if (c == '"') {
        if (decoded) {
          scratch_.append(run, p_);
          out = scratch_;
        } else {
          out = std::string_view(run, static_cast<std::size_t>(p_ - run));
        }
        ++p_;
        return true;
      }
      if (c == '\\') {
        if (!decoded) {
          scratch_.clear();
          decoded = true;
        }
        scratch_.append(run, p_);
        ++p_;
        if (!escape())
          return false;
        run = p_;
      } else if (c < 0x20) {
        return false;  // control characters must be escaped
      } else if (c < 0x80) {
        ++p_;
      } else if (!utf8_sequence()) {
        return false;
      }
    }
    return false;  // no closing quote
  }

  // After a backslash: appends what the escape stands for to scratch_.
  bool escape() {
    if (p_ == end_)
      return false;
    const char c = *p_++;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        scratch_ += c;
        return true;
      case 'b':
        scratch_ += '\b';
        return true;
      case 'f':
        scratch_ += '\f';
        return true;
      case 'n':
        scratch_ += '\n';
        return true;
      case 'r':
        scratch_ += '\r';
        return true;
      case 't':
        scratch_ += '\t';
        return true;
      case 'u':
        break;
      default:
        return false;
    }
    std::uint32_t code = 0;
    if (!hex4(code))
      return false;
    if (code >= 0xDC00 && code <= 0xDFFF)
      return false;  // a low surrogate with no high one before it
    if (code >= 0xD800 && code <= 0xDBFF) {
      std::uint32_t low = 0;
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u')
        return false;
      p_ += 2;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF)
        return false;
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(code);
    return true;
  }

  bool hex4(std::uint32_t& code) {
    if (end_ - p_ < 4)
      return false;
    for (int i = 0; i < 4; ++i) {
      const char c = *p_++;
      unsigned digit = 0;
      if (c >= '0' && c <= '9')
        digit = static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        digit = static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        digit = static_cast<unsigned>(c - 'A' + 10);
      else
        return false;
      code = (code << 4) | digit;
    }
    return true;
  }

  void append_utf8(std::uint32_t code) {
    if (code < 0x80) {
      scratch_ += static_cast<char>(code);
    } else if (code < 0x800) {
      scratch_ += static_cast<char>(0xC0 | (code >> 6));
      scratch_ += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      scratch_ += static_cast<char>(0xE0 | (code >> 12));
      scratch_ += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      scratch_ += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      scratch_ += static_cast<char>(0xF0 | (code >> 18));
      scratch_ += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      scratch_ += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      scratch_ += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  // At a byte >= 0x80 in a string: one well-formed UTF-8 sequence (RFC 3629's table: no
  // overlong forms, no surrogates, nothing above U+10FFFF).
  bool utf8_sequence() {
    const unsigned lead = byte(*p_);
    int continuation = 0;
    unsigned low = 0x80, high = 0xBF;  // the range of the first continuation byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuation = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      continuation = 2;
      if (lead == 0xE0)
        low = 0xA0;
      else if (lead == 0xED)
        high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      continuation = 3;
      if (lead == 0xF0)
        low = 0x90;
      else if (lead == 0xF4)
        high = 0x8F;
    } else {
      return false;
    }
    if (end_ - p_ <= continuation)
      return false;
    for (int i = 1; i <= continuation; ++i) {
      const unsigned c = byte(p_[i]);
      if (c < (i == 1 ? low : 0x80) || c > (i == 1 ? high : 0xBF))
        return false;
    }
    p_ += continuation + 1;
    return true;
  }

  const char* p_;
  const char* end_;
  std::string scratch_;  // a string with escapes, decoded
};

}  // namespace okr::bot::slack
