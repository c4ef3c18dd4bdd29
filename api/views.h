// The API representations (API.md) shared by several resources: an instance and an audit
// entry as a given caller reads them. What a caller may read is decided before (the engine's
// scoped reads and each workflow's visibility rules); these only render it.
//
// Thread-safety: pure functions (the engine's reads are thread-safe).
#pragma once

#include "engine/audit.h"
#include "engine/engine.h"

namespace rsoflow::api {

// {"id","workflow","workflow_version","state","version","rso_id","subject_instance_id",
//  "title","data","created_at","created_by","updated_at","due_at","terminal",
//  "allowed_events"}.
Json InstanceJson(InstanceView view);
// An instance `viewer` may see (read through the engine, or written by its command).
Json InstanceJson(const Engine& engine, const Instance& instance, const Actor& viewer);

// {"seq","at","instance_id","workflow","event","from_state","to_state",
//  "actor":{"user_id","username","role","token_id","token_issued_by"},"on_behalf_of",
//  "comment","data","request_id","salt","prev_hash","hash"} (instance_id null for the entries
// about users and tokens) and "redacted": true when the workflow hid part of it; without
// "salt", and with hash or prev_hash null, as the view says.
Json AuditEntryJson(const AuditEntryView& view);

}  // namespace rsoflow::api
