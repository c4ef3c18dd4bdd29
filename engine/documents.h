// Documents as evidence attached to an instance (DESIGN 8): the upload as one write of the
// engine's writer (the row with its bytes, the superseded one marked, the instance's version
// raised and one audit entry `attach_document`, all in one savepoint), the document's JSON,
// and the check that every stored document still hashes to what its audit entry recorded.
//
// Thread-safety: AttachDocument and VerifyDocuments may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/command.h"
#include "engine/engine.h"
#include "engine/store.h"

namespace rsoflow {

inline constexpr size_t kMaxDocumentBytes = size_t{20} << 20;  // 20 MiB
inline constexpr size_t kMaxDocumentFilenameBytes = 255;

struct DocumentUpload {
  int64_t instance_id = 0;
  std::string filename;
  std::string media_type;
  std::string bytes;
  int64_t supersedes = 0;  // 0: none
};

// The document as API.md shows it (ids as strings, uploaded_at RFC 3339, superseded_by null).
Json DocumentJson(const Document& d);

// Checks the filename (1..255 bytes of UTF-8, no control character, no '/' or '\\'); the
// field named in the InvalidRequest is "filename".
Status CheckDocumentFilename(const std::string& filename);

// Attaches `upload` to its instance on behalf of `by` (actor, request id, client address,
// token: as a command carries them). NotFound when `by` may not see the instance; Forbidden
// unless `by` is the secretariat or a liaison of the instance's RSO; Locked while the
// instance's workflow says its documents are frozen (Workflow::DocumentsFrozen);
// InvalidRequest naming "supersedes" when that document is unknown, of another instance or
// already superseded. The media type and bytes are the caller's to check (media_sniff.h).
Result<Document> AttachDocument(Engine& engine, const Command& by, DocumentUpload upload);

struct DocumentVerifyResult {
  bool ok = true;
  int64_t documents = 0;
  std::optional<int64_t> first_bad_document;
  std::string problem;
};

// Recomputes every stored document's SHA-256 from its bytes and compares it with the one its
// `attach_document` audit entry recorded (and with its row). Reader side only: works on a
// store opened read-only (`rsoflow audit verify --documents`).
Result<DocumentVerifyResult> VerifyDocuments(Store& store);

}  // namespace rsoflow
