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

}  // namespace
}  // namespace rsoflow
