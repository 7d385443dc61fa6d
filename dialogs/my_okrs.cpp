// `okrs`: the person's current objectives with each key result's progress.
#include "dialogs/key_result_view.hpp"
#include "dialogs/outside_dialog.hpp"

namespace okr::dialogs {

Outbound my_okrs(const Context& context) {
  Outbound out;
  bool any = false;
  ProgressTable table;
  table.title = context.cycle && !context.cycle->label.empty()
                    ? "Your OKRs for " + context.cycle->label
                    : "Your OKRs";
  for (const auto& objective : context.objectives) {
    for (const auto& kr : objective.key_results) {
      any = true;
      auto last = context.latest_checkins.find(kr.id);
      std::optional<int> confidence;
      double value = kr.current.value_or(kr.baseline.value_or(0));
      if (last != context.latest_checkins.end()) {
        value = last->second.value;
        confidence = last->second.confidence;
      }
      const auto row = progress_row(kr, objective.text, value, confidence, std::nullopt, context);
      ProgressRow r;
      r.objective = objective.text;
      r.key_result = kr.text;
      r.value = row.value("value", "");
      r.progress = row.value("progress", 0.0);
      r.confidence = confidence;
      r.at_risk = row.value("at_risk", false);
      table.rows.push_back(std::move(r));
    }
    if (objective.key_results.empty()) {
      any = true;
      table.rows.push_back({objective.text, "(no key results yet)", "", 0, {}, {}, false});
    }
  }
  if (!any) {
    out.text = "You have no OKRs for this cycle yet. Type draft and we'll shape one together.";
    return out;
  }
  out.text = "Here is where your OKRs stand.";
  out.progress = std::move(table);
  return out;
}

}  // namespace okr::dialogs
