#pragma once
// The files of web/ as compiled into the binary (generated from bot/web/embedded_files.cpp.in).
#include <string_view>
#include <vector>

namespace okr::bot::web {

struct EmbeddedFile {
  std::string_view name;  // file name in web/, e.g. "app.js"
  std::string_view content;
};

const std::vector<EmbeddedFile>& embedded_files();

}  // namespace okr::bot::web
