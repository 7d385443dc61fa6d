#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include <catch2/catch.hpp>

#include "dialogs/definition.hpp"

using namespace okr::dialogs;

namespace {

// A minimal valid dialog with `extra` nodes appended to its node list.
std::string dialog_with(const std::string& extra_nodes, const std::string& start = "q") {
  return R"({"name": "t", "version": 1, "start": ")" + start + R"(", "nodes": [
    {"id": "q", "kind": "ask", "text": "How are you?", "variable": "mood", "next": "bye"},
    {"id": "bye", "kind": "end", "text": "Thanks."})" +
         (extra_nodes.empty() ? "" : "," + extra_nodes) + "]}";
}

bool has_problem(const DefinitionLoad& load, const std::string& node, const std::string& words,
                 bool error = true) {
  return std::any_of(load.problems.begin(), load.problems.end(), [&](const DefinitionProblem& p) {
    return p.node == node && p.error == error && p.message.find(words) != std::string::npos;
  });
}

std::string all_problems(const DefinitionLoad& load) {
  std::string out;
  for (const auto& p : load.problems)
    out += p.describe() + "\n";
  return out;
}

}  // namespace

TEST_CASE("a valid dialog loads with its nodes by id") {
  auto load = parse_definition(dialog_with(""), "t.json");
  INFO(all_problems(load));
  REQUIRE(load.definition);
  CHECK(load.problems.empty());
  CHECK(load.definition->name == "t");
  CHECK(load.definition->find("q")->kind == NodeKind::ask);
  CHECK(load.definition->find("missing") == nullptr);
}

TEST_CASE("a reference to an unknown node is an error naming the file and the node") {
  auto load = parse_definition(
      dialog_with(R"({"id": "x", "kind": "ask", "text": "?", "variable": "v", "next": "nowhere"})",
                  "x"),
      "broken.json");
  CHECK_FALSE(load.definition);
  REQUIRE(has_problem(load, "x", "unknown node 'nowhere'"));
  auto it = std::find_if(load.problems.begin(), load.problems.end(),
                         [](auto& p) { return p.node == "x"; });
  CHECK(it->describe() == "broken.json: node 'x': refers to unknown node 'nowhere'");
}

TEST_CASE("an unknown start node is an error") {
  auto load = parse_definition(dialog_with("", "nope"), "t.json");
  CHECK_FALSE(load.definition);
  CHECK(has_problem(load, "", "start node 'nope' does not exist"));
}

TEST_CASE("an ask without a prompt is an error") {
  auto load = parse_definition(
      dialog_with(R"({"id": "silent", "kind": "ask", "variable": "v", "next": "bye"})", "silent"),
      "t.json");
  CHECK_FALSE(load.definition);
  CHECK(has_problem(load, "silent", "missing prompt"));
}

TEST_CASE("a bad validator is an error that lists the good ones") {
  auto load = parse_definition(
      dialog_with(
          R"({"id": "n", "kind": "ask", "text": "?", "variable": "v", "validator": "emoji", "next": "bye"})",
          "n"),
      "t.json");
  CHECK_FALSE(load.definition);
  CHECK(has_problem(load, "n", "bad validator 'emoji'"));
  CHECK(has_problem(load, "n", "yes_no"));
}

TEST_CASE("a choice question without choices is an error") {
  auto load = parse_definition(
      dialog_with(
          R"({"id": "c", "kind": "ask", "text": "?", "variable": "v", "validator": "choice", "next": "bye"})",
          "c"),
      "t.json");
  CHECK(has_problem(load, "c", "needs 'choices'"));
}

TEST_CASE("an unknown action name is an error") {
  auto load = parse_definition(
      dialog_with(R"({"id": "a", "kind": "action", "action": "make_coffee", "next": "q"})", "a"),
      "t.json");
  CHECK_FALSE(load.definition);
  CHECK(has_problem(load, "a", "unknown action 'make_coffee'"));
}

TEST_CASE("an unreachable node is a warning, and the dialog still loads") {
  auto load = parse_definition(
      dialog_with(R"({"id": "orphan", "kind": "end", "text": "never said"})"), "t.json");
  REQUIRE(load.definition);
  CHECK(has_problem(load, "orphan", "unreachable", false));
}

