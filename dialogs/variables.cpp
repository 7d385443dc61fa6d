#include "dialogs/variables.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace okr::dialogs {

namespace {
using nlohmann::json;

template <typename Json>
Json* walk(Json& root, std::string_view path) {
  Json* at = &root;
  while (!path.empty()) {
    auto dot = path.find('.');
    std::string key(path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    if (!at->is_object())
      return nullptr;
    auto it = at->find(key);
    if (it == at->end())
      return nullptr;
    at = &*it;
  }
  return at;
}
}  // namespace

const json* find_path(const json& root, std::string_view path) {
  return walk(root, path);
}
json* find_path(json& root, std::string_view path) {
  return walk(root, path);
}

void assign_path(json& root, std::string_view path, json value) {
  json* at = &root;
  while (true) {
    if (!at->is_object())
      *at = json::object();
    auto dot = path.find('.');
    std::string key(path.substr(0, dot));
    if (dot == std::string_view::npos) {
      (*at)[key] = std::move(value);
      return;
    }
    at = &(*at)[key];
    path = path.substr(dot + 1);
  }
}

std::string as_text(const json& value) {
  if (value.is_string())
    return value.get<std::string>();
  if (value.is_boolean())
    return value.get<bool>() ? "yes" : "no";
  if (value.is_number_integer())
    return std::to_string(value.get<long long>());
  if (value.is_number()) {
    double d = value.get<double>();
    if (std::floor(d) == d && std::fabs(d) < 1e15)
      return std::to_string(static_cast<long long>(d));
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", d);
    std::string s = buffer;
    while (s.back() == '0')
      s.pop_back();
    if (s.back() == '.')
      s.pop_back();
    return s;
  }
  if (value.is_array()) {
    std::string out;
    for (const auto& v : value) {
      if (!out.empty())
        out += "; ";
      out += as_text(v.is_object() && v.contains("text") ? v["text"] : v);
    }
    return out;
  }
  return {};
}

bool is_blank(const json* value) {
  if (!value || value->is_null())
    return true;
  if (value->is_string())
    return value->get<std::string>().empty();
  if (value->is_array() || value->is_object())
    return value->empty();
  return false;
}

std::string fill(std::string_view text, const json& first, const json& second) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      auto close = text.find('}', i);
      if (close != std::string_view::npos) {
        auto path = text.substr(i + 1, close - i - 1);
        const json* v = find_path(first, path);
        if (!v)
          v = find_path(second, path);
        if (v)
          out += as_text(*v);
        i = close;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::string normalise(std::string_view text) {
  std::size_t b = 0, e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b])))
    ++b;
  while (e > b && (std::isspace(static_cast<unsigned char>(text[e - 1])) || text[e - 1] == '.' ||
                   text[e - 1] == '!' || text[e - 1] == '?')) {
    --e;
  }
  std::string out;
  for (std::size_t i = b; i < e; ++i) {
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  return out;
}

std::string text_at(const nlohmann::json& root, std::string_view path) {
  const nlohmann::json* v = find_path(root, path);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

}  // namespace okr::dialogs
