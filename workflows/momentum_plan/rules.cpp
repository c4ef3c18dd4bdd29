#include "workflows/momentum_plan/rules.h"

#include <map>

#include "engine/clock.h"
#include "engine/fields.h"
#include "engine/text.h"

namespace rsoflow::momentum_plan {
namespace {

const Json* FindAction(const Json& actions, const std::string& id) {
  if (!actions.is_array()) return nullptr;
  for (const auto& a : actions.AsArray()) {
    if (a.GetString("id") == id) return &a;
  }
  return nullptr;
}

}  // namespace

Result<Json> BuildActions(const Json& input, const Json& existing, int64_t* next_id,
                          const std::string& field) {
  if (!input.is_array() || input.size() > 100) {
    return Status::InvalidRequest(field + " is a list of at most 100 actions", {field});
  }
  Json out = Json::MakeArray();
  std::vector<std::string> bad;
  std::string why;
  auto note = [&](const std::string& f, const std::string& reason) {
    bad.push_back(f);
    why += (why.empty() ? "" : "; ") + reason;
  };
  std::map<std::string, bool> seen;
  for (size_t i = 0; i < input.size(); ++i) {
    const Json& in = input.AsArray()[i];
    const std::string at = field + "[" + std::to_string(i) + "]";
    if (!in.is_object()) {
      note(at, at + " must be an object");
      continue;
    }
    for (const auto& [key, value] : in.AsObject()) {
      if (key != "id" && key != "title" && key != "owner" && key != "due_on" && key != "note") {
        note(at + "." + key, at + "." + key + " is not an action field");
      }
    }
    Json action = Json::MakeObject();
    const std::string id = in.GetString("id");
    if (in.Has("id")) {
      const Json* old = FindAction(existing, id);
      if (old == nullptr || seen[id]) {
        note(at + ".id", at + ".id names no action of this plan (or names one twice)");
        continue;
      }
      seen[id] = true;
      action = *old;
    } else {
      action.Set("id", "A" + std::to_string((*next_id)++));
      action.Set("title", "");
      action.Set("owner", "");
      action.Set("due_on", "");
      action.Set("status", "open");
      action.Set("note", "");
    }
    for (const char* key : {"title", "owner", "note"}) {
      const Json* v = in.Get(key);
      if (v == nullptr) continue;
      const size_t max = std::string(key) == "note" ? 2000 : 300;
      if (!v->is_string() || v->AsString().size() > max) {
        note(at + "." + key,
             at + "." + key + " is a text of at most " + std::to_string(max) + " characters");
      } else if (std::string(key) == "title" && HasNulOrBidiControl(v->AsString())) {
        note(at + ".title", at + ".title" + kNulOrBidiControl);
      } else {
        action.Set(key, v->AsString());
      }
    }
    if (const Json* v = in.Get("due_on"); v != nullptr) {
      if (!v->is_string() || !ParseDate(v->AsString())) {
        note(at + ".due_on", at + ".due_on is a date YYYY-MM-DD");
      } else {
        action.Set("due_on", v->AsString());
      }
    }
    out.Push(std::move(action));
  }
  if (!bad.empty()) return Status::InvalidRequest(why, bad);
  return out;
}

std::vector<Reason> SubmissionProblems(const Json& actions, const std::string& event_ends_on) {
  std::vector<Reason> problems;
  if (!actions.is_array() || actions.size() == 0) {
    return {Reason{"plan_has_no_actions", "the plan needs at least one action"}};
  }
  const auto ended = ParseDate(event_ends_on);
  for (const auto& a : actions.AsArray()) {
    const std::string id = a.GetString("id");
    if (a.GetString("title").empty())
      problems.push_back(Reason{"action_title_missing", "action " + id + " has no title"});
    if (a.GetString("owner").empty())
      problems.push_back(Reason{"action_owner_missing", "action " + id + " has no owner"});
    const auto due = ParseDate(a.GetString("due_on"));
    if (!due) {
      problems.push_back(Reason{"action_due_date_missing", "action " + id + " has no due date"});
    } else if (ended && *due <= *ended) {
      problems.push_back(Reason{"action_due_before_event_end",
                                "action " + id + " is due on " + a.GetString("due_on") +
                                    ", not after the event ended on " + event_ends_on});
    }
  }
  return problems;
}

int64_t ActionDueAt(const std::string& due_on) {
  const auto day = ParseDate(due_on);
  return day ? (*day + 1) * kMsPerDay : 0;
}

std::vector<std::string> OverdueActions(const Json& actions, int64_t now) {
  std::vector<std::string> ids;
  if (!actions.is_array()) return ids;
  for (const auto& a : actions.AsArray()) {
    if (a.GetString("status") != "done" && ActionDueAt(a.GetString("due_on")) <= now) {
      ids.push_back(a.GetString("id"));
    }
  }
  return ids;
}

std::vector<std::string> UnfinishedActions(const Json& actions) {
  std::vector<std::string> ids;
  if (!actions.is_array()) return ids;
  for (const auto& a : actions.AsArray()) {
    if (a.GetString("status") != "done") ids.push_back(a.GetString("id"));
  }
  return ids;
}

Status ValidateProgress(const Json& data) {
  static const FieldList kProgress = [] {
    FieldList list = {
        Field::Text("action_id", 1, SIZE_MAX).Required(),
        Field::Text("status", 0, SIZE_MAX).OneOf({"open", "in_progress", "done"}).Required(),
        Field::Text("note", 0, 2000)};
    list.prefix = "data.";
    list.unknown = "unknown field(s) in data";
    list.unknown_names = false;
    list.summary =
        "report_progress needs action_id, status (open, in_progress or done) and an optional "
        "note of at most 2000 characters";
    return list;
  }();
  return kProgress.Check(data);
}

}  // namespace rsoflow::momentum_plan
