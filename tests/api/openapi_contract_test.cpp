// The tools that hold the server's answers to api/openapi.yaml (tests/support: the YAML
// reader, the schema check, the contract the API fixture applies to every answer), and what
// the document itself must hold for generated clients.
#include "tests/support/openapi_contract.h"

#include <functional>
#include <regex>
#include <set>

#include "tests/api/api_fixture.h"
#include "tests/support/json_schema_check.h"
#include "tests/support/yaml_reader.h"

namespace rsoflow::testing {
namespace {

Json Yaml(const std::string& text) {
  std::string error;
  auto read = ReadYaml(text, &error);
  EXPECT_TRUE(read.has_value()) << error;
  return read ? *read : Json();
}

std::string YamlError(const std::string& text) {
  std::string error;
  EXPECT_FALSE(ReadYaml(text, &error).has_value()) << text;
  return error;
}

std::vector<std::string> Problems(const std::string& schema_yaml, const std::string& value) {
  const Json document = Yaml("components:\n  schemas:\n" + schema_yaml);
  const Json* schemas = document.Get("components")->Get("schemas");
  std::vector<std::string> problems;
  CheckJsonSchema(document, *schemas->Get("It"), *ParseJson(value), false, &problems);
  return problems;
}

TEST(YamlReader, ReadsTheSubsetTheApiDocumentIsWrittenIn) {
  const Json read = Yaml(
      "a: 3.1.0\n"
      "b: \"1\"\n"
      "# a comment\n"
      "c:\n"
      "  - url: http://127.0.0.1:8080\n"
      "    n: 2\n"
      "  - {$ref: \"#/x\", d: The app's page, e: [x, 'it''s', \"q\\\"\"]}\n"
      "f: >\n"
      "  folded\n"
      "  text\n"
      "\n"
      "  next\n"
      "g: >-\n"
      "  stripped\n"
      "h: |\n"
      "  kept\n"
      "  lines\n"
      "i: [a,\n"
      "    b]\n"
      "j:\n"
      "- 0.5\n"
      "- true\n"
      "- null\n");
  EXPECT_EQ(read.Dump(), Json(*ParseJson(R"({"a":"3.1.0","b":"1","c":[{"n":2,
      "url":"http://127.0.0.1:8080"},{"$ref":"#/x","d":"The app's page","e":["x","it's","q\""]}],
      "f":"folded text\nnext\n","g":"stripped","h":"kept\nlines\n","i":["a","b"],
      "j":[0.5,true,null]})"))
                             .Dump());
}

// The flaw Redocly found: an unquoted description with a comma in a flow mapping ends at the
// comma, and the rest of the text became a key of the schema.
TEST(YamlReader, RefusesAFlowEntryWhoseTextRanOnPastAComma) {
  EXPECT_NE(YamlError("s: {type: string, description: null here, or there}\n").find("line 1"),
            std::string::npos);
  EXPECT_NE(YamlError("a: 1\na: 2\n").find("duplicate key a"), std::string::npos);
  EXPECT_NE(YamlError("a: x\n  y\n").find("line 2"), std::string::npos);
  EXPECT_NE(YamlError("a: &anchor 1\n").find("anchors"), std::string::npos);
}

