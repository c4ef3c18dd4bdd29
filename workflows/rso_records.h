// The domain records of the RSO partnership workflows and their validation: RSOs (kind
// "rso", key = acronym) and ISO events (kind "iso_event"). Shared by the workflows that need
// them; plain functions, no MSM.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "engine/fields.h"
#include "engine/json.h"
#include "engine/status.h"
#include "engine/workflow.h"

namespace rsoflow::rso {

inline constexpr const char* kRsoKind = "rso";
inline constexpr const char* kIsoEventKind = "iso_event";

// The regions of the ISO Regional Engagement Policy.
const std::vector<std::string>& Regions();
bool IsRegion(const std::string& region);
// ISO 3166-1 alpha-2 (the 249 officially assigned codes).
bool IsCountryCode(const std::string& code);

// "26/1992" for regional, "34/2011" for sub-regional RSOs (the Council resolutions that made
// relations with each kind subject to Council approval).
std::string LegalBasis(const std::string& kind);

// An RSO's dossier, its one field list (registration, edit_dossier): every problem at once,
// each field named.
const FieldList& DossierFields();
// Validates RSO dossier fields (DossierFields). With `partial`, only the fields present are
// checked (edit_dossier, refused when it changes none); otherwise acronym, name, kind, region
// and member_bodies are required. Unknown fields and invalid values are an InvalidRequest
// naming each field. Returns the normalized fields (acronym upper-case, member bodies
// upper-case, sorted, unique).
Result<Json> ValidateDossier(const Json& fields, bool partial);

// One reason per missing item for a dossier to be submitted: name, acronym, kind, region,
// at least 2 member bodies, statutes_ref. Empty when complete.
std::vector<Reason> DossierGaps(const Json& dossier);

// The state of the RSO's current recognition instance (the newest one), or NotFound when the
// RSO has none. Read inside the command's transaction.
Result<std::string> RecognitionState(WorkflowEnv& env, const std::string& rso_id);
// Guard helper: no reason (an empty code) when the RSO is recognized, otherwise the reason it
// is not (rso_not_recognized; rso_not_registered for an RSO with no recognition); a storage
// failure is the failed Status, not a reason.
Result<Reason> NotRecognizedReason(WorkflowEnv& env, const std::string& rso_id);

// The ISO event types of API.md.
const std::vector<std::string>& IsoEventTypes();

// An ISO event, its one field list: every problem at once, each field named.
const FieldList& IsoEventFields();
// Validates an ISO event (IsoEventFields): title, type, region, rso_ids (ids of registered
// RSOs, checked by the caller), starts_on and ends_on (YYYY-MM-DD, end not before start),
// location optional. Unknown fields and invalid values are an InvalidRequest naming each field.
// Returns the normalized fields.
Result<Json> ValidateIsoEvent(const Json& fields);

// The record key of an ISO event (unique per kind): "<starts_on> <title>".
std::string IsoEventKey(const Json& event);

// True when the ISO event's rso_ids include `rso_id`.
bool IsoEventLists(const Json& event, const std::string& rso_id);

// The ISO event `event_id` as `caller` may see it, read inside the command's transaction.
// InvalidRequest "no ISO event <id>" naming `field` when there is none, and also, for a
// liaison, when the event does not list the liaison's RSO: a liaison cannot tell an event
// outside its scope from one that does not exist (DESIGN 5).
Result<Record> FindIsoEvent(WorkflowEnv& env, const std::string& event_id, const Actor& caller,
                            const std::string& field);

// Guard helper: no reason (an empty code) when the ISO event lists `rso_id`, otherwise the
// reason (iso_event_does_not_list_rso) a plan or an initiative of that RSO may not refer to it.
Reason NotListedReason(const Record& event, const std::string& rso_id);

}  // namespace rsoflow::rso
