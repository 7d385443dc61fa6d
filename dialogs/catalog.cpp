// Loading the set of dialogs: the shipped texts, each replaced by a file of the same name in
// the dialogs directory when one exists there (so a coach can tailor one dialog only).
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dialogs/definition.hpp"

namespace okr::dialogs {

namespace {
namespace fs = std::filesystem;

void add(CatalogLoad& load, const std::string& name, std::string_view text,
         const std::string& file) {
  DefinitionLoad one = parse_definition(text, file);
  load.problems.insert(load.problems.end(), one.problems.begin(), one.problems.end());
  if (!one.definition)
    return;
  if (one.definition->name != name) {
    load.problems.push_back(
        {file, "",
         "its 'name' is '" + one.definition->name + "' but the file is named '" + name + ".json'",
         true});
    return;
  }
  load.catalog.dialogs[name] = std::move(*one.definition);
}
}  // namespace

CatalogLoad load_catalog(const std::map<std::string, std::string>& shipped,
                         const std::string& directory) {
  std::map<std::string, std::pair<std::string, std::string>> sources;  // name -> (file, text)
  for (const auto& [name, text] : shipped)
    sources[name] = {"(shipped) " + name + ".json", text};

  CatalogLoad load;
  std::error_code ec;
  if (!directory.empty() && fs::is_directory(directory, ec)) {
    for (const auto& entry : fs::directory_iterator(directory, ec)) {
      if (entry.path().extension() != ".json")
        continue;
      std::ifstream in(entry.path(), std::ios::binary);
      if (!in) {
        load.problems.push_back({entry.path().string(), "", "cannot be read", true});
        continue;
      }
      std::ostringstream text;
      text << in.rdbuf();
      sources[entry.path().stem().string()] = {entry.path().string(), text.str()};
    }
  }
  for (const auto& [name, source] : sources)
    add(load, name, source.second, source.first);
  return load;
}

}  // namespace okr::dialogs
