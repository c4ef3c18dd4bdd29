// Workflow: the interface each workflow in workflows/ implements, and the metadata the engine
// uses at its authorization choke point (which roles may fire which event from which state).
// Every visibility rule is the workflow's too: what a viewer may read of an instance (View,
// ReadsAsCreated) and of its audit entries (ReadAuditEntry), and whether it waits for that
// viewer (DoneFor, IsOverdue); the engine applies them in its scoped reads.
//
// A Workflow is stateless and immutable after construction: Create and Fire are pure
// functions of their request (plus queries through WorkflowEnv) and are safe to call from any
// thread. The engine calls them only from its writer thread, inside the command's transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/audit.h"
#include "engine/fields.h"
#include "engine/instance.h"
#include "engine/json.h"
#include "engine/record.h"
#include "engine/status.h"
#include "engine/store.h"

namespace rsoflow {

// A code's name for people, in each language the app speaks (API.md 1.1, "Labels").
struct Label {
  std::string en;
  std::string ru;
};
using LabelMap = std::map<std::string, Label>;  // by code

struct StateInfo {
  std::string name;
  bool terminal = false;
};

struct EventInfo {
  std::string name;
  std::vector<std::string> roles;  // union over the rows of the table
};

struct TransitionInfo {
  std::string from;
  std::string event;
  std::string to;
  std::vector<std::string> roles;
  std::string guard;  // guard name, empty if none
};

// How the API starts an instance of a workflow: POST on `path` (API.md) with the caller's
// roles among the workflow's create_roles. A workflow without one starts otherwise (an RSO's
// recognition with its RSO, a ballot from a follow-up...).
struct CreateRoute {
  std::string path;  // e.g. "/api/v1/ballots"; empty: no creation route
  // The body's "rso_id" is the instance's RSO; the rest of the body is the creation data.
  bool rso_id_in_body = false;
  // The creation data's one field list: the workflow's Create checks its data with it, the
  // API and its document take its client fields (not the internal ones, which only other
  // workflows give) as the body's; rso_id is added when rso_id_in_body.
  FieldList fields;
  // The API refuses, in its own wording (BodyFields: "unknown or read-only field(s)", "missing
  // field(s)"), a body with a member outside the client fields or without a required one,
  // before the workflow sees it. A route whose fields include internal ones needs it.
  bool body_names_first = false;
  // What the API document says of the route (api/openapi_paths.cpp generates its path item
  // from these, the fields and the workflow's title and create_roles; no hand-written entry in
  // api/openapi.yaml):
  std::string operation_id;         // default "create" + the workflow's name in CamelCase
  std::string summary;              // default "Start a <title>"
  std::string description;          // more for people, when it matters
  std::string created = "Created";  // the 201 answer's description
};

// A workflow whose instance is an RSO's status (DESIGN 4: an RSO is its record plus the state
// of its recognition): /api/v1/rsos starts one with each RSO and shows its latest instance's
// state as the RSO's status.
struct RsoStatusRole {
  bool carries_rso_status = false;
  std::string edit_event;        // PATCH /api/v1/rsos/{id} fires it to edit the dossier
  std::string recognized_state;  // the state the summary report counts as "recognized"
};

struct WorkflowMeta {
  std::string name;
  int version = 1;
  std::string title;
  std::string initial_state;
  std::vector<std::string> create_roles;  // who may start an instance
  CreateRoute create;
  // Events that are always at hand in their states (cancel, suspend, extend...) but do not
  // mean the instance waits for whoever may fire them: the inbox ignores them.
  std::vector<std::string> standing_events;
  // Roles whose events are accepted only with a session or token the user obtained itself (its
  // login, or a token it created), never with one another user, the command line or an unknown
  // issuer gave it: separation of duties (issue 17, finding 2; the Council's vote). The rule
  // holds for every event of such a role (AccessPolicy::CheckOwnCredential).
  std::vector<std::string> own_credential_roles;
  RsoStatusRole rso_status;  // at most one workflow of a registry carries it
  std::vector<StateInfo> states;
  std::vector<EventInfo> events;
  std::vector<TransitionInfo> transitions;
  // Names for people: the workflow's, each state's and each event's by name, and each reason
  // code the workflow's own guards give (codes shared by several workflows are listed in
  // workflows/labels.h).
  Label label;
  LabelMap state_labels;
  LabelMap event_labels;
  LabelMap reason_labels;