TEST(JsonSchemaCheck, NamesTheFieldAnsweredNullWhereTheDocumentSaysString) {
  const std::string schemas =
      "    It:\n"
      "      type: object\n"
      "      properties:\n"
      "        website: {type: string}\n"
      "        email: {type: [string, \"null\"]}\n";
  EXPECT_EQ(Problems(schemas, R"({"website":"https://x.org","email":null})").size(), 0u);
  const std::vector<std::string> problems = Problems(schemas, R"({"website":null})");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "$.website: is null where the document says type \"string\"");
}

TEST(JsonSchemaCheck, FollowsRefsAndCombinationsIntoNestedItems) {
  const std::string schemas =
      "    Entry:\n"
      "      type: object\n"
      "      additionalProperties: false\n"
      "      required: [seq]\n"
      "      properties:\n"
      "        seq: {type: integer, minimum: 1}\n"
      "        at: {type: string, format: date-time}\n"
      "        kind: {type: string, enum: [a, b]}\n"
      "    It:\n"
      "      allOf:\n"
      "        - type: object\n"
      "          properties:\n"
      "            items: {type: array, items: {$ref: \"#/components/schemas/Entry\"}}\n"
      "        - required: [items]\n";
  EXPECT_EQ(
      Problems(schemas, R"({"items":[{"seq":1,"at":"2026-03-02T09:00:00Z","kind":"a"}]})").size(),
      0u);
  const std::vector<std::string> problems =
      Problems(schemas, R"({"items":[{"at":"yesterday"},{"seq":0,"kind":"c","extra":1}]})");
  const std::set<std::string> found(problems.begin(), problems.end());
  EXPECT_EQ(found,
            (std::set<std::string>{"$.items[0]: lacks required field seq",
                                   "$.items[0].at: \"yesterday\" is not a date-time (RFC 3339)",
                                   "$.items[1].extra: is not a field the document lists "
                                   "(additionalProperties: false)",
                                   "$.items[1].kind: \"c\" is not one of [\"a\",\"b\"]",
                                   "$.items[1].seq: is under the minimum 1"}));
  EXPECT_EQ(Problems(schemas, "{}"), std::vector<std::string>{"$: lacks required field items"});
}

TEST(JsonSchemaCheck, OneOfTakesExactlyOneAlternative) {
  const std::string schemas =
      "    It:\n"
      "      oneOf:\n"
      "        - {type: string}\n"
      "        - {type: string, maxLength: 3}\n"
      "        - {type: integer}\n";
  EXPECT_TRUE(Problems(schemas, "\"long text\"").empty());
  EXPECT_TRUE(Problems(schemas, "7").empty());
  EXPECT_EQ(Problems(schemas, "\"abc\""),
            std::vector<std::string>{"$: matches 2 of oneOf (must be exactly 1)"});
  EXPECT_EQ(Problems(schemas, "true"),
            std::vector<std::string>{"$: matches 0 of oneOf (must be exactly 1)"});
}

// The API test fixture checks answers so: a field the server adds is documented, or fails.
TEST(JsonSchemaCheck, WithEveryFieldListedReportsAFieldTheDocumentDoesNotList) {
  const Json document = Yaml(
      "components:\n"
      "  schemas:\n"
      "    Base: {type: object, properties: {id: {type: string}}}\n"
      "    It:\n"
      "      type: object\n"
      "      properties:\n"
      "        whole:\n"
      "          allOf:\n"
      "            - {$ref: \"#/components/schemas/Base\"}\n"
      "            - {type: object, properties: {status: {type: string}}}\n"
      "        open: {type: object}\n"
      "        map: {type: object, additionalProperties: {type: string}}\n");
  const Json* schema = document.Get("components")->Get("schemas")->Get("It");
  const Json value = *ParseJson(
      R"({"whole":{"id":"1","status":"s","new":1},"open":{"any":1},"map":{"k":"v"},"more":2})");
  std::vector<std::string> strict, lax;
  CheckJsonSchema(document, *schema, value, true, &strict);
  CheckJsonSchema(document, *schema, value, false, &lax);
  EXPECT_EQ(std::set<std::string>(strict.begin(), strict.end()),
            (std::set<std::string>{"$.more: is a field the document does not list",
                                   "$.whole.new: is a field the document does not list"}));
  EXPECT_TRUE(lax.empty());
}

// A keyword the check does not know would otherwise pass anything.
TEST(JsonSchemaCheck, ReportsAKeywordItDoesNotCheck) {
  EXPECT_EQ(Problems("    It: {type: object, minProperties: 1}\n", "{}"),
            std::vector<std::string>{"$: schema keyword \"minProperties\" is not checked by "
                                     "tests/support/json_schema_check.cpp"});
}

OpenApiContract SmallContract() {
  return OpenApiContract(
      "paths:\n"
      "  /things/{id}:\n"
      "    get:\n"
      "      responses:\n"
      "        \"200\": {description: A thing, content: {application/json: {schema: "
      "{type: object, properties: {name: {type: string}}}}}}\n"
      "        \"404\": {$ref: \"#/components/responses/Problem\"}\n"
      "  /things/mine:\n"
      "    get:\n"
      "      responses:\n"
      "        \"204\": {description: Nothing}\n"
      "components:\n"
      "  responses:\n"
      "    Problem:\n"
      "      description: A problem\n"
      "      content: {application/problem+json: {schema: {type: object}}}\n");
}

TEST(OpenApiContract, ChecksTheAnswerAgainstTheOperationOfItsPathTemplate) {
  const OpenApiContract contract = SmallContract();
  EXPECT_EQ(contract.TemplateOf("/things/7"), "/things/{id}");
  EXPECT_EQ(contract.TemplateOf("/things/mine"), "/things/mine");
  EXPECT_EQ(contract.TemplateOf("/things"), "");
  EXPECT_TRUE(
      contract.Check("GET", "/things/7?x=1", 200, "application/json", R"({"name":"n"})").empty());
  EXPECT_EQ(contract.Check("GET", "/things/7", 200, "application/json", R"({"name":null})"),
            std::vector<std::string>{"GET /things/{id} answered 200: $.name: is null where the "
                                     "document says type \"string\""});
  EXPECT_TRUE(contract.Check("GET", "/things/7", 404, "application/problem+json", "{}").empty());
  EXPECT_EQ(contract.Check("GET", "/things/7", 409, "application/problem+json", "{}"),
            std::vector<std::string>{
                "GET /things/{id} answered 409, a status the document does not list"});
  EXPECT_EQ(
      contract.Check("GET", "/things/7", 200, "text/plain; charset=utf-8", "name"),
      std::vector<std::string>{
          "GET /things/{id} answered 200 as text/plain; the document lists application/json"});
  EXPECT_EQ(contract.Check("GET", "/things/mine", 204, "application/json", "{}"),
            std::vector<std::string>{"GET /things/mine answered 204 with a body "
                                     "(application/json) the document does not describe"});
  // Paths and methods the document does not describe belong to no operation.
  EXPECT_TRUE(contract.Check("GET", "/elsewhere", 404, "application/problem+json", "{}").empty());
  EXPECT_TRUE(contract.Check("PUT", "/things/7", 405, "application/problem+json", "{}").empty());
}

// Every node of the served document, with its JSON pointer.
void Walk(const Json& node, const std::string& at,
          const std::function<void(const Json&, const std::string&)>& visit) {
  visit(node, at);
  if (node.is_object()) {
    for (const auto& [key, child] : node.AsObject()) Walk(child, at + "/" + key, visit);
  } else if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i)
      Walk(node.AsArray()[i], at + "/" + std::to_string(i), visit);
  }
}

