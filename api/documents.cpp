#include "api/documents.h"

#include <algorithm>
#include <cctype>

#include "api/handlers.h"
#include "api/problem.h"
#include "engine/documents.h"
#include "engine/media_sniff.h"

namespace rsoflow::api {
namespace {

// The media type without parameters, lower-cased ("text/plain; charset=utf-8" is text/plain:
// the bytes are checked to be UTF-8 anyway).
std::string BareType(const std::string& content_type) {
  std::string t = content_type.substr(0, content_type.find(';'));
  t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
  std::transform(t.begin(), t.end(), t.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return t;
}

Reply Unsupported(const std::string& detail) {
  Reply r = UnsupportedMediaType("");
  r.json.Set("detail", detail);
  return r;
}

}  // namespace

std::string AttachmentDisposition(const std::string& filename) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = "attachment; filename*=UTF-8''";
  for (char ch : filename) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

Result<bool> WantsDocumentCheck(const Request& req) {
  const auto it = req.query.find("documents");
  if (it == req.query.end() || it->second == "false") return false;
  if (it->second == "true") return true;
  return Status::InvalidRequest("documents is true or false", {"documents"});
}

Status AddDocumentCheck(Store& store, Json* body) {
  auto r = VerifyDocuments(store);
  if (!r.ok()) return r.status();
  Json d = Json::MakeObject();
  d.Set("checked", r->documents);
  d.Set("first_bad_document",
        r->first_bad_document ? Json(std::to_string(*r->first_bad_document)) : Json());
  d.Set("problem", r->problem.empty() ? Json() : Json(r->problem));
  body->Set("documents", std::move(d));
  if (!r->ok) {
    const bool chain_ok = body->GetBool("ok");
    body->Set("ok", false);
    if (chain_ok) body->Set("problem", r->problem);
  }
  return Status::Ok();
}

Result<Reply> UploadDocument(ApiContext& ctx, const Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"filename", "supersedes"}));
  DocumentUpload up;
  up.instance_id = *id;
  const auto name = req.query.find("filename");
  if (name == req.query.end()) {
    return Status::InvalidRequest("?filename= is required", {"filename"});
  }
  RSOFLOW_RETURN_IF_ERROR(CheckDocumentFilename(name->second));
  up.filename = name->second;
  if (const auto s = req.query.find("supersedes"); s != req.query.end()) {
    const std::string& v = s->second;
    const bool digits = !v.empty() && v.size() <= 18 &&
                        std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    up.supersedes = digits ? std::stoll(v) : 0;
    if (up.supersedes <= 0) {
      return Status::InvalidRequest("supersedes is a document id", {"supersedes"});
    }
  }
  if (req.raw_body.empty()) {
    return Status::InvalidRequest("the body is the document's bytes, and it is empty", {"body"});
  }
  up.media_type = BareType(req.content_type);
  if (!IsAcceptedDocumentType(up.media_type)) {
    return Unsupported("a document is one of application/pdf, image/png, image/jpeg, "
                       "text/plain, application/vnd.openxmlformats-officedocument."
                       "wordprocessingml.document, application/vnd.oasis.opendocument.text; "
                       "not '" + req.content_type + "'");
  }
  if (!BytesMatchMediaType(up.media_type, req.raw_body)) {
    return Unsupported("the bytes are not " + up.media_type);
  }
  up.bytes = req.raw_body;
  auto doc = AttachDocument(ctx.engine(), CommandFor(req), std::move(up));
  if (!doc.ok()) return doc.status();
  return JsonReply(201, DocumentJson(*doc))
      .Header("Location", "/api/v1/documents/" + std::to_string(doc->id));
}

Result<Reply> ListInstanceDocuments(ApiContext& ctx, const Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  auto inst = ctx.engine().GetInstance(*id, req.actor);
  if (!inst.ok()) return inst.status();
  auto docs = ctx.store().ListDocuments(*id);
  if (!docs.ok()) return docs.status();
  Json items = Json::MakeArray();
  for (const Document& d : *docs) items.Push(DocumentJson(d));
  return JsonReply(200, Page(std::move(items), std::nullopt));
}

Result<Reply> DownloadDocument(ApiContext& ctx, const Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  auto doc = ctx.store().GetDocument(*id);
  if (!doc.ok()) return doc.status();
  // A document is as visible as its instance; otherwise it does not exist for the caller.
  if (!ctx.engine().GetInstance(doc->instance_id, req.actor).ok()) {
    return Status::NotFound("no document " + std::to_string(*id));
  }
  Reply r;
  r.content_type = doc->media_type;
  r.Header("Content-Disposition", AttachmentDisposition(doc->filename));
  r.Header("ETag", "\"" + doc->sha256 + "\"");
  r.Header("X-Content-Type-Options", "nosniff");
  r.Header("Content-Security-Policy", "sandbox");
  // Streamed from the database in chunks: a document is never held whole in memory here.
  Store* store = &ctx.store();
  const int64_t doc_id = doc->id;
  r.stream = [store, doc_id](std::ostream& out) -> Status {
    return store->ReadDocument(doc_id, [&out](const char* data, size_t n) {
      out.write(data, static_cast<std::streamsize>(n));
      return static_cast<bool>(out);
    });
  };
  return r;
}

}  // namespace rsoflow::api
