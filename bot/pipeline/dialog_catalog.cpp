#include "bot/pipeline/dialog_catalog.hpp"

#include <spdlog/spdlog.h>

#include "config/shipped_dialogs.hpp"

namespace okr::bot::pipeline {

dialogs::CatalogLoad load_dialog_catalog(const okr::config::Config& config) {
  return dialogs::load_catalog(okr::config::shipped_dialogs(), config.dialogs_dir);
}

std::optional<dialogs::DialogCatalog> load_dialog_catalog_or_log(const okr::config::Config& config) {
  auto loaded = load_dialog_catalog(config);
  for (const auto& problem : loaded.problems) {
    if (problem.error) {
      spdlog::error("dialog definition: {}", problem.describe());
    } else {
      spdlog::warn("dialog definition: {}", problem.describe());
    }
  }
  if (!loaded.ok()) return std::nullopt;
  return std::move(loaded.catalog);
}

}  // namespace okr::bot::pipeline
