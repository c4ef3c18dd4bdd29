// Documents as evidence (API.md "Documents", DESIGN 8): upload, list and download with their
// headers, every refusal, the audit entry and version of an upload, the audit check that
// catches a changed byte, and the ballot that freezes its subject's documents.
#include <sqlite3.h>

#include "engine/sha256.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

const std::string kPdf = "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n";

class DocumentsApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    a = CreateRso("ARSO");
    rec = RecognitionOf(a);
  }
  HttpReply Upload(const std::string& instance, const std::string& query, const std::string& bytes,
                   const std::string& type, const std::string& token) {
    HttpCall call;
    call.method = "POST";
    call.path = "/api/v1/instances/" + instance + "/documents" + query;
    call.token = token;
    call.body = bytes;
    call.has_body = true;
    call.content_type = type;
    return Send(call);
  }
  std::string a, rec;
};

TEST_F(DocumentsApiTest, AnUploadIsListedAndDownloadsAsAnAttachmentWithItsHash) {
  HttpReply up = Upload(rec, "?filename=Statute%20v1.pdf", kPdf, "application/pdf", sec.token);
  ASSERT_EQ(up.status, 201) << up.body;
  const Json& d = up.json();
  EXPECT_EQ(d.GetString("instance_id"), rec);
  EXPECT_EQ(d.GetString("filename"), "Statute v1.pdf");
  EXPECT_EQ(d.GetString("media_type"), "application/pdf");
  EXPECT_EQ(d.GetInt("size"), static_cast<int64_t>(kPdf.size()));
  EXPECT_EQ(d.GetString("sha256"), Sha256Hex(kPdf));
  EXPECT_EQ(d.GetString("uploaded_by"), sec.user_id);
  EXPECT_TRUE(d.Get("superseded_by")->is_null());
  const std::string id = d.GetString("id");

  HttpReply list = Get("/api/v1/instances/" + rec + "/documents", council.token);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json().Get("items")->size(), 1u);
  EXPECT_EQ(list.json().Get("items")->AsArray()[0].GetString("id"), id);

  HttpReply file = Get("/api/v1/documents/" + id, auditor.token);
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.body, kPdf);
  EXPECT_EQ(file.header("Content-Type"), "application/pdf");
  EXPECT_EQ(file.header("Content-Disposition"), "attachment; filename*=UTF-8''Statute%20v1.pdf");
  EXPECT_EQ(file.header("ETag"), "\"" + Sha256Hex(kPdf) + "\"");
  EXPECT_EQ(file.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(file.header("Content-Security-Policy"), "sandbox");
}

TEST_F(DocumentsApiTest, AnUploadIsOneAuditEntryAndRaisesTheVersion) {
  const int64_t version = Get("/api/v1/instances/" + rec, sec.token).json().GetInt("version");
  const int64_t entries = AuditCount();
  const std::string old = UploadText(rec, "members.txt", "Members: 12");
  HttpReply up = Upload(rec, "?filename=members.txt&supersedes=" + old, "Members: 14",
                        "text/plain; charset=utf-8", sec.token);
  ASSERT_EQ(up.status, 201) << up.body;
  EXPECT_EQ(AuditCount(), entries + 2);
  EXPECT_EQ(Get("/api/v1/instances/" + rec, sec.token).json().GetInt("version"), version + 2);
  HttpReply history = Get("/api/v1/instances/" + rec + "/history", sec.token);
  const Json& last = history.json().Get("items")->AsArray().back();
  EXPECT_EQ(last.GetString("event"), "attach_document");
  const Json& data = *last.Get("data");
  EXPECT_EQ(data.GetString("document_id"), up.json().GetString("id"));
  EXPECT_EQ(data.GetString("filename"), "members.txt");
  EXPECT_EQ(data.GetString("media_type"), "text/plain");
  EXPECT_EQ(data.GetInt("size"), 11);
  EXPECT_EQ(data.GetString("sha256"), Sha256Hex("Members: 14"));
  EXPECT_EQ(data.GetString("supersedes"), old);
  // Never deleted: the old one is still listed, marked superseded by the new one.
  HttpReply list = Get("/api/v1/instances/" + rec + "/documents", sec.token);
  ASSERT_EQ(list.json().Get("items")->size(), 2u);
  EXPECT_EQ(list.json().Get("items")->AsArray()[0].GetString("superseded_by"),
            up.json().GetString("id"));
  EXPECT_EQ(Get("/api/v1/documents/" + old, sec.token).body, "Members: 12");
}

