#include "dialogs/digest_json.hpp"

#include <cmath>

#include <date/date.h>

#include "dialogs/digest_render.hpp"
#include "dialogs/domain_names.hpp"

namespace okr::dialogs {
namespace {
using nlohmann::json;

std::string instant(TimePoint t) {
  return date::format("%FT%TZ", t);
}

// Four decimals keep the export stable across platforms' last-bit differences in division.
json fraction(std::optional<double> value) {
  if (!value)
    return nullptr;
  return std::round(*value * 10000) / 10000;
}

template <class T>
json or_null(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json people_json(const std::vector<DigestPerson>& people) {
  json out = json::array();
  for (const auto& p : people) out.push_back({{"id", p.id}, {"name", p.name}});
  return out;
}

json key_result_json(const DigestKeyResult& v) {
  const auto& kr = v.key_result;
  json risks = json::array();
  for (DigestRisk r : v.risks) risks.push_back(to_string(r));
  return {{"id", kr.id},
          {"text", kr.text},
          {"kind", to_string(kr.kind)},
          {"direction", to_string(kr.direction)},
          {"unit", kr.unit},
          {"baseline", or_null(kr.baseline)},
          {"target", or_null(kr.target)},
          {"deadline", or_null(kr.deadline)},
          {"value", or_null(v.value)},
          {"value_text", digest_value_text(v)},
          {"progress", fraction(v.progress)},
          {"change", fraction(v.change)},
          {"expected_progress", fraction(v.expected_progress)},
          {"confidence", or_null(v.confidence)},
          {"previous_confidence", or_null(v.previous_confidence)},
          {"confidence_trend", to_string(v.trend)},
          {"last_check_in_at", v.last_check_in ? json(instant(*v.last_check_in)) : json(nullptr)},
          {"at_risk", v.at_risk()},
          {"risk_reasons", risks}};
}

}  // namespace

json digest_json(const Digest& d) {
  json objectives = json::array();
  for (const auto& o : d.objectives) {
    json krs = json::array();
    for (const auto& v : o.key_results) krs.push_back(key_result_json(v));
    json blockers = json::array();
    for (const auto& b : o.blockers)
      blockers.push_back({{"text", b.text}, {"author", b.author}, {"key_result_id", b.key_result_id}, {"at", instant(b.at)}});
    objectives.push_back({{"id", o.objective.id},
                          {"text", o.objective.text},
                          {"owner", {{"id", o.objective.person_id}, {"name", o.owner}}},
                          {"progress", fraction(o.progress)},
                          {"key_results", krs},
                          {"blockers", blockers}});
  }
  return {{"format", "okr-coach.digest"},
          {"version", digest_json_version},
          {"team", {{"id", d.team.id}, {"name", d.team.name}, {"time_zone", d.team.settings.time_zone}}},
          {"week",
           {{"label", to_string(d.week)}, {"starts_at", instant(d.bounds.starts_at)}, {"ends_at", instant(d.bounds.ends_at)}}},
          {"cycle",
           {{"label", d.cycle_label}, {"starts_at", instant(d.cycle_starts_at)}, {"ends_at", instant(d.cycle_ends_at)}}},
          {"generated_at", instant(d.generated_at)},
          {"headline", d.headline},
          {"summary",
           {{"key_results", d.key_result_count},
            {"at_risk", d.at_risk_count},
            {"members", static_cast<int>(d.checked_in.size() + d.not_checked_in.size())},
            {"checked_in", static_cast<int>(d.checked_in.size())},
            {"not_checked_in", static_cast<int>(d.not_checked_in.size())}}},
          {"objectives", objectives},
          {"checked_in", people_json(d.checked_in)},
          {"not_checked_in", people_json(d.not_checked_in)}};
}

}  // namespace okr::dialogs
