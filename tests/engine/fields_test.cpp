// FieldList: the one declarative check of JSON objects' fields that the API's bodies and the
// workflows' payloads share.
#include "engine/fields.h"

#include <gtest/gtest.h>

namespace rsoflow {
namespace {

Json Parse(const std::string& text) {
  auto j = ParseJson(text);
  EXPECT_TRUE(j.has_value()) << text;
  return j ? *j : Json();
}

FieldList Payload(std::initializer_list<Field> fields) {
  FieldList list(fields);
  list.prefix = "data.";
  return list;
}

TEST(FieldList, RefusesAValueThatIsNotAnObjectNamingIt) {
  const Status s = Payload({}).Check(Parse("[1]"));
  EXPECT_EQ(s.code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(s.message(), "data must be an object");
  EXPECT_EQ(s.fields(), std::vector<std::string>{"data"});
}

TEST(FieldList, NamesEveryUnknownFieldAtOnce) {
  const Status s = Payload({Field::Any("a")}).Check(Parse(R"({"a":1,"b":2,"c":3})"));
  EXPECT_EQ(s.message(), "unknown field(s): data.b, data.c");
  EXPECT_EQ(s.fields(), (std::vector<std::string>{"data.b", "data.c"}));
}

TEST(FieldList, ChecksTypeLengthRangeAndAllowedValues) {
  const FieldList list =
      Payload({Field::Text("title", 1, 5).Says("title is 1-5 characters"), Field::Int("n", 1, 10),
               Field::Number("q", 0, 1), Field::Text("choice", 0, 20).OneOf({"yes", "no"}),
               Field::Time("at"), Field::Date("on")});
  EXPECT_TRUE(list.Check(Parse(R"({"title":"abc","n":3,"q":0.5,"choice":"no",)"
                               R"("at":"2026-03-02T09:00:00Z","on":"2026-03-02"})"))
                  .ok());
  EXPECT_EQ(list.Check(Parse(R"({"title":""})")).message(), "title is 1-5 characters");
  EXPECT_EQ(list.Check(Parse(R"({"title":"abcdef"})")).fields(),
            std::vector<std::string>{"data.title"});
  EXPECT_EQ(list.Check(Parse(R"({"n":11})")).message(), "data.n is invalid");
  EXPECT_EQ(list.Check(Parse(R"({"n":1.5})")).fields(), std::vector<std::string>{"data.n"});
  EXPECT_EQ(list.Check(Parse(R"({"q":2})")).fields(), std::vector<std::string>{"data.q"});
  EXPECT_EQ(list.Check(Parse(R"({"choice":"maybe"})")).fields(),
            std::vector<std::string>{"data.choice"});
  EXPECT_EQ(list.Check(Parse(R"({"at":"yesterday"})")).fields(),
            std::vector<std::string>{"data.at"});
  EXPECT_EQ(list.Check(Parse(R"({"on":"2026-13-01"})")).fields(),
            std::vector<std::string>{"data.on"});
  EXPECT_TRUE(list.Check(Parse(R"({"title":null})")).ok());  // null is absent
}

TEST(FieldList, PlainTextRefusesNulAndBidiControls) {
  const FieldList list = Payload({Field::Text("t", 0, 100).Plain()});
  EXPECT_TRUE(list.Check(Parse(R"({"t":"fine"})")).ok());
  EXPECT_FALSE(list.Check(Parse(R"({"t":"a\u202Eb"})")).ok());
}

TEST(FieldList, RequiredFieldsAreRefusedOneByOneOrAllAtOnce) {
  FieldList one = Payload({Field::Any("a").Required(), Field::Any("b").Required()});
  EXPECT_EQ(one.Check(Parse("{}")).fields(), std::vector<std::string>{"data.a"});
  one.summary = "a and b are needed";
  const Status all = one.Check(Parse(R"({"b":null})"));
  EXPECT_EQ(all.message(), "a and b are needed");
  EXPECT_EQ(all.fields(), (std::vector<std::string>{"data.a", "data.b"}));
}

TEST(FieldList, ListsOfObjectsCheckEachEntrysFields) {
  const FieldList list = Payload(
      {Field::List("items", 2)
           .Entries({Field::Text("name", 1, 10).Required().Says("name is 1-10 characters")})});
  EXPECT_TRUE(list.Check(Parse(R"({"items":[{"name":"a"},{"name":"b"}]})")).ok());
  EXPECT_EQ(list.Check(Parse(R"({"items":[{"name":"a"},{"name":"b"},{"name":"c"}]})")).fields(),
            std::vector<std::string>{"data.items"});
  const Status entry = list.Check(Parse(R"({"items":[{"name":"a"},{"name":""}]})"));
  EXPECT_EQ(entry.fields(), std::vector<std::string>{"data.items[1].name"});
  EXPECT_EQ(list.Check(Parse(R"({"items":[{"name":"a","x":1}]})")).fields(),
            std::vector<std::string>{"data.items[0].x"});
  const Status not_object = list.Check(Parse(R"({"items":[3]})"));
  EXPECT_EQ(not_object.message(), "data.items[0] must be an object");
  EXPECT_EQ(not_object.fields(), std::vector<std::string>{"data.items[0]"});
}

TEST(FieldList, BodyFieldsKeepTheApisWording) {
  const FieldList body = BodyFields({"name", "size"}, {"name"});
  EXPECT_EQ(body.Check(Parse("3")).message(), "the request body must be a JSON object");
  EXPECT_EQ(body.Check(Parse("3")).fields(), std::vector<std::string>{"body"});
  EXPECT_EQ(body.Check(Parse(R"({"name":"x","state":"open"})")).message(),
            "unknown or read-only field(s): state");
  EXPECT_EQ(body.Check(Parse(R"({"size":1})")).message(), "missing field(s): name");
  EXPECT_TRUE(body.Check(Parse(R"({"name":"x"})")).ok());
}

TEST(FieldList, ABooleanIsTrueOrFalseOnly) {
  const FieldList list = Payload({Field::Bool("flag").Says("flag is true or false")});
  EXPECT_TRUE(list.Check(Parse(R"({"flag":false})")).ok());
  const Status s = list.Check(Parse(R"({"flag":"yes"})"));
  EXPECT_EQ(s.message(), "flag is true or false");
  EXPECT_EQ(s.fields(), std::vector<std::string>{"data.flag"});
  EXPECT_EQ(list.Check(Parse(R"({"flag":1})")).fields(), std::vector<std::string>{"data.flag"});
}

TEST(FieldList, AListOfTextsRefusesTheListForAnyWrongEntry) {
  const FieldList list = Payload({Field::List("objectives", 2)
                                      .Items(Field::Text("objective", 1, 3))
                                      .Says("objectives is a list of at most 2 texts of 1-3")});
  EXPECT_TRUE(list.Check(Parse(R"({"objectives":["a","abc"]})")).ok());
  for (const char* bad :
       {R"({"objectives":["a",""]})", R"({"objectives":["abcd"]})", R"({"objectives":[1]})",
        R"({"objectives":[null]})", R"({"objectives":["a","b","c"]})", R"({"objectives":"a"})"}) {
    const Status s = list.Check(Parse(bad));
    EXPECT_EQ(s.fields(), std::vector<std::string>{"data.objectives"}) << bad;
    EXPECT_EQ(s.message(), "objectives is a list of at most 2 texts of 1-3") << bad;
  }
}

TEST(FieldList, APatternMustMatchTheWholeText) {
  const FieldList list = Payload({Field::Text("ref", 0, 20).Pattern("ISO [0-9]+")});
  EXPECT_TRUE(list.Check(Parse(R"({"ref":"ISO 9001"})")).ok());
  EXPECT_EQ(list.Check(Parse(R"({"ref":"ISO 9001 and more"})")).fields(),
            std::vector<std::string>{"data.ref"});
  EXPECT_EQ(list.Check(Parse(R"({"ref":"EN 9001"})")).message(), "data.ref is invalid");
}

TEST(FieldList, SentencesForAMissingFieldAndForAnUnsafeTextNameTheField) {
  const FieldList list = Payload({Field::Text("title", 1, 5)
                                      .Required()
                                      .Plain("{} has a control character")
                                      .Says("{} is 1-5 characters")
                                      .SaysMissing("title is required")});
  EXPECT_EQ(list.Check(Parse("{}")).message(), "title is required");
  EXPECT_EQ(list.Check(Parse(R"({"title":"a\u202Eb"})")).message(),
            "data.title has a control character");
  EXPECT_EQ(list.Check(Parse(R"({"title":"abcdef"})")).message(), "data.title is 1-5 characters");
}

TEST(FieldList, AJoinedListNamesEveryProblemAtOnce) {
  FieldList entry = {Field::Text("a", 1, 2).Says("{} is 1-2 characters"),
                     Field::Date("on").Says("{} is a date")};
  entry.unknown_each = " is not a field here";
  entry.joined = true;
  entry.null_is_absent = false;
  const FieldList list = Payload({Field::List("items", 5).Entries(entry)});
  const Status s = list.Check(Parse(R"({"items":[{"a":"abc","x":1},{"on":null}]})"));
  EXPECT_EQ(s.fields(),
            (std::vector<std::string>{"data.items[0].x", "data.items[0].a", "data.items[1].on"}));
  EXPECT_EQ(s.message(),
            "data.items[0].x is not a field here; data.items[0].a is 1-2 characters; "
            "data.items[1].on is a date");
  EXPECT_EQ(entry.EntryProblems(Parse(R"({"a":"","y":2})"), "e"),
            (std::vector<std::string>{"e.y is not a field here", "e.a is 1-2 characters"}));
}

TEST(FieldList, EntriesAsTheListNameTheListForEveryEntrysProblem) {
  FieldList entry = {Field::Text("degree", 0, 3).OneOf({"IDT", "MOD"}).Says("{} is IDT or MOD")};
  entry.joined = true;
  entry.shape = " {degree}";
  const FieldList list = Payload({Field::List("standards", 5).Entries(entry).EntriesAsList()});
  const Status s = list.Check(Parse(R"({"standards":[{"degree":"X"},3]})"));
  EXPECT_EQ(s.fields(), std::vector<std::string>{"data.standards"});
  EXPECT_EQ(s.message(),
            "standards[0].degree is IDT or MOD; standards[1] must be an object {degree}");
}

TEST(FieldList, AChangeNeedsNoRequiredFieldButSomeField) {
  FieldList list = Payload({Field::Text("title", 1, 5).Required(), Field::Any("other")});
  list.empty = "a change needs a field";
  EXPECT_EQ(list.Check(Parse("{}")).message(), "a change needs a field");
  EXPECT_EQ(list.Check(Parse("{}")).fields(), std::vector<std::string>{"data"});
  EXPECT_EQ(list.Check(Parse(R"({"other":1})")).fields(), std::vector<std::string>{"data.title"});
  const FieldList change = list.Changing("change.");
  EXPECT_TRUE(change.Check(Parse(R"({"other":1})")).ok());
  EXPECT_EQ(change.Check(Parse(R"({"title":""})")).fields(),
            std::vector<std::string>{"change.title"});
}

TEST(FieldList, ANullIsAValueWhereTheListOrTheFieldSaysSo) {
  FieldList list = Payload({Field::Text("title", 1, 5), Field::Time("at").NotNull()});
  EXPECT_TRUE(list.Check(Parse(R"({"title":null})")).ok());
  EXPECT_EQ(list.Check(Parse(R"({"at":null})")).fields(), std::vector<std::string>{"data.at"});
  list.null_is_absent = false;
  EXPECT_EQ(list.Check(Parse(R"({"title":null})")).fields(),
            std::vector<std::string>{"data.title"});
}

TEST(FieldList, ASummaryComesBeforeTheFieldsThatSayWhyThemselves) {
  FieldList list = Payload({Field::Text("a", 1, 5).Required(), Field::Text("b", 1, 5),
                            Field::Bool("c").Says("c is true or false")});
  list.summary = "a and b are 1-5 characters";
  const Status both = list.Check(Parse(R"({"b":"","c":3})"));
  EXPECT_EQ(both.message(), "a and b are 1-5 characters");
  EXPECT_EQ(both.fields(), (std::vector<std::string>{"data.a", "data.b"}));
  EXPECT_EQ(list.Check(Parse(R"({"a":"x","c":3})")).message(), "c is true or false");
}

TEST(FieldList, ATextsOwnTestAndASentenceFromTheValue) {
  const FieldList list =
      Payload({Field::Text("email", 0, 50).Test([](const std::string& s) {
                 return s.find('@') != std::string::npos;
               }),
               Field::List("codes", 5).Items(Field::Text("code", 2, 2)).Explain([](const Json& v) {
                 return "codes has " + std::to_string(v.is_array() ? v.size() : 0) + " entries";
               })});
  EXPECT_TRUE(list.Check(Parse(R"({"email":"a@b","codes":["AB"]})")).ok());
  EXPECT_EQ(list.Check(Parse(R"({"email":"ab"})")).fields(),
            std::vector<std::string>{"data.email"});
  const Status codes = list.Check(Parse(R"({"codes":["AB","C"]})"));
  EXPECT_EQ(codes.message(), "codes has 2 entries");
  EXPECT_EQ(codes.fields(), std::vector<std::string>{"data.codes"});
}

TEST(FieldList, RulesBetweenFieldsAreCheckedAfterThemNamingTheObject) {
  FieldList entry = {Field::Int("from", 0, 10), Field::Int("to", 0, 10)};
  entry.joined = true;
  entry.rules = [](const Json& o, const std::string& at) {
    std::vector<std::string> broken;
    if (o.GetInt("to", 0) < o.GetInt("from", 0)) broken.push_back(at + ": to is before from");
    return broken;
  };
  EXPECT_TRUE(entry.EntryProblems(Parse(R"({"from":1,"to":2})"), "r").empty());
  EXPECT_EQ(entry.EntryProblems(Parse(R"({"from":3,"to":2})"), "r"),
            std::vector<std::string>{"r: to is before from"});
  const FieldList list = Payload({Field::List("ranges", 3).Entries(entry)});
  const Status s = list.Check(Parse(R"({"ranges":[{"from":3,"to":2}]})"));
  EXPECT_EQ(s.message(), "data.ranges[0]: to is before from");
  EXPECT_EQ(s.fields(), std::vector<std::string>{"data.ranges[0]"});
}

TEST(FieldList, InternalFieldsAreNotTheClientsToSend) {
  const FieldList list = {Field::Text("title", 1, 5).Required(),
                          Field::Text("basis", 1, 5).Internal()};
  EXPECT_TRUE(list.Check(Parse(R"({"title":"t","basis":"b"})")).ok());
  ASSERT_EQ(list.ClientFields().size(), 1u);
  EXPECT_EQ(list.ClientFields()[0]->name, "title");
  const FieldList body = BodyFields(list);
  EXPECT_EQ(body.Check(Parse(R"({"title":"t","basis":"b"})")).message(),
            "unknown or read-only field(s): basis");
  EXPECT_EQ(body.Check(Parse("{}")).message(), "missing field(s): title");
}

}  // namespace
}  // namespace rsoflow
