// The sample data's evidence (DESIGN 8): documents attached to its instances and a decision
// the Council took in session, so the demo shows a ballot with the documents it froze and a
// register with ballot, session and imported decisions. Seed steps (samples/README.md):
//   {"attach": REF, "as": USER, "filename": "x.pdf", "lines": ["text", ...]}
//   {"decide": {"number", "decided_on", "title", "outcome", "subject"?: REF}, "as": USER}
//
// Thread-safety: each call waits for its job on the engine's writer; call from one thread.
#pragma once

#include <string>
#include <vector>

#include "engine/command.h"
#include "engine/engine.h"

namespace rsoflow::seed {

// A one-page PDF that shows `lines`, so a demo document opens in any reader.
std::string DemoPdf(const std::vector<std::string>& lines);

// Attaches the PDF of the step's `lines` as `filename` to `instance_id`, as `by.actor`.
Status AttachDemoDocument(Engine& engine, const Command& by, int64_t instance_id, const Json& step);

// Records the step's `decide` object as a decision taken in session (subject_instance_id
// already resolved by the caller: 0 for none).
Status RecordDemoDecision(Engine& engine, const Command& by, const Json& decision,
                          int64_t subject_instance_id);

}  // namespace rsoflow::seed