TEST_F(DocumentsApiTest, BadFilenameOrSupersedesIsRefusedNamingTheField) {
  HttpReply none = Upload(rec, "", "x", "text/plain", sec.token);
  EXPECT_EQ(none.status, 400);
  EXPECT_NE(none.body.find("filename"), std::string::npos);
  EXPECT_EQ(Upload(rec, "?filename=", "x", "text/plain", sec.token).status, 400);
  EXPECT_EQ(Upload(rec, "?filename=a%2Fb.txt", "x", "text/plain", sec.token).status, 400);
  EXPECT_EQ(Upload(rec, "?filename=a%0Ab.txt", "x", "text/plain", sec.token).status, 400);
  EXPECT_EQ(Upload(rec, "?filename=" + std::string(256, 'a'), "x", "text/plain", sec.token).status,
            400);
  EXPECT_EQ(Upload(rec, "?filename=a.txt&other=1", "x", "text/plain", sec.token).status, 400);
  HttpReply unknown = Upload(rec, "?filename=a.txt&supersedes=999", "x", "text/plain", sec.token);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("supersedes"), std::string::npos);
  EXPECT_EQ(Upload(rec, "?filename=a.txt&supersedes=abc", "x", "text/plain", sec.token).status, 400);
  const std::string other = UploadText(RecognitionOf(CreateRso("BRSO")), "b.txt");
  EXPECT_EQ(Upload(rec, "?filename=a.txt&supersedes=" + other, "x", "text/plain", sec.token).status,
            400);
  EXPECT_EQ(Upload(rec, "?filename=a.txt", "", "text/plain", sec.token).status, 400);
  HttpReply list = Get("/api/v1/instances/" + rec + "/documents", sec.token);
  EXPECT_EQ(list.json().Get("items")->size(), 0u);  // nothing half-written
}

TEST_F(DocumentsApiTest, AnUnknownTypeOrBytesThatDoNotMatchTheTypeAre415) {
  EXPECT_EQ(Upload(rec, "?filename=a.html", "<p>hi</p>", "text/html", sec.token).status, 415);
  EXPECT_EQ(Upload(rec, "?filename=a.pdf", "not a pdf", "application/pdf", sec.token).status, 415);
  EXPECT_EQ(Upload(rec, "?filename=a.png", kPdf, "image/png", sec.token).status, 415);
  EXPECT_EQ(Upload(rec, "?filename=a.jpg", "GIF89a", "image/jpeg", sec.token).status, 415);
  EXPECT_EQ(Upload(rec, "?filename=a.txt", std::string("a\0b", 3), "text/plain", sec.token).status,
            415);
  EXPECT_EQ(Upload(rec, "?filename=a.txt", "\xff\xfe", "text/plain", sec.token).status, 415);
  const std::string docx =
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  EXPECT_EQ(Upload(rec, "?filename=a.docx", "PK\x03\x04 no word", docx, sec.token).status, 415);
  EXPECT_EQ(Upload(rec, "?filename=a.docx", "PK\x03\x04....word/document.xml", docx, sec.token)
                .status,
            201);
  std::string odt("PK\x03\x04", 4);
  odt += std::string(22, '\0');
  odt += std::string("\x08\x00\x00\x00", 4) + "mimetype" + "application/vnd.oasis.opendocument.text";
  EXPECT_EQ(Upload(rec, "?filename=a.odt", odt, "application/vnd.oasis.opendocument.text",
                   sec.token)
                .status,
            201);
  EXPECT_EQ(Upload(rec, "?filename=a.odt", "PK\x03\x04", "application/vnd.oasis.opendocument.text",
                   sec.token)
                .status,
            415);
  EXPECT_EQ(Upload(rec, "?filename=a.png", std::string("\x89PNG\r\n\x1a\n", 8) + "IHDR",
                   "image/png", sec.token)
                .status,
            201);
  EXPECT_EQ(Upload(rec, "?filename=a.jpg", "\xff\xd8\xff\xe0", "image/jpeg", sec.token).status, 201);
}

TEST_F(DocumentsApiTest, AFileOver20MiBIs413) {
  const std::string big = "%PDF-" + std::string((20 << 20) - 4, 'x');
  HttpReply r = Upload(rec, "?filename=big.pdf", big, "application/pdf", sec.token);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.code(), "payload_too_large");
  // Exactly 20 MiB is taken.
  HttpReply ok = Upload(rec, "?filename=big.pdf", big.substr(0, 20 << 20), "application/pdf",
                        sec.token);
  EXPECT_EQ(ok.status, 201) << ok.body;
}

