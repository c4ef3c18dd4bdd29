#include "app/seed_evidence.h"

#include <cstdio>

#include "engine/documents.h"
#include "workflows/council_ballot/session_decision.h"

namespace rsoflow::seed {
namespace {

// PDF strings escape the backslash and the parentheses; the demo's text is ASCII.
std::string PdfText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '(' || c == ')') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string DemoPdf(const std::vector<std::string>& lines) {
  std::string content = "BT /F1 12 Tf 72 770 Td 16 TL\n";
  for (const std::string& line : lines) content += "(" + PdfText(line) + ") Tj T*\n";
  content += "ET\n";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R "
      ">> >> /Contents 5 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
  };
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t at : offsets) {
    char entry[21];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", at);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

Status AttachDemoDocument(Engine& engine, const Command& by, int64_t instance_id,
                          const Json& step) {
  std::vector<std::string> lines;
  if (const Json* given = step.Get("lines"); given != nullptr && given->is_array()) {
    for (const Json& l : given->AsArray()) {
      if (!l.is_string()) return Status::InvalidRequest("an attach step's lines are texts");
      lines.push_back(l.AsString());
    }
  }
  DocumentUpload upload;
  upload.instance_id = instance_id;
  upload.filename = step.GetString("filename");
  RSOFLOW_RETURN_IF_ERROR(CheckDocumentFilename(upload.filename));
  upload.media_type = "application/pdf";
  upload.bytes = DemoPdf(lines);
  auto attached = AttachDocument(engine, by, std::move(upload));
  return attached.ok() ? Status::Ok() : attached.status();
}

Status RecordDemoDecision(Engine& engine, const Command& by, const Json& decision,
                          int64_t subject_instance_id) {
  Resolution r;
  r.number = decision.GetString("number");
  const auto parsed = council_ballot::ParseResolutionNumber(r.number);
  if (!parsed) {
    return Status::InvalidRequest("a decide step's number is N/YYYY, not '" + r.number + "'");
  }
  r.ordinal = parsed->first;
  r.year = parsed->second;
  r.decided_on = decision.GetString("decided_on");
  r.title = decision.GetString("title");
  r.outcome = decision.GetString("outcome");
  r.subject_instance_id = subject_instance_id;
  auto done = engine
                  .SubmitJob([&engine, r, by](Store& store) -> Result<Json> {
                    auto recorded = council_ballot::RecordSessionDecision(engine, store, r, by);
                    if (!recorded.ok()) return recorded.status();
                    return Json();
                  })
                  .get();
  return done.ok() ? Status::Ok() : done.status();
}

}  // namespace rsoflow::seed
