// Documents as evidence attached to an instance (API.md "Documents", DESIGN 8): upload (the
// raw body, its type checked against its bytes), the list of an instance's documents, and the
// download (always an attachment, never rendered inline). The writes are the engine's
// (engine/documents.h); the sniffing is engine/media_sniff.h.
//
// Thread-safety: handlers are called concurrently from Poco's server threads.
#pragma once

#include "api/routes.h"
#include "engine/documents.h"  // kMaxDocumentBytes

namespace rsoflow::api {

Result<Reply> UploadDocument(ApiContext& ctx, const Request& req);
Result<Reply> ListInstanceDocuments(ApiContext& ctx, const Request& req);
Result<Reply> DownloadDocument(ApiContext& ctx, const Request& req);

// GET /api/v1/audit/verify?documents=true (audit_routes.cpp): whether the query asks for the
// document check ("true" or "false"; InvalidRequest naming "documents" otherwise), and the
// check itself, added to the verify answer as "documents": {"checked","first_bad_document",
// "problem"}; a bad document also makes "ok" false and names itself in "problem".
Result<bool> WantsDocumentCheck(const Request& req);
Status AddDocumentCheck(Store& store, Json* verify_body);

// `attachment; filename*=UTF-8''<name percent-encoded>` (RFC 6266, RFC 8187).
std::string AttachmentDisposition(const std::string& filename);

}  // namespace rsoflow::api
