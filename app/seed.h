// Seed: loads a sample data set (samples/dataset.json) into an EMPTY database through the real
// engine, so every sample instance has a clean audit trail: the past (RSOs recognized before
// rsoflow, past ISO events, resolutions, finished ballots, initiatives and plans) is imported
// with its real dates by `system` (workflows/history, the same import as `rsoflow import`);
// everything live is done step by step by the demo users, each step checked by the
// workflows' rules exactly as over the API.
//
// The data set is written to a temporary file next to the database and renamed over it only
// when every step succeeded: a failed seed leaves nothing half-written.
//
// Data set format (documented for authors in samples/README.md), in the order it is loaded:
//   {"history": {an import document: "rsos", "iso_events", "resolutions", "ballots",
//                "initiatives", "momentum_plans"; docs/API.md "Historical import"},
//    "rsos": [{dossier fields...}]  (applications, started in draft),
//    "users": [{"username","display_name","role","rso"?: ACRONYM,"affiliated"?: [ACRONYM]}],
//    "iso_events": [{"key", "title", "type", "region", "rsos": [ACRONYM], "starts_on",
//                    "ends_on", "location"?}],
//    "activity": [{"start": WORKFLOW, "as": USER, "rso"?: ACRONYM, "ref"?: NAME, "data"?: {}}
//               | {"fire": REF, "event", "as": USER, "comment"?, "data"?, "ballot_ref"?: NAME}]}
// Strings of the live sections may use ${today+N}, ${today-N} (dates), ${now+Nd}, ${now-Nd}
// (times), ${event:KEY}, ${ref:NAME}, ${rso:ACRONYM}. REF is a NAME (or the key of an
// imported ballot, initiative or plan) or "rso:ACRONYM" (the RSO's recognition instance); KEY
// may be an imported ISO event's.
//
// Thread-safety: call from one thread; it opens its own runtime on the temporary file.
#pragma once

#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/json.h"
#include "engine/status.h"

namespace rsoflow::seed {

struct SeedOptions {
  std::string db_path;
  std::string password;  // every demo user's password
  int pbkdf2_iterations = 600000;
};

struct SeedReport {
  int rsos = 0;
  int users = 0;
  int iso_events = 0;
  int steps = 0;
  int imported = 0;  // objects of the history (its RSOs and ISO events also counted above)
  std::vector<std::string> user_lines;  // "username (role)" for printing
};

// True when the database at `path` does not exist or holds no users, records or instances.
Result<bool> DatabaseIsEmpty(const std::string& path);

// Seeds `options.db_path` (which must be empty) from `dataset`. On failure the database is
// unchanged and the status names the failing entry (e.g. "activity[12] (fire b1 vote)").
Result<SeedReport> SeedDatabase(const Json& dataset, const SeedOptions& options, Clock& clock);

}  // namespace rsoflow::seed