// Generated clients name their methods after operationId (Redocly's lint asks for it too,
// scripts/lint-openapi; this holds it without Node.js).
TEST(OpenApiDocument, EveryOperationHasItsOwnCamelCaseOperationId) {
  const Json& document = OpenApiContract::Served().document();
  ASSERT_TRUE(document.Has("paths"));
  std::set<std::string> seen;
  int operations = 0;
  for (const auto& [path, item] : document.Get("paths")->AsObject()) {
    for (const auto& [method, operation] : item.AsObject()) {
      ++operations;
      const std::string id = operation.GetString("operationId");
      EXPECT_TRUE(std::regex_match(id, std::regex("[a-z][a-zA-Z0-9]*")))
          << method << " " << path << ": \"" << id << "\"";
      EXPECT_TRUE(seen.insert(id).second) << id << " is used twice";
    }
  }
  EXPECT_GE(operations, 39);
}

TEST(OpenApiDocument, EveryRefPointsAtSomething) {
  const Json& document = OpenApiContract::Served().document();
  Walk(document, "#", [&](const Json& node, const std::string& at) {
    if (!node.is_object() || !node.Has("$ref")) return;
    std::vector<std::string> problems;
    CheckJsonSchema(document, Json(Json::Object{{"$ref", *node.Get("$ref")}}), Json(), false,
                    &problems);
    for (const std::string& problem : problems) {
      EXPECT_EQ(problem.find("points at nothing"), std::string::npos) << at << ": " << problem;
    }
  });
}

