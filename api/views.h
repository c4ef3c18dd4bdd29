// The API representations (API.md) shared by several resources: an instance as a given
// caller sees it, and an audit entry.
//
// Thread-safety: pure functions (the engine's reads are thread-safe).
#pragma once

#include "engine/audit.h"
#include "engine/engine.h"

namespace rsoflow::api {

// {"id","workflow","workflow_version","state","version","rso_id","subject_instance_id",
//  "title","data","created_at","created_by","updated_at","due_at","terminal",
//  "allowed_events"}: data filtered by the workflow's visibility rules for `viewer`,
// allowed_events the events `viewer` may fire now.
Json InstanceJson(const Engine& engine, const Instance& instance, const Actor& viewer);

// {"seq","at","instance_id","workflow","event","from_state","to_state",
//  "actor":{"user_id","username","role","token_id","token_issued_by"},"on_behalf_of",
//  "comment","data","request_id","salt","prev_hash","hash"}: every field (instance_id null for
// the entries about users and tokens); ballot_secrecy.h AuditView decides what a given viewer
// reads of it.
Json AuditEntryJson(const AuditEntry& entry);

}  // namespace rsoflow::api
