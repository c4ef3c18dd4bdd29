// DocumentStore: documents attached to an instance as evidence (DESIGN 8), one part of the
// Store (engine/store.h). A document's bytes are stored with its row and never deleted; a
// newer upload marks the one it replaces superseded_by.
//
// The writer side (InsertDocument, GetDocumentForWrite, MarkSuperseded) is called only by the
// engine's writer thread inside a transaction; the reader side is thread-safe and sees the
// last committed state. Bytes move in chunks (SQLite's incremental blob I/O), never a whole
// file at once on the way out. A storage failure is Code::kUnavailable.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/status.h"

namespace rsoflow {

struct Document {
  int64_t id = 0;
  int64_t instance_id = 0;
  std::string filename;
  std::string media_type;
  int64_t size = 0;
  std::string sha256;  // lower-case hex of the bytes, as written
  int64_t uploaded_at = 0;
  std::string uploaded_by;    // user id
  int64_t superseded_by = 0;  // 0: current
};

// Called with each chunk of a document's bytes in order; false stops the read.
using DocumentChunkFn = std::function<bool(const char* data, size_t size)>;

class DocumentStore {
 public:
  virtual ~DocumentStore() = default;

  // ---- writer side ----
  // Inserts the row (id, sha256 and size are the store's: computed from `bytes` while they are
  // written) and answers it as stored.
  virtual Result<Document> InsertDocument(const Document& document, const std::string& bytes) = 0;
  virtual Result<Document> GetDocumentForWrite(int64_t id) = 0;
  virtual Status MarkSuperseded(int64_t id, int64_t by) = 0;
  // The instance's current (not superseded) documents, oldest first, as the writer sees them.
  virtual Result<std::vector<Document>> CurrentDocumentsForWrite(int64_t instance_id) = 0;

  // ---- reader side (thread-safe) ----
  virtual Result<Document> GetDocument(int64_t id) = 0;
  // Every document of the instance, oldest first.
  virtual Result<std::vector<Document>> ListDocuments(int64_t instance_id) = 0;
  // The document's bytes, chunk by chunk.
  virtual Status ReadDocument(int64_t id, const DocumentChunkFn& fn) = 0;
  // Every document's row, by id; stops when fn is false.
  virtual Status ForEachDocument(const std::function<bool(const Document&)>& fn) = 0;
};

}  // namespace rsoflow