// The creation routes' entries come from the workflows' metadata (api/openapi_paths.cpp),
// with what the hand-written ones said: operationId, the body's fields and the answers.
TEST(OpenApiDocument, CreationRoutesAreDescribedFromTheirWorkflowsMetadata) {
  const Json& paths = *OpenApiContract::Served().document().Get("paths");
  auto schema = [&](const char* path) {
    const Json* post = paths.Get(path) ? paths.Get(path)->Get("post") : nullptr;
    EXPECT_NE(post, nullptr) << path;
    return post ? *post->Get("requestBody")->Get("content")->Get("application/json")->Get("schema")
                : Json();
  };
  EXPECT_EQ(paths.Get("/api/v1/ballots")->Get("post")->GetString("operationId"), "openBallot");
  EXPECT_EQ(schema("/api/v1/ballots").Get("required")->Dump(),
            R"(["title","question","deadline"])");
  EXPECT_EQ(schema("/api/v1/ballots").Get("properties")->Get("deadline")->GetString("format"),
            "date-time");
  EXPECT_EQ(schema("/api/v1/initiatives").Get("required")->Dump(), R"(["rso_id","type","title"])");
  EXPECT_EQ(schema("/api/v1/initiatives").Get("properties")->Get("type")->Get("enum")->size(), 9u);
  EXPECT_EQ(schema("/api/v1/initiatives")
                .Get("properties")
                ->Get("standards")
                ->Get("items")
                ->Get("properties")
                ->Get("degree")
                ->Get("enum")
                ->Dump(),
            R"(["IDT","MOD","NEQ"])");
  EXPECT_EQ(schema("/api/v1/momentum-plans").Get("required")->Dump(),
            R"(["rso_id","iso_event_id","title","actions"])");
  EXPECT_NE(paths.Get("/api/v1/momentum-plans")
                ->Get("post")
                ->GetString("description")
                .find("rso_not_recognized"),
            std::string::npos);
  const Json& responses = *paths.Get("/api/v1/initiatives")->Get("post")->Get("responses");
  EXPECT_EQ(responses.Get("201")->GetString("description"), "Proposed");
  EXPECT_NE(responses.Get("404"), nullptr);  // no such RSO
}

class OpenApiAnswersTest : public ApiTest {};

// The creation bodies are described from the same field lists the workflows check: a list of
// texts with each text's length, a pattern, and no field only other workflows give.
TEST(OpenApiDocument, CreationBodiesShowWhatTheWorkflowsFieldListsCheck) {
  const Json& paths = *OpenApiContract::Served().document().Get("paths");
  auto properties = [&](const char* path) {
    return *paths.Get(path)
                ->Get("post")
                ->Get("requestBody")
                ->Get("content")
                ->Get("application/json")
                ->Get("schema")
                ->Get("properties");
  };
  const Json ballot = properties("/api/v1/ballots");
  EXPECT_EQ(ballot.Get("basis"), nullptr);  // set by the recognition that refers an RSO
  EXPECT_EQ(ballot.Get("exclude_affiliated"), nullptr);
  const Json initiative = properties("/api/v1/initiatives");
  EXPECT_EQ(initiative.Get("objectives")->Get("items")->Dump(),
            R"({"maxLength":500,"minLength":1,"type":"string"})");
  EXPECT_NE(initiative.Get("standards")
                ->Get("items")
                ->Get("properties")
                ->Get("reference")
                ->GetString("pattern")
                .find("ISO/IEC"),
            std::string::npos);
  EXPECT_EQ(properties("/api/v1/momentum-plans")
                .Get("actions")
                ->Get("items")
                ->Get("properties")
                ->Get("due_on")
                ->GetString("format"),
            "date");
}

// The public paths list a 400 too (Redocly's operation-4xx-response): the request pipeline
// refuses framing a proxy could read differently on every path, and a query parameter given
// twice on every route. The fixture checks each answer against the listed 400.
TEST_F(OpenApiAnswersTest, PublicPathsAnswerTheListed400ToAMalformedRequest) {
  for (const std::string path : {"/", "/healthz", "/readyz", "/metrics"}) {
    HttpCall call;
    call.path = path;
    call.headers = {{"X-Spaced-Name ", "1"}};  // whitespace before the colon
    HttpReply r = Send(call);
    EXPECT_EQ(r.status, 400) << path << ": " << r.body;
    EXPECT_EQ(r.code(), "invalid_request") << path;
  }
  for (const std::string path : {"/healthz", "/readyz", "/metrics"}) {
    HttpReply r = Get(path + "?a=1&a=2", "");
    EXPECT_EQ(r.status, 400) << path << ": " << r.body;
    EXPECT_EQ(r.code(), "invalid_request") << path;
  }
}

}  // namespace
}  // namespace rsoflow::testing
