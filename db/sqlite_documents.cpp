// SqliteStore's DocumentStore (engine/store/document_store.h): documents with their bytes in
// the row, written and read through SQLite's incremental blob I/O in chunks.
#include <sqlite3.h>

#include <algorithm>

#include "db/query.h"
#include "db/sql.h"
#include "db/sqlite_store.h"
#include "engine/sha256.h"

namespace rsoflow::db {
namespace {

constexpr int kChunk = 64 * 1024;

Document ReadDocumentRow(const Statement& s) {
  Document d;
  d.id = s.Int(0);
  d.instance_id = s.Int(1);
  d.filename = s.Text(2);
  d.media_type = s.Text(3);
  d.size = s.Int(4);
  d.sha256 = s.Text(5);
  d.uploaded_at = s.Int(6);
  d.uploaded_by = s.Text(7);
  d.superseded_by = s.OptionalInt(8).value_or(0);
  return d;
}

Result<Document> QueryDocument(Connection& c, int64_t id) {
  auto found = Query(c, sql::kSelectDocument, "select document").Bind(id).First(ReadDocumentRow);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no document " + std::to_string(id));
  return std::move(**found);
}

// Closes the blob handle on every path.
struct Blob {
  sqlite3_blob* handle = nullptr;
  ~Blob() {
    if (handle != nullptr) sqlite3_blob_close(handle);
  }
};

}  // namespace

Result<Document> SqliteStore::InsertDocument(const Document& document, const std::string& bytes) {
  Document d = document;
  d.size = static_cast<int64_t>(bytes.size());
  d.superseded_by = 0;
  Query q = Write(sql::kInsertDocument, "insert document");
  RSOFLOW_RETURN_IF_ERROR(
      q.Bind(d.instance_id, d.filename, d.media_type, d.size, d.uploaded_at, d.uploaded_by).Run());
  d.id = q.LastInsertId();
  // The bytes in chunks into the zeroblob, hashed as they are written.
  Blob blob;
  if (sqlite3_blob_open(writer_->handle(), "main", "documents", "content", d.id, 1,
                        &blob.handle) != SQLITE_OK) {
    return writer_->Error("open document blob");
  }
  Sha256Stream sha;
  for (size_t at = 0; at < bytes.size(); at += kChunk) {
    const int n = static_cast<int>(std::min<size_t>(kChunk, bytes.size() - at));
    if (sqlite3_blob_write(blob.handle, bytes.data() + at, n, static_cast<int>(at)) != SQLITE_OK) {
      return writer_->Error("write document blob");
    }
    sha.Update(bytes.data() + at, static_cast<size_t>(n));
  }
  d.sha256 = sha.FinishHex();
  RSOFLOW_RETURN_IF_ERROR(
      Write(sql::kSetDocumentSha256, "set document sha256").Bind(d.id, d.sha256).Run());
  return d;
}

Result<Document> SqliteStore::GetDocumentForWrite(int64_t id) { return QueryDocument(*writer_, id); }

Status SqliteStore::MarkSuperseded(int64_t id, int64_t by) {
  Query q = Write(sql::kSupersedeDocument, "supersede document");
  RSOFLOW_RETURN_IF_ERROR(q.Bind(id, by).Run());
  if (q.Changes() == 0) {
    return Status::InvalidRequest("document " + std::to_string(id) + " is already superseded",
                                  {"supersedes"});
  }
  return Status::Ok();
}

Result<std::vector<Document>> SqliteStore::CurrentDocumentsForWrite(int64_t instance_id) {
  return Query(*writer_, sql::kListCurrentDocuments, "list current documents")
      .Bind(instance_id)
      .All(ReadDocumentRow);
}

Result<Document> SqliteStore::GetDocument(int64_t id) {
  return OnReader([&](Connection& c) { return QueryDocument(c, id); });
}

Result<std::vector<Document>> SqliteStore::ListDocuments(int64_t instance_id) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kListDocuments, "list documents").Bind(instance_id).All(ReadDocumentRow);
  });
}

Status SqliteStore::ReadDocument(int64_t id, const DocumentChunkFn& fn) {
  return OnReader([&](Connection& c) -> Status {
    Blob blob;
    if (sqlite3_blob_open(c.handle(), "main", "documents", "content", id, 0, &blob.handle) !=
        SQLITE_OK) {
      return c.Error("open document blob");
    }
    const int size = sqlite3_blob_bytes(blob.handle);
    char buf[kChunk];
    for (int at = 0; at < size; at += kChunk) {
      const int n = std::min(kChunk, size - at);
      if (sqlite3_blob_read(blob.handle, buf, n, at) != SQLITE_OK) {
        return c.Error("read document blob");
      }
      if (!fn(buf, static_cast<size_t>(n))) break;
    }
    return Status::Ok();
  });
}

Status SqliteStore::ForEachDocument(const std::function<bool(const Document&)>& fn) {
  int64_t after = 0;
  constexpr int kPage = 500;
  for (;;) {
    auto page = OnReader([&](Connection& c) {
      return Query(c, sql::kAllDocumentsAfter, "list all documents")
          .Bind(after, kPage)
          .All(ReadDocumentRow);
    });
    if (!page.ok()) return page.status();
    for (const Document& d : *page) {
      if (!fn(d)) return Status::Ok();
    }
    if (page->size() < static_cast<size_t>(kPage)) return Status::Ok();
    after = page->back().id;
  }
}

}  // namespace rsoflow::db
