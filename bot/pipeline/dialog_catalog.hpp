#pragma once
// The dialog definitions every command runs with: the shipped ones, each replaced by a file of
// the same name in config.dialogs_dir when that folder exists. One function so that serve,
// chat and check-config validate exactly the same set and refuse the same broken files.
#include <optional>

#include "config/config.hpp"
#include "dialogs/definition.hpp"

namespace okr::bot::pipeline {

dialogs::CatalogLoad load_dialog_catalog(const okr::config::Config& config);

// Loads the catalog and logs every problem (errors at error level, warnings at warn level,
// each naming the file, the node and the problem). nullopt when any problem is an error:
// the caller refuses to start.
std::optional<dialogs::DialogCatalog> load_dialog_catalog_or_log(const okr::config::Config& config);

}  // namespace okr::bot::pipeline
