#pragma once
// Drives the engine turn by turn the way the turn runner does: the instance goes through its
// JSON form between turns (as it would through the database), effects are collected, and each
// reply is rendered as plain text for assertions.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/engine.hpp"
#include "dialogs/render_text.hpp"

namespace okr::dialogs::testing {

inline TimePoint at(int day, int hour = 9) {
  return TimePoint{std::chrono::hours(24 * (20000 + day) + hour)};
}

inline DialogCatalog shipped_catalog() {
  CatalogLoad load = load_catalog({}, std::string(OKR_SOURCE_DIR) + "/config/dialogs");
  if (!load.ok()) {
    std::string all;
    for (const auto& p : load.problems)
      all += p.describe() + "\n";
    throw std::runtime_error(all);
  }
  return load.catalog;
}

inline DialogCatalog catalog_of(const std::string& name, const std::string& text) {
  CatalogLoad load = load_catalog({{name, text}}, "");
  if (!load.ok()) {
    std::string all;
    for (const auto& p : load.problems)
      all += p.describe() + "\n";
    throw std::runtime_error(all);
  }
  return load.catalog;
}

class Script {
 public:
  explicit Script(DialogCatalog catalog) : catalog_(std::move(catalog)) {
    context.now = at(0);
    context.person.id = 7;
    context.person.display_name = "Ana";
  }

  // One typed message; returns everything the coach said, as plain text.
  std::string say(const std::string& text) {
    return turn(Inbound{"terminal", "local", "ana", "c1", text, {}});
  }

  std::string click(const std::string& id, const std::string& value) {
    return turn(Inbound{"terminal", "local", "ana", "c1", "", Action{id, value}});
  }

  bool active() const { return stored_.has_value(); }
  DialogInstance instance() const { return stored_->get<DialogInstance>(); }
  const std::vector<Outbound>& last_messages() const { return last_.messages; }

  Context context;
  std::vector<Effect> effects;

 private:
  std::string turn(const Inbound& message) {
    std::optional<DialogInstance> active;
    if (stored_)
      active = stored_->get<DialogInstance>();
    last_ = handle_turn(catalog_, active, message, context);
    stored_.reset();
    if (last_.instance)
      stored_ = nlohmann::json(*last_.instance);
    effects.insert(effects.end(), last_.effects.begin(), last_.effects.end());
    std::string out;
    for (const auto& m : last_.messages)
      out += render_text(m) + "\n";
    return out;
  }

  DialogCatalog catalog_;
  std::optional<nlohmann::json> stored_;
  StepResult last_;
};

}  // namespace okr::dialogs::testing
