// The creation routes' path items of the API document, generated from the workflows'
// metadata (api/openapi.h). They read like the hand-written operations of api/openapi.yaml:
// the same shared parameters, headers and problem responses, by $ref.
#include <cctype>
#include <cmath>

#include "api/openapi.h"

namespace rsoflow::api {
namespace {

// A limit worth writing: FieldList's "no limit" is infinity or SIZE_MAX / INT64_MAX.
bool Finite(double limit) { return std::isfinite(limit) && std::fabs(limit) < 1e15; }

Json Number(double value) {
  if (value == std::floor(value)) return Json(static_cast<int64_t>(value));
  return Json(value);
}

Json Ref(const std::string& to) { return Json(Json::Object{{"$ref", Json(to)}}); }

Json FieldSchema(const Field& f) {
  Json s = Json::MakeObject();
  switch (f.type) {
    case FieldType::kAny:
      break;
    case FieldType::kText:
      s.Set("type", "string");
      if (f.min > 0) s.Set("minLength", Number(f.min));
      if (Finite(f.max)) s.Set("maxLength", Number(f.max));
      if (!f.one_of.empty()) {
        Json values = Json::MakeArray();
        for (const std::string& v : f.one_of) values.Push(v);
        s.Set("enum", std::move(values));
      }
      if (!f.pattern_source.empty()) s.Set("pattern", f.pattern_source);
      break;
    case FieldType::kInt:
    case FieldType::kNumber:
      s.Set("type", f.type == FieldType::kInt ? "integer" : "number");
      if (Finite(f.min)) s.Set("minimum", Number(f.min));
      if (Finite(f.max)) s.Set("maximum", Number(f.max));
      break;
    case FieldType::kTime:
      s.Set("type", "string");
      s.Set("format", "date-time");
      break;
    case FieldType::kDate:
      s.Set("type", "string");
      s.Set("format", "date");
      break;
    case FieldType::kList:
      s.Set("type", "array");
      if (f.min > 0) s.Set("minItems", Number(f.min));
      if (Finite(f.max)) s.Set("maxItems", Number(f.max));
      s.Set("items", f.entries ? FieldListSchema(*f.entries)
                     : f.items ? FieldSchema(*f.items)
                               : Json::MakeObject());
      break;
    case FieldType::kBool:
      s.Set("type", "boolean");
      break;
  }
  if (!f.about.empty()) s.Set("description", f.about);
  return s;
}

// "momentum_plan" -> "createMomentumPlan".
std::string DefaultOperationId(const std::string& name) {
  std::string out = "create";
  bool upper = true;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

}  // namespace

Json FieldListSchema(const FieldList& fields) {
  Json properties = Json::MakeObject();
  Json required = Json::MakeArray();
  for (const Field* f : fields.ClientFields()) {
    properties.Set(f->name, FieldSchema(*f));
    if (f->required) required.Push(f->name);
  }
  Json s = Json::MakeObject();
  s.Set("type", "object");
  s.Set("additionalProperties", false);  // Check refuses a member outside the list
  if (required.size() > 0) s.Set("required", std::move(required));
  s.Set("properties", std::move(properties));
  return s;
}

Json CreationPathItem(const WorkflowMeta& meta) {
  const CreateRoute& route = meta.create;
  FieldList fields = route.fields;
  if (route.rso_id_in_body) {
    fields.fields.insert(fields.fields.begin(),
                         Field::Text("rso_id", 1, SIZE_MAX).Required().About("the RSO's id"));
  }
  std::string roles;
  for (const std::string& role : meta.create_roles) {
    if (role != "system") roles += (roles.empty() ? "" : ", ") + role;
  }
  std::string description = route.description;
  if (!description.empty() && description.back() != '\n') description += "\n";
  description += "Starts an instance of the workflow " + meta.name + " (" + meta.title +
                 "). Roles: " + roles + ".";

  const std::string problem = "#/components/responses/";
  Json responses = Json::MakeObject();
  Json created = Json::MakeObject();
  created.Set("description", route.created);
  created.Set(
      "headers",
      Json(Json::Object{
          {"ETag", Ref("#/components/headers/ETag")},
          {"Location", Json(Json::Object{{"description", "/api/v1/instances/{id}"},
                                         {"schema", Json(Json::Object{{"type", "string"}})}})}}));
  created.Set(
      "content",
      Json(Json::Object{{"application/json",
                         Json(Json::Object{{"schema", Ref("#/components/schemas/Instance")}})}}));
  responses.Set("201", std::move(created));
  responses.Set("400", Ref(problem + "BadRequest"));
  responses.Set("401", Ref(problem + "Unauthenticated"));
  responses.Set("403", Ref(problem + "Forbidden"));
  if (route.rso_id_in_body) responses.Set("404", Ref(problem + "Problem"));  // no such RSO
  responses.Set("409", Ref(problem + "Problem"));
  responses.Set("413", Ref(problem + "PayloadTooLarge"));
  responses.Set("415", Ref(problem + "UnsupportedMediaType"));
  responses.Set("422", Ref(problem + "Problem"));
  responses.Set("503", Ref(problem + "Unavailable"));

  Json post = Json::MakeObject();
  post.Set("operationId",
           route.operation_id.empty() ? DefaultOperationId(meta.name) : route.operation_id);
  post.Set("summary", route.summary.empty() ? "Start a " + meta.title : route.summary);
  post.Set("description", description);
  post.Set("parameters", Json(Json::Array{Ref("#/components/parameters/IdempotencyKey")}));
  post.Set("requestBody",
           Json(Json::Object{
               {"required", true},
               {"content",
                Json(Json::Object{{"application/json",
                                   Json(Json::Object{{"schema", FieldListSchema(fields)}})}})}}));
  post.Set("responses", std::move(responses));
  return Json(Json::Object{{"post", std::move(post)}});
}

std::string OpenApiText(const WorkflowRegistry& registry) {
  const std::string base = OpenApiYaml();
  // Each path item on two lines, "  PATH:" and "    post: {JSON}", like the written ones'
  // first lines, so a reader looking for "  PATH:\n    post:" finds them too.
  std::string generated;
  for (const Workflow* wf : registry.All()) {
    const WorkflowMeta& meta = wf->Meta();
    if (meta.create.path.empty()) continue;
    generated += "  " + meta.create.path +
                 ":\n    post: " + CreationPathItem(meta).Get("post")->Dump() + "\n";
  }
  const std::string marker = "\npaths:\n";
  const size_t at = base.find(marker);
  if (at == std::string::npos) return base + "# no paths: section to add the creation routes to\n";
  return base.substr(0, at + marker.size()) + generated + base.substr(at + marker.size());
}

}  // namespace rsoflow::api