TEST_F(DocumentsApiTest, ALiaisonAttachesToItsOwnRsoOnly) {
  Persona own = AddUser("liaison.a", "rso_liaison", a);
  const std::string b = CreateRso("BRSO");
  Persona other = AddUser("liaison.b", "rso_liaison", b);
  EXPECT_EQ(Upload(rec, "?filename=a.txt", "x", "text/plain", own.token).status, 201);
  // Another RSO's liaison does not see the instance at all (as for every instance read).
  EXPECT_EQ(Upload(rec, "?filename=a.txt", "x", "text/plain", other.token).status, 404);
  EXPECT_EQ(Upload(rec, "?filename=a.txt", "x", "text/plain", council.token).status, 403);
  // A ballot the liaison may see but that is no RSO's: 403.
  const std::string ballot = CreateBallot();
  if (Get("/api/v1/instances/" + ballot, own.token).status == 200) {
    EXPECT_EQ(Upload(ballot, "?filename=a.txt", "x", "text/plain", own.token).status, 403);
  }
}

TEST_F(DocumentsApiTest, ABallotFreezesItsSubjectsDocumentsAndLocksUploads) {
  const std::string first = UploadText(rec, "statute.txt", "Statute");
  ASSERT_EQ(Fire(rec, sec.token, "submit").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "start_review").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "refer_to_council").status, 200);
  HttpReply ballots =
      Get("/api/v1/instances?workflow=council_ballot&active=true&rso_id=" + a, sec.token);
  const std::string ballot = ballots.json().Get("items")->AsArray()[0].GetString("id");
  const Json data = *Get("/api/v1/instances/" + ballot, council.token).json().Get("data");
  ASSERT_EQ(data.Get("documents")->size(), 1u);
  const Json& frozen = data.Get("documents")->AsArray()[0];
  EXPECT_EQ(frozen.GetString("id"), first);
  EXPECT_EQ(frozen.GetString("filename"), "statute.txt");
  EXPECT_EQ(frozen.GetString("sha256"), Sha256Hex("Statute"));
  // While the ballot is open, the recognition's documents are locked.
  HttpReply locked = Upload(rec, "?filename=late.txt", "late", "text/plain", sec.token);
  EXPECT_EQ(locked.status, 409);
  EXPECT_EQ(locked.code(), "locked");
  // The ballot itself takes documents until its first vote.
  EXPECT_EQ(Upload(ballot, "?filename=note.txt", "note", "text/plain", sec.token).status, 201);
  ASSERT_EQ(Fire(ballot, council.token, "vote", J(R"({"choice":"approve"})")).status, 200);
  EXPECT_EQ(Upload(ballot, "?filename=note2.txt", "note", "text/plain", sec.token).code(),
            "locked");
}

TEST_F(DocumentsApiTest, VerifyWithDocumentsCatchesAChangedByte) {
  const std::string id = UploadText(rec, "statute.txt", "Statute of ARSO");
  HttpReply clean = Get("/api/v1/audit/verify?documents=true", auditor.token);
  ASSERT_EQ(clean.status, 200) << clean.body;
  EXPECT_TRUE(clean.json().GetBool("ok"));
  EXPECT_EQ(clean.json().Get("documents")->GetInt("checked"), 1);
  EXPECT_EQ(Get("/api/v1/audit/verify?documents=maybe", auditor.token).status, 400);

  server->Stop();
  server.reset();
  runtime.reset();
  sqlite3* conn = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &conn), SQLITE_OK);
  // One byte of the stored bytes changed, the row's sha256 left as it was.
  const std::string sql = "UPDATE documents SET content = CAST('Statute of BRSO' AS BLOB) WHERE id = " + id;
  ASSERT_EQ(sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(conn);
  StartServer();

  HttpReply plain = Get("/api/v1/audit/verify", auditor.token);
  EXPECT_TRUE(plain.json().GetBool("ok"));  // the chain itself is intact
  HttpReply caught = Get("/api/v1/audit/verify?documents=true", auditor.token);
  ASSERT_EQ(caught.status, 200);
  EXPECT_FALSE(caught.json().GetBool("ok"));
  EXPECT_EQ(caught.json().Get("documents")->GetString("first_bad_document"), id);
  EXPECT_NE(caught.json().GetString("problem").find("document " + id), std::string::npos);
}

}  // namespace
}  // namespace rsoflow::testing