  const StateInfo* FindState(const std::string& name) const;
  const EventInfo* FindEvent(const std::string& name) const;
  bool IsTerminal(const std::string& state) const;
  bool RoleMayFire(const std::string& role, const std::string& event) const;
  // Events with a row from `state` that `role` may fire (no guards evaluated), sorted.
  std::vector<std::string> EventsFrom(const std::string& state, const std::string& role) const;
  // Whether a row leads from `state` on `event`, for any role: checked on every command, so
  // it builds nothing.
  bool HasTransition(const std::string& state, const std::string& event) const;
  // Events with a row from `state` for any role, sorted.
  std::vector<std::string> AllEventsFrom(const std::string& state) const;
  // True when `allowed` (events a caller may fire now) holds one that is not standing: the
  // instance waits for that caller.
  bool AwaitsAny(const std::vector<std::string>& allowed) const;
};

// Renders the transition table; `highlight` (a state name) is drawn emphasised.
std::string RenderMermaid(const WorkflowMeta& meta, const std::string& highlight = "");
std::string RenderDot(const WorkflowMeta& meta, const std::string& highlight = "");
// {"name","version","title","states":[...],"events":[...],"transitions":[...]} as in API.md,
// with "labels": {"en","ru"} on the workflow, each state and each event.
Json MetaToJson(const WorkflowMeta& meta);

// Queries a workflow may make while it decides, answered inside the command's transaction.
class WorkflowEnv {
 public:
  virtual ~WorkflowEnv() = default;
  // Active (not disabled) users with the role, ordered by id.
  virtual Result<std::vector<UserRef>> ActiveUsersWithRole(const std::string& role) = 0;
  // Atomically increments and returns the named counter (1 for a new name).
  virtual Result<int64_t> NextCounter(const std::string& name) = 0;
  virtual Result<Instance> LoadInstance(int64_t id) = 0;
  // Non-terminal instances of `workflow` whose subject is `subject_id`.
  virtual Result<std::vector<int64_t>> ActiveInstancesWithSubject(const std::string& workflow,
                                                                  int64_t subject_id) = 0;
  virtual Result<std::vector<Instance>> FindInstances(const InstanceQuery& query) = 0;
  // Domain records, read and written in the command's transaction.
  virtual Result<Record> GetRecord(const std::string& kind, const std::string& id) = 0;
  virtual Result<std::string> InsertRecord(const Record& record) = 0;
  virtual Status UpdateRecord(const Record& record) = 0;
  // The register of resolutions (ResolutionStore): the next free number of a year, and a
  // decision recorded in it (a number already taken is kDuplicate).
  virtual Result<int64_t> NextResolutionNumber(int year) = 0;
  virtual Status RecordResolution(const Resolution& resolution) = 0;
  // The instance's current (not superseded) documents, oldest first: a ballot freezes its
  // subject's when it opens (DESIGN 8).
  virtual Result<std::vector<Document>> CurrentDocuments(int64_t instance_id) = 0;
};

struct TimerSpec {
  std::string name;  // unique per instance; setting it again replaces it
  int64_t due_at = 0;
  std::string event;  // the system event fired when due
};

// A command the engine runs after this one, in the same transaction, as actor `system`.
struct FollowUp {
  int64_t instance_id = 0;     // fire `event` on this instance, or
  std::string start_workflow;  // start an instance of this workflow
  std::string event;
  Json data = Json::MakeObject();
  std::string comment;
  std::string rso_id;      // start only
  int64_t subject_id = 0;  // start only
};

struct Effects {
  std::vector<TimerSpec> set_timers;
  std::vector<std::string> clear_timers;
  bool clear_all_timers = false;
  std::vector<FollowUp> follow_ups;
  // The instance's new title (lists and the inbox show it), when the event renamed it.
  std::optional<std::string> new_title;
};

struct CreateRequest {
  const Actor& actor;
  const Json& data;
  std::string rso_id;
  int64_t subject_id = 0;
  int64_t now = 0;
  WorkflowEnv& env;
};

struct CreateOutcome {
  std::string title;
  Json data = Json::MakeObject();
  std::string rso_id;
  Effects effects;
};

struct FireRequest {
  const Instance& instance;
  const std::string& event;
  const Actor& actor;  // under a mandate: the user acted for (the delegator)
  const Json& data;    // the event's payload (an object)
  const std::string& comment;
  int64_t now = 0;
  WorkflowEnv& env;
  // The engine's own copy of instance.data, which it replaces with the outcome's data: a
  // workflow may move from it (instead of copying) once it has read what it needs, after
  // which instance.data must not be read again.
  Json* instance_data_to_take = nullptr;
  // Under a mandate, the user who acts (the delegate), whose own exclusions also apply; null
  // when the actor acts for itself.
  const Actor* delegate = nullptr;
};

struct FireOutcome {
  std::string to_state;
  Json data = Json::MakeObject();  // the instance's new data
  Effects effects;
};

// An audit entry as one viewer reads it. The workflow's rule (Workflow::ReadAuditEntry) may
// blank fields of `entry` (an empty comment or request_id reads as null) and hide who acted;
// the engine's scoped reads (engine/scoped_reads.h) then decide what of the hash chain shows.
struct AuditEntryView {
  AuditEntry entry;
  bool redacted = false;      // the workflow hid part of the entry from this viewer
  bool actor_hidden = false;  // who acted reads as null (user id and name, token and issuer)
  bool salt_shown = true;
  bool hash_shown = true;
  bool prev_hash_shown = true;
};

class Workflow {
 public:
  virtual ~Workflow() = default;
  virtual const WorkflowMeta& Meta() const = 0;
  // Validates the creation data and builds the initial data (initial state is Meta's).
  virtual Result<CreateOutcome> Create(const CreateRequest& request) const = 0;
  // Runs the event through the machine. The engine has already checked role, scope, version
  // and that a row exists for (state, event); guards and payload validation happen here.
  virtual Result<FireOutcome> Fire(const FireRequest& request) const = 0;
  // The instance's data as `viewer` may see it (visibility rules); all of it by default.
  virtual Json View(const Instance& instance, const Actor& viewer) const {
    (void)viewer;
    return instance.data;
  }
  // True when `viewer` reads the instance as it was created (version 1, updated_at its
  // created_at): how often and when it changed would tell what the viewer may not see.
  virtual bool ReadsAsCreated(const Instance& instance, const Actor& viewer) const {
    (void)instance, (void)viewer;
    return false;
  }
  // True when `viewer` has nothing left to do on the instance although its role may fire
  // events there now (a Council member who has voted): the inbox leaves it out.
  virtual bool DoneFor(const Instance& instance, const Actor& viewer) const {
    (void)instance, (void)viewer;
    return false;
  }
  // Whether ReadAuditEntry needs the entry's instance as it is now (the engine reads it once
  // per page and instance); when false it is given nullptr.
  virtual bool AuditReadNeedsInstance() const { return false; }
  // One of this workflow's audit entries as `viewer` may read it, or nullopt when `viewer` may
  // not read it at all; the whole entry by default.
  virtual std::optional<AuditEntryView> ReadAuditEntry(AuditEntry entry, const Instance* instance,
                                                       const Actor& viewer) const {
    (void)instance, (void)viewer;
    return AuditEntryView{std::move(entry)};
  }
  // True while the instance's documents may not change (DESIGN 8): a recognition whose ballot
  // is open, a ballot once voted on. Uploads then answer 409 locked.
  virtual bool DocumentsFrozen(const Instance& instance) const {
    (void)instance;
    return false;
  }
  // True when the instance is late for whoever must act on it (the inbox's "overdue"): by
  // default when its earliest pending timer is due.
  virtual bool IsOverdue(const Instance& instance, int64_t now) const {
    return instance.due_at.has_value() && *instance.due_at <= now;
  }
  // True when IsOverdue(instance, now) implies due_at <= now (the default above), so the inbox
  // may read only the due instances of a state where a role's events are merely standing.
  virtual bool OverdueOnlyWhenDue() const { return true; }
};

}  // namespace rsoflow