TEST_CASE("a cycle with no way to an end node is an error") {
  auto load = parse_definition(R"({"name": "t", "version": 1, "start": "a", "nodes": [
      {"id": "a", "kind": "ask", "text": "A?", "variable": "a", "next": "b"},
      {"id": "b", "kind": "ask", "text": "B?", "variable": "b", "next": "a"},
      {"id": "unused_end", "kind": "end", "text": "bye"}]})",
                               "loop.json");
  CHECK_FALSE(load.definition);
  CHECK(has_problem(load, "a", "cycle with no exit"));
  CHECK(has_problem(load, "b", "cycle with no exit"));
}

TEST_CASE("a cycle of branches and actions that never asks is an error") {
  auto load = parse_definition(R"({"name": "t", "version": 1, "start": "x", "nodes": [
      {"id": "x", "kind": "branch", "on": "has_team", "cases": {"true": "bye"}, "otherwise": "y"},
      {"id": "y", "kind": "action", "action": "load_active_krs", "next": "x"},
      {"id": "bye", "kind": "end", "text": "bye"}]})",
                               "spin.json");
  CHECK_FALSE(load.definition);
  CHECK(all_problems(load).find("never asks a question") != std::string::npos);
}

TEST_CASE("a loop must name its list, element, body and exit") {
  auto load = parse_definition(
      dialog_with(R"({"id": "l", "kind": "loop", "over": "krs", "next": "bye"})", "l"), "t.json");
  CHECK(has_problem(load, "l", "needs 'as'"));
  CHECK(has_problem(load, "l", "needs 'body'"));
}

TEST_CASE("invalid JSON, a missing name and duplicate ids are reported") {
  CHECK(has_problem(parse_definition("{not json", "t.json"), "", "not valid JSON"));
  auto load = parse_definition(R"({"version": 1, "start": "q", "nodes": [
      {"id": "q", "kind": "end", "text": "a"}, {"id": "q", "kind": "end", "text": "b"}]})",
                               "t.json");
  CHECK(has_problem(load, "", "missing 'name'"));
  CHECK(has_problem(load, "q", "duplicate node id"));
}

TEST_CASE("an unknown field is a warning so typos do not go unnoticed") {
  auto load = parse_definition(
      dialog_with(
          R"({"id": "r", "kind": "ask", "text": "?", "variable": "v", "reaks": "again?", "next": "bye"})",
          "r"),
      "t.json");
  REQUIRE(load.definition);
  CHECK(has_problem(load, "r", "unknown field 'reaks'", false));
}

TEST_CASE("the four shipped dialogs load and validate without errors or warnings") {
  CatalogLoad load = load_catalog({}, std::string(OKR_SOURCE_DIR) + "/config/dialogs");
  std::string all;
  for (const auto& p : load.problems)
    all += p.describe() + "\n";
  INFO(all);
  CHECK(load.problems.empty());
  for (const char* name : {"draft", "checkin", "reflect", "setup"}) {
    INFO(name);
    CHECK(load.catalog.find(name) != nullptr);
  }
}

TEST_CASE("a dialog file on disk replaces the shipped dialog of the same name") {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("okr-dialogs-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "t.json") << R"({"name": "t", "version": 2, "start": "e", "nodes": [
        {"id": "e", "kind": "end", "text": "from disk"}]})";
  }
  CatalogLoad load =
      load_catalog({{"t", dialog_with("")}, {"other", R"({"name": "other", "version": 1,
      "start": "e", "nodes": [{"id": "e", "kind": "end", "text": "shipped"}]})"}},
                   dir.string());
  fs::remove_all(dir);
  REQUIRE(load.ok());
  CHECK(load.catalog.find("t")->version == 2);
  CHECK(load.catalog.find("other") != nullptr);
}

TEST_CASE("a file whose name differs from its dialog's name is an error") {
  CatalogLoad load = load_catalog({{"draft", dialog_with("")}}, "");
  CHECK_FALSE(load.ok());
  REQUIRE_FALSE(load.problems.empty());
  CHECK(load.problems.front().message.find("named 'draft.json'") != std::string::npos);
}
