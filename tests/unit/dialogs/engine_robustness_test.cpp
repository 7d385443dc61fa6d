// Whatever a person types or clicks, the engine answers and never throws.
#include <random>

#include <catch2/catch.hpp>

#include "dialog_script.hpp"

using namespace okr::dialogs;
using namespace okr::dialogs::testing;

TEST_CASE("random typing and clicking through the shipped dialogs always gets an answer") {
  const std::vector<std::string> words = {"draft",
                                          "checkin",
                                          "reflect",
                                          "setup",
                                          "okrs",
                                          "help",
                                          "back",
                                          "cancel",
                                          "summary",
                                          "yes",
                                          "no",
                                          "ok",
                                          "keep",
                                          "1",
                                          "2",
                                          "3",
                                          "7",
                                          "11",
                                          "0.5",
                                          "70%",
                                          "-4",
                                          "",
                                          "  ",
                                          "Grow the community",
                                          "churn from 5% to 3%; NPS 30 -> 45",
                                          "edit",
                                          "start over",
                                          "confirm",
                                          "Europe/Berlin",
                                          "9:30",
                                          "tuesday",
                                          "none",
                                          "🙂 emoji",
                                          "1, 2 and 9",
                                          "launch the new onboarding",
                                          "{kr.text}",
                                          "{",
                                          "}"};
  Objective o;
  o.id = 1;
  o.text = "Happier customers";
  KeyResult metric;
  metric.id = 11;
  metric.text = "NPS from 30 to 45";
  metric.baseline = 30;
  metric.target = 45;
  KeyResult milestone;
  milestone.id = 12;
  milestone.text = "Ship the wizard";
  milestone.kind = KeyResultKind::milestone;
  o.key_results = {metric, milestone};

  const DialogCatalog catalog = shipped_catalog();
  std::size_t effects = 0;  // proof that the walks reach the ends of dialogs, not only their starts
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 random(seed);
    Script s(catalog);
    s.context.team = Team{4, "Growth", {}};
    s.context.roles = {Role::coach};
    s.context.objectives = {o};
    s.context.settings.parent_objective = seed % 2 ? "Grow revenue" : "";
    if (seed % 3 == 0)
      s.context.last_reflection = Reflection{0, 7, 1, {}, "a", "b", "c", "d", "e", false, {}};
    for (int turn = 0; turn < 150; ++turn) {
      std::string reply;
      if (random() % 10 == 0 && s.active()) {
        REQUIRE_NOTHROW(reply = s.click(s.instance().node, words[random() % words.size()]));
      } else {
        REQUIRE_NOTHROW(reply = s.say(words[random() % words.size()]));
      }
      INFO("seed " << seed << " turn " << turn);
      REQUIRE_FALSE(reply.empty());
      if (s.active()) {
        const Node* node = catalog.find(s.instance().dialog)->find(s.instance().node);
        REQUIRE(node);
        CHECK((node->kind == NodeKind::ask || node->kind == NodeKind::summary));
      }
    }
    effects += s.effects.size();
  }
  CHECK(effects > 0);
}
