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

const FieldList& ActionFields() {
  static const FieldList kAction = [] {
    FieldList list = {Field::Text("id", 0, SIZE_MAX)
                          .Says("{} names no action of this plan (or names one twice)")
                          .About("an action of the plan, kept with its status (revise)"),
                      Field::Text("title", 0, 300)
                          .Plain(std::string("{}") + kNulOrBidiControl)
                          .Says("{} is a text of at most 300 characters"),
                      Field::Text("owner", 0, 300).Says("{} is a text of at most 300 characters"),
                      Field::Date("due_on").Says("{} is a date YYYY-MM-DD"),
                      Field::Text("note", 0, 2000).Says("{} is a text of at most 2000 characters")};
    list.unknown_each = " is not an action field";
    list.null_is_absent = false;  // a null is not a text
    list.joined = true;
    return list;
  }();
  return kAction;
}

Field ActionsField() {
  return Field::List("actions", 100)
      .Entries(ActionFields())
      .Says("{} is a list of at most 100 actions");
}

const FieldList& CreationFields() {
  static const FieldList kCreation = [] {
    // In the order of the API document (which names the summary's fields in this order too).
    FieldList list = {Field::Text("iso_event_id", 1, SIZE_MAX).Required(),
                      Field::Text("initiative_id", 0, SIZE_MAX),
                      Field::Text("title", 1, 300).Plain().Required(),
                      ActionsField().Required().NotNull()};
    list.summary =
        "a momentum plan needs a title (1-300 characters, without U+0000 or a bidirectional "
        "override or isolate), an iso_event_id and a list of actions";
    return list;
  }();
  return kCreation;
}

const FieldList& RevisionPayload() {
  static const FieldList kRevision = [] {
    FieldList list = {Field::Text("title", 1, 300)
                          .Plain(std::string("{}") + kNulOrBidiControl)
                          .Says("title is 1-300 characters"),
                      ActionsField().Explain([](const Json& actions) {
                        return std::string(actions.is_array()
                                               ? "data.actions is a list of at most 100 actions"
                                               : "actions is a list of actions");
                      })};
    list.prefix = "data.";
    list.empty = "revise needs a title or actions";
    list.null_is_absent = false;
    return list;
  }();
  return kRevision;
}

Result<Json> BuildActions(const Json& input, const Json& existing, int64_t* next_id,
                          const std::string& field) {
  Json out = Json::MakeArray();
  std::vector<std::string> bad;
  std::string why;
  std::map<std::string, bool> seen;
  for (size_t i = 0; i < input.size(); ++i) {
    const Json& in = input.AsArray()[i];
    Json action = Json::MakeObject();
    if (in.Has("id")) {
      const std::string id = in.GetString("id");
      const Json* old = FindAction(existing, id);
      if (old == nullptr || seen[id]) {
        const std::string at = field + "[" + std::to_string(i) + "].id";
        bad.push_back(at);
        why +=
            (why.empty() ? "" : "; ") + at + " names no action of this plan (or names one twice)";
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
    for (const char* key : {"title", "owner", "due_on", "note"}) {
      if (const Json* v = in.Get(key); v != nullptr && v->is_string()) action.Set(key, *v);
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

const FieldList& ProgressPayload() {
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
  return kProgress;
}

}  // namespace rsoflow::momentum_plan
