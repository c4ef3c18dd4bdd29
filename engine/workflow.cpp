#include "engine/workflow.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/string_list.h"

namespace rsoflow {
namespace {

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// Rows that share (from, to) are drawn as one edge listing every event.
struct Edge {
  std::string from, to;
  std::vector<std::string> labels;
};

std::vector<Edge> Edges(const WorkflowMeta& meta) {
  std::vector<Edge> edges;
  for (const auto& t : meta.transitions) {
    std::string label = t.event + " [" + Join(t.roles, ",") + "]";
    if (!t.guard.empty()) label += " / " + t.guard;
    auto it = std::find_if(edges.begin(), edges.end(),
                           [&](const Edge& e) { return e.from == t.from && e.to == t.to; });
    if (it == edges.end()) {
      edges.push_back(Edge{t.from, t.to, {label}});
    } else if (!Contains(it->labels, label)) {
      it->labels.push_back(label);
    }
  }
  return edges;
}

}  // namespace

const StateInfo* WorkflowMeta::FindState(const std::string& n) const {
  for (const auto& s : states) {
    if (s.name == n) return &s;
  }
  return nullptr;
}

const EventInfo* WorkflowMeta::FindEvent(const std::string& n) const {
  for (const auto& e : events) {
    if (e.name == n) return &e;
  }
  return nullptr;
}

bool WorkflowMeta::IsTerminal(const std::string& state) const {
  const StateInfo* s = FindState(state);
  return s != nullptr && s->terminal;
}

bool WorkflowMeta::RoleMayFire(const std::string& role, const std::string& event) const {
  const EventInfo* e = FindEvent(event);
  return e != nullptr && Contains(e->roles, role);
}

std::vector<std::string> WorkflowMeta::EventsFrom(const std::string& state,
                                                  const std::string& role) const {
  std::set<std::string> out;
  for (const auto& t : transitions) {
    if (t.from == state && Contains(t.roles, role)) out.insert(t.event);
  }
  return {out.begin(), out.end()};
}

bool WorkflowMeta::AwaitsAny(const std::vector<std::string>& allowed) const {
  for (const auto& e : allowed) {
    if (std::find(standing_events.begin(), standing_events.end(), e) == standing_events.end()) {
      return true;
    }
  }
  return false;
}

bool WorkflowMeta::HasTransition(const std::string& state, const std::string& event) const {
  for (const auto& t : transitions) {
    if (t.from == state && t.event == event) return true;
  }
  return false;
}

std::vector<std::string> WorkflowMeta::AllEventsFrom(const std::string& state) const {
  std::set<std::string> out;
  for (const auto& t : transitions) {
    if (t.from == state) out.insert(t.event);
  }
  return {out.begin(), out.end()};
}

std::string RenderMermaid(const WorkflowMeta& meta, const std::string& highlight) {
  std::string out = "stateDiagram-v2\n";
  out += "    [*] --> " + meta.initial_state + "\n";
  for (const Edge& e : Edges(meta)) {
    out += "    " + e.from + " --> " + e.to + " : " + Join(e.labels, "<br/>") + "\n";
  }
  for (const auto& s : meta.states) {
    if (s.terminal) out += "    " + s.name + " --> [*]\n";
  }
  if (!highlight.empty() && meta.FindState(highlight) != nullptr) {
    out += "    classDef current fill:#f9d71c,stroke:#333,stroke-width:3px\n";
    out += "    class " + highlight + " current\n";
  }
  return out;
}

std::string RenderDot(const WorkflowMeta& meta, const std::string& highlight) {
  std::string out = "digraph \"" + meta.name + "\" {\n  rankdir=LR;\n";
  out += "  node [shape=box, style=rounded];\n";
  out += "  __start [shape=point];\n  __start -> \"" + meta.initial_state + "\";\n";
  for (const auto& s : meta.states) {
    std::string attrs;
    if (s.terminal) attrs += "peripheries=2";
    if (s.name == highlight) {
      attrs += std::string(attrs.empty() ? "" : ", ") +
               "style=\"rounded,filled,bold\", fillcolor=\"#f9d71c\"";
    }
    out += "  \"" + s.name + "\"" + (attrs.empty() ? "" : " [" + attrs + "]") + ";\n";
  }
  for (const Edge& e : Edges(meta)) {
    out += "  \"" + e.from + "\" -> \"" + e.to + "\" [label=\"" + Join(e.labels, "\\n") + "\"];\n";
  }
  out += "}\n";
  return out;
}

namespace {

// {"en","ru"}; a code without a label is shown as itself (tests keep every label present).
Json LabelJson(const LabelMap& labels, const std::string& code) {
  auto it = labels.find(code);
  Json o = Json::MakeObject();
  o.Set("en", it == labels.end() || it->second.en.empty() ? code : it->second.en);
  o.Set("ru", it == labels.end() || it->second.ru.empty() ? code : it->second.ru);
  return o;
}

}  // namespace

Json MetaToJson(const WorkflowMeta& meta) {
  Json j = Json::MakeObject();
  j.Set("name", meta.name);
  j.Set("version", meta.version);
  j.Set("title", meta.title);
  j.Set("labels", LabelJson({{meta.name, meta.label}}, meta.name));
  j.Set("initial_state", meta.initial_state);
  Json states = Json::MakeArray();
  for (const auto& s : meta.states) {
    Json o = Json::MakeObject();
    o.Set("name", s.name);
    o.Set("terminal", s.terminal);
    o.Set("labels", LabelJson(meta.state_labels, s.name));
    states.Push(std::move(o));
  }
  j.Set("states", std::move(states));
  auto strings = [](const std::vector<std::string>& v) {
    Json a = Json::MakeArray();
    for (const auto& s : v) a.Push(s);
    return a;
  };
  Json events = Json::MakeArray();
  for (const auto& e : meta.events) {
    Json o = Json::MakeObject();
    o.Set("name", e.name);
    o.Set("roles", strings(e.roles));
    o.Set("labels", LabelJson(meta.event_labels, e.name));
    events.Push(std::move(o));
  }
  j.Set("events", std::move(events));
  Json transitions = Json::MakeArray();
  for (const auto& t : meta.transitions) {
    Json o = Json::MakeObject();
    o.Set("from", t.from);
    o.Set("event", t.event);
    o.Set("to", t.to);
    o.Set("roles", strings(t.roles));
    o.Set("guard", t.guard.empty() ? Json() : Json(t.guard));
    transitions.Push(std::move(o));
  }
  j.Set("transitions", std::move(transitions));
  return j;
}

}  // namespace rsoflow
