// Historical import (API.md 1.1 "Historical import", DESIGN 8): facts that happened before
// rsoflow, loaded with their real dates instead of being replayed as if they happened now.
// `rsoflow import FILE` (app/) and `POST /api/v1/import` (api/) both call Import.
//
// The document (docs/API.md "Historical import" has the fields of each section):
//   {"rsos": [...], "iso_events": [...], "resolutions": [...], "ballots": [...],
//    "initiatives": [...], "momentum_plans": [...]}
// RSOs are recognized (state `recognized`) with `recognized_on` and `resolution`; ballots,
// initiatives and plans are finished (a terminal state). Every object has a stable external
// key (an RSO its acronym, a resolution its number, the others their `key`); an object whose
// key was imported before is refused (409 duplicate), so importing the same data twice writes
// nothing the second time.
//
// Each imported object is ONE audit entry, event `import`, at the time of the import, by the
// importing actor, with the historical date in `data.effective_on` (null when unknown) and the
// object as given in `data.imported`. Resolutions (an RSO's, a ballot's, a standalone one)
// enter the register with source `import`. The whole import is one transaction (one job of the
// engine's writer): a failure anywhere writes nothing.
//
// Errors name the object and the field as a path ("rsos[3].recognized_on") in Status::fields,
// so the API answers 400 naming it and the command line can find its line in the file.
//
// Thread-safety: Import may be called from any thread; it waits for the engine's writer.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "engine/command.h"
#include "engine/engine.h"
#include "engine/json.h"
#include "engine/status.h"

namespace rsoflow::history {

// The audit workflow names of imported objects that are not workflow instances.
inline constexpr const char* kIsoEventsAuditWorkflow = "iso_events";
// The record kind that holds each imported object's external key (unique).
inline constexpr const char* kImportKeyKind = "import_key";

struct ImportReport {
  std::map<std::string, int> counts;                 // section -> objects imported
  std::map<std::string, std::string> rso_ids;        // acronym -> RSO id
  std::map<std::string, int64_t> recognition_ids;    // acronym -> recognition instance id
  std::map<std::string, std::string> iso_event_ids;  // key -> ISO event id
  std::map<std::string, int64_t> instance_ids;       // key -> ballot/initiative/plan id
  int64_t first_seq = 0;                             // the audit entries it wrote
  int64_t last_seq = 0;

  int Total() const;
  // {"imported": {section: count}, "rsos": {acronym: id}, "iso_events": {key: id},
  //  "instances": {key: id}, "audit": {"first_seq", "last_seq"}}
  Json ToJson() const;
};

// The sections of a document, in the order they are imported.
const std::vector<std::string>& Sections();

// Checks the document's form without the database: unknown sections or fields, types, dates
// (YYYY-MM-DD, not after `today`), resolution numbers (N/YYYY, of the year of their date),
// states. InvalidRequest naming the field path.
Status CheckDocument(const Json& document, const std::string& today);

// Imports `document` as `by.actor` (its request id, address and token are recorded too), in
// one transaction. Besides CheckDocument's refusals: Duplicate when an object's key, an RSO's
// acronym or a resolution number is taken; InvalidRequest naming the field when a reference
// (an RSO acronym, an ISO event or initiative key) is unknown or a workflow refuses the object.
Result<ImportReport> Import(Engine& engine, const Json& document, const Command& by);

}  // namespace rsoflow::history
