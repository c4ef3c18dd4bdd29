#include "engine/documents.h"

#include <cstdlib>
#include <map>

#include "engine/clock.h"
#include "engine/json.h"
#include "engine/sha256.h"

namespace rsoflow {
namespace {

constexpr char kAttachEvent[] = "attach_document";

Json IdOrNull(int64_t id) { return id == 0 ? Json() : Json(std::to_string(id)); }

Json AuditData(const Document& d, int64_t supersedes) {
  Json data = Json::MakeObject();
  data.Set("document_id", std::to_string(d.id));
  data.Set("filename", d.filename);
  data.Set("media_type", d.media_type);
  data.Set("size", d.size);
  data.Set("sha256", d.sha256);
  data.Set("supersedes", IdOrNull(supersedes));
  return data;
}

}  // namespace

Json DocumentJson(const Document& d) {
  Json j = Json::MakeObject();
  j.Set("id", std::to_string(d.id));
  j.Set("instance_id", std::to_string(d.instance_id));
  j.Set("filename", d.filename);
  j.Set("media_type", d.media_type);
  j.Set("size", d.size);
  j.Set("sha256", d.sha256);
  j.Set("uploaded_at", FormatTime(d.uploaded_at));
  j.Set("uploaded_by", d.uploaded_by);
  j.Set("superseded_by", IdOrNull(d.superseded_by));
  return j;
}

Status CheckDocumentFilename(const std::string& name) {
  if (name.empty() || name.size() > kMaxDocumentFilenameBytes) {
    return Status::InvalidRequest("filename is 1 to 255 bytes", {"filename"});
  }
  if (!IsValidUtf8(name)) return Status::InvalidRequest("filename is not UTF-8", {"filename"});
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    // A path or a control character would reach the Content-Disposition of every download.
    if (u < 0x20 || u == 0x7f || c == '/' || c == '\\') {
      return Status::InvalidRequest("filename has no control character, '/' or '\\'",
                                    {"filename"});
    }
  }
  if (name == "." || name == "..") return Status::InvalidRequest("filename is a name", {"filename"});
  return Status::Ok();
}

Result<Document> AttachDocument(Engine& engine, const Command& by, DocumentUpload upload) {
  auto seen = engine.GetInstance(upload.instance_id, by.actor);
  if (!seen.ok()) return seen.status();
  const Actor& a = by.actor;
  const bool may = a.role == role::kSecretariat ||
                   (a.role == role::kLiaison && !a.rso_id.empty() && a.rso_id == seen->rso_id);
  if (!may) {
    return Status::Forbidden("only the secretariat or a liaison of the instance's RSO may attach "
                             "documents to it");
  }
  const int64_t now = engine.clock().NowMs();
  Document doc;
  auto done = engine.SubmitJob([&](Store& store) -> Result<Json> {
    auto inst = store.LoadInstanceForWrite(upload.instance_id);
    if (!inst.ok()) return inst.status();
    const Workflow* wf = engine.registry().Find(inst->workflow);
    if (wf != nullptr && wf->DocumentsFrozen(*inst)) {
      return Status::Locked("the documents of this " + inst->workflow + " are frozen in state " +
                            inst->state);
    }
    if (upload.supersedes != 0) {
      auto old = store.GetDocumentForWrite(upload.supersedes);
      if (!old.ok() && old.status().code() == Status::Code::kNotFound) {
        return Status::InvalidRequest("supersedes names no document", {"supersedes"});
      }
      if (!old.ok()) return old.status();
      if (old->instance_id != upload.instance_id) {
        return Status::InvalidRequest("supersedes names a document of another instance",
                                      {"supersedes"});
      }
    }
    Document d;
    d.instance_id = upload.instance_id;
    d.filename = upload.filename;
    d.media_type = upload.media_type;
    d.uploaded_at = now;
    d.uploaded_by = a.user_id;
    auto inserted = store.InsertDocument(d, upload.bytes);
    if (!inserted.ok()) return inserted.status();
    if (upload.supersedes != 0) {
      RSOFLOW_RETURN_IF_ERROR(store.MarkSuperseded(upload.supersedes, inserted->id));
    }
    Instance updated = std::move(*inst);
    updated.version += 1;
    updated.updated_at = now;
    RSOFLOW_RETURN_IF_ERROR(store.UpdateInstanceData(updated));
    AuditEntry e;
    e.instance_id = updated.id;
    e.workflow = updated.workflow;
    e.workflow_version = updated.workflow_version;
    e.event = kAttachEvent;
    e.from_state = updated.state;
    e.to_state = updated.state;
    e.actor_user_id = a.user_id;
    e.actor_username = a.username;
    e.actor_role = a.role;
    e.data = AuditData(*inserted, upload.supersedes);
    e.request_id = by.request_id;
    e.idempotency_key = by.idempotency_key;
    e.client_ip = by.client_ip;
    e.token_id = by.token_id;
    e.token_issued_by = by.token_issued_by;
    auto head = engine.AppendJobAudit(std::move(e));
    if (!head.ok()) return head.status();
    doc = *inserted;
    return Json();
  });
  auto answer = done.get();
  if (!answer.ok()) return answer.status();
  return doc;
}

Result<DocumentVerifyResult> VerifyDocuments(Store& store) {
  // What each upload's audit entry recorded, by document id.
  std::map<int64_t, std::string> recorded;
  RSOFLOW_RETURN_IF_ERROR(store.ForEachAudit(0, [&](const AuditEntry& e) {
    if (e.event == kAttachEvent) {
      const std::string id = e.data.GetString("document_id");
      if (!id.empty()) recorded[std::strtoll(id.c_str(), nullptr, 10)] = e.data.GetString("sha256");
    }
    return true;
  }));
  DocumentVerifyResult r;
  Status read = Status::Ok();
  RSOFLOW_RETURN_IF_ERROR(store.ForEachDocument([&](const Document& d) {
    ++r.documents;
    Sha256Stream sha;
    read = store.ReadDocument(d.id, [&](const char* data, size_t n) {
      sha.Update(data, n);
      return true;
    });
    if (!read.ok()) return false;
    const std::string actual = sha.FinishHex();
    const auto audited = recorded.find(d.id);
    std::string problem;
    if (audited == recorded.end()) {
      problem = "document " + std::to_string(d.id) + " has no attach_document audit entry";
    } else if (actual != audited->second) {
      problem = "document " + std::to_string(d.id) + " (" + d.filename + ") hashes to " + actual +
                ", its audit entry recorded " + audited->second;
    } else if (actual != d.sha256) {
      problem = "document " + std::to_string(d.id) + " (" + d.filename +
                ") differs from the sha256 of its row";
    }
    if (!problem.empty()) {
      r.ok = false;
      r.first_bad_document = d.id;
      r.problem = problem;
      return false;
    }
    return true;
  }));
  RSOFLOW_RETURN_IF_ERROR(read);
  return r;
}

}  // namespace rsoflow
