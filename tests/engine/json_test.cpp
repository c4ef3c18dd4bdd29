#include "engine/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace rsoflow {
namespace {

// Parses text that must be valid, failing the test with the parser's message otherwise.
Json MustParse(const std::string& text) {
  JsonParseError error;
  std::optional<Json> value = ParseJson(text, &error);
  EXPECT_TRUE(value.has_value()) << text << ": " << error.message << " at " << error.offset;
  if (!value.has_value()) return Json();
  return std::move(*value);
}

// Parses text that must be rejected and returns the error.
JsonParseError MustFail(const std::string& text, int max_depth = 32) {
  JsonParseError error;
  std::optional<Json> value = ParseJson(text, &error, max_depth);
  EXPECT_FALSE(value.has_value()) << text << " parsed as " << value->Dump();
  EXPECT_FALSE(error.message.empty()) << text;
  return error;
}

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(Json, DefaultIsNull) {
  Json j;
  EXPECT_TRUE(j.is_null());
  EXPECT_EQ(j.type(), Json::Type::kNull);
  EXPECT_EQ(j.size(), 0u);
  EXPECT_EQ(j.Dump(), "null");
  EXPECT_EQ(Json(nullptr), Json());
}

TEST(Json, ScalarAccessors) {
  EXPECT_TRUE(Json(true).AsBool());
  EXPECT_EQ(Json(42).AsInt(), 42);
  EXPECT_EQ(Json(int64_t{-7}).AsInt(), -7);
  EXPECT_DOUBLE_EQ(Json(1.5).AsDouble(), 1.5);
  EXPECT_DOUBLE_EQ(Json(3).AsDouble(), 3.0);  // AsDouble accepts integers.
  EXPECT_EQ(Json("abc").AsString(), "abc");
  EXPECT_TRUE(Json(3).is_number());
  EXPECT_TRUE(Json(3.0).is_number());
  EXPECT_FALSE(Json(3.0).is_int());
  EXPECT_NE(Json(3), Json(3.0));  // Distinct types compare unequal.
}

TEST(Json, DumpScalars) {
  EXPECT_EQ(Json(true).Dump(), "true");
  EXPECT_EQ(Json(false).Dump(), "false");
  EXPECT_EQ(Json(0).Dump(), "0");
  EXPECT_EQ(Json(-12).Dump(), "-12");
  EXPECT_EQ(Json(std::numeric_limits<int64_t>::min()).Dump(), "-9223372036854775808");
  EXPECT_EQ(Json("hi").Dump(), "\"hi\"");
  EXPECT_EQ(Json::MakeArray().Dump(), "[]");
  EXPECT_EQ(Json::MakeObject().Dump(), "{}");
}

TEST(Json, DumpSortsKeysCanonically) {
  Json inner = Json::MakeObject();
  inner.Set("zeta", 1);
  inner.Set("Alpha", 2);  // Uppercase sorts before lowercase bytewise.
  inner.Set("alpha", 3);
  Json outer = Json::MakeObject();
  outer.Set("b", Json::MakeArray());
  outer.Set("a", inner);
  outer.Set("\xC3\xA9", true);  // "é" (0xC3...) sorts after ASCII.
  outer.Set("c", nullptr);
  EXPECT_EQ(outer.Dump(),
            "{\"a\":{\"Alpha\":2,\"alpha\":3,\"zeta\":1},\"b\":[],\"c\":null,\"\xC3\xA9\":true}");

  // Insertion order and input whitespace do not matter.
  Json reparsed = MustParse(
      " { \"c\" : null , \"\xC3\xA9\":true,\"b\":[ ],\n"
      "\"a\":{\"zeta\":1,\"alpha\":3,\"Alpha\":2}}\r\n");
  EXPECT_EQ(reparsed, outer);
  EXPECT_EQ(reparsed.Dump(), outer.Dump());
}

TEST(Json, RoundTripsDocuments) {
  const std::string docs[] = {
      "null",
      "true",
      "123",
      "\"\"",
      "[]",
      "{}",
      "[1,2.5,\"x\",null,false,[],{}]",
      "{\"a\":[{\"b\":{\"c\":[1,[2,[3]]]}}],\"d\":\"e\\\"f\\\\g\\n\"}",
      "{\"amount\":1234.56,\"id\":-9223372036854775808,\"tags\":[\"Comisi\xC3\xB3n\"]}",
  };
  for (const std::string& doc : docs) {
    Json value = MustParse(doc);
    EXPECT_EQ(value.Dump(), doc);
    EXPECT_EQ(MustParse(value.Dump()), value) << doc;
  }
}

TEST(Json, DumpEscapesQuotesBackslashAndControlChars) {
  EXPECT_EQ(Json("a\"b\\c/d").Dump(), "\"a\\\"b\\\\c/d\"");
  EXPECT_EQ(Json("\b\f\n\r\t").Dump(), "\"\\b\\f\\n\\r\\t\"");
  EXPECT_EQ(Json(std::string("\x01\x1f\x7f", 3)).Dump(), "\"\\u0001\\u001f\x7f\"");
  EXPECT_EQ(Json(std::string("a\0b", 3)).Dump(), "\"a\\u0000b\"");
  // Escaped forms parse back to the original bytes.
  EXPECT_EQ(MustParse("\"\\u0001\\u001F\\/\\b\"").AsString(), "\x01\x1f/\b");
  EXPECT_EQ(MustParse("\"a\\u0000b\"").AsString(), std::string("a\0b", 3));
}

// The writer looks for bytes to escape eight at a time: every byte value, at every position of
// a string that spans words, must come out as the byte-at-a-time rule says, and parse back.
TEST(Json, DumpEscapesEveryByteValueAtEveryPosition) {
  auto expected_escape = [](unsigned char c) -> std::string {
    switch (c) {
      case '"':
        return "\\\"";
      case '\\':
        return "\\\\";
      case '\b':
        return "\\b";
      case '\f':
        return "\\f";
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
    }
    if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      return buf;
    }
    return std::string(1, static_cast<char>(c));
  };
  for (int byte = 0; byte < 256; ++byte) {
    const auto c = static_cast<unsigned char>(byte);
    for (size_t length = 1; length <= 25; ++length) {
      for (size_t position = 0; position < length; ++position) {
        std::string text(length, 'x');
        text[position] = static_cast<char>(c);
        const std::string want =
            "\"" + text.substr(0, position) + expected_escape(c) + text.substr(position + 1) + "\"";
        ASSERT_EQ(Json(text).Dump(), want)
            << "byte " << byte << " at " << position << " of " << length;
        if (c < 0x80) {
          ASSERT_EQ(MustParse(want).AsString(), text);
        }
      }
    }
  }
}

// The audit's canonical body is written by appending to text already there: AppendJsonString
// for its fields, DumpTo for its data. Both must add exactly what Dump() gives on its own.
TEST(Json, AppendingToTextAlreadyThereAddsExactlyTheDump) {
  const std::vector<std::string> strings = {"",
                                            "plain",
                                            "exactly8",
                                            "nine byte",
                                            "sixteen bytes!!",
                                            "tab\there",
                                            "quote \"in\" the middle of it",
                                            std::string("\0", 1)};
  for (const std::string& text : strings) {
    std::string out = "prefix,";
    AppendJsonString(text, &out);
    EXPECT_EQ(out, "prefix," + Json(text).Dump()) << text;
  }
  const Json doc = MustParse(R"({"a":[1,2.5,{"b":"c\nd"}],"e":{},"f":[],"g":null,"h":true})");
  std::string out(300, 'x');  // longer than the writer's first reserve
  doc.DumpTo(&out);
  EXPECT_EQ(out, std::string(300, 'x') + doc.Dump());
  EXPECT_EQ(doc.Dump(), R"({"a":[1,2.5,{"b":"c\nd"}],"e":{},"f":[],"g":null,"h":true})");
}

TEST(Json, DumpPassesNonAsciiUtf8Through) {
  const std::string text = "Comisi\xC3\xB3n \xE2\x82\xAC \xF0\x9F\x98\x80";  // "Comisión € 😀"
  EXPECT_EQ(Json(text).Dump(), "\"" + text + "\"");
  EXPECT_EQ(MustParse("\"" + text + "\"").AsString(), text);
}

TEST(Json, DecodesUnicodeEscapes) {
  EXPECT_EQ(MustParse("\"\\u00f3\"").AsString(), "\xC3\xB3");
  EXPECT_EQ(MustParse("\"\\u20AC\"").AsString(), "\xE2\x82\xAC");
  EXPECT_EQ(MustParse("\"\\uFFFF\"").AsString(), "\xEF\xBF\xBF");
  // Surrogate pair for U+1F600 becomes one 4-byte sequence, emitted unescaped by Dump.
  Json emoji = MustParse("\"x\\uD83D\\uDE00y\"");
  EXPECT_EQ(emoji.AsString(), "x\xF0\x9F\x98\x80y");
  EXPECT_EQ(emoji.Dump(), "\"x\xF0\x9F\x98\x80y\"");
  EXPECT_EQ(MustParse("\"\\udbff\\udfff\"").AsString(), "\xF4\x8F\xBF\xBF");  // U+10FFFF
}

TEST(Json, RejectsLoneSurrogates) {
  EXPECT_NE(MustFail("\"\\uD83D\"").message.find("surrogate"), std::string::npos);
  MustFail("\"\\uDE00\"");
  MustFail("\"\\uD83Dx\"");
  MustFail("\"\\uD83D\\u0041\"");
  MustFail("\"\\uD83D\\uD83D\"");
  JsonParseError error = MustFail("[\"ab\\uDC00\"]");
  EXPECT_EQ(error.offset, 4u);
}

TEST(Json, RejectsBadEscapes) {
  MustFail("\"\\x\"");
  MustFail("\"\\u12\"");
  MustFail("\"\\u12G4\"");
  MustFail("\"\\'\"");
  MustFail("\"\\");
}

TEST(Json, RejectsInvalidRawUtf8) {
  const std::string invalid[] = {
      std::string("\xC0\x80", 2),  // Overlong NUL.
      "\xC1\xBF",                  // Overlong.
      "\xE0\x80\xAF",              // Overlong 3-byte.
      "\xF0\x80\x80\xAF",          // Overlong 4-byte.
      "\xED\xA0\x80",              // Encoded surrogate U+D800.
      "\xED\xBF\xBF",              // Encoded surrogate U+DFFF.
      "\xF4\x90\x80\x80",          // U+110000.
      "\xF5\x80\x80\x80",          // Lead byte beyond U+10FFFF.
      "\xE2\x82",                  // Truncated.
      "\x80",                      // Stray continuation byte.
      "\xFF",
  };
  for (const std::string& bytes : invalid) {
    EXPECT_FALSE(IsValidUtf8(bytes)) << testing::PrintToString(bytes);
    EXPECT_FALSE(IsValidUtf8("ok" + bytes + "ok")) << testing::PrintToString(bytes);
    JsonParseError error = MustFail("[\"ab" + bytes + "\"]");
    EXPECT_EQ(error.message, "invalid UTF-8 in string") << testing::PrintToString(bytes);
    EXPECT_EQ(error.offset, 4u) << testing::PrintToString(bytes);
  }
  // Truncated sequence at the very end of input.
  EXPECT_EQ(MustFail("\"\xE2\x82").message, "invalid UTF-8 in string");
  // Invalid bytes outside strings are plain syntax errors.
  EXPECT_EQ(MustFail("\xC3\xB3").message, "unexpected byte 0xc3");
}

TEST(Json, IsValidUtf8AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8(std::string("nul\0inside", 10)));
  EXPECT_TRUE(IsValidUtf8("\xC2\x80"));          // U+0080
  EXPECT_TRUE(IsValidUtf8("\xDF\xBF"));          // U+07FF
  EXPECT_TRUE(IsValidUtf8("\xE0\xA0\x80"));      // U+0800
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));      // U+D7FF
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));      // U+E000
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBF"));      // U+FFFF
  EXPECT_TRUE(IsValidUtf8("\xF0\x90\x80\x80"));  // U+10000
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(IsValidUtf8("Comisi\xC3\xB3n \xE2\x82\xAC \xF0\x9F\x98\x80"));
}

TEST(Json, DepthLimit) {
  EXPECT_TRUE(ParseJson(Nested(32)).has_value());
  JsonParseError error = MustFail(Nested(33));
  EXPECT_NE(error.message.find("nesting deeper than 32"), std::string::npos) << error.message;
  EXPECT_EQ(error.offset, 32u);  // The bracket that opens level 33.

  // Objects count too, and the limit is configurable.
  EXPECT_TRUE(ParseJson("{\"a\":[{\"b\":1}]}", nullptr, 3).has_value());
  error = MustFail("{\"a\":[{\"b\":[]}]}", 3);
  EXPECT_NE(error.message.find("nesting deeper than 3"), std::string::npos) << error.message;
  EXPECT_TRUE(ParseJson("1", nullptr, 0).has_value());
  MustFail("[]", 0);
}

TEST(Json, VeryDeepInputRejectedWithoutCrash) {
  JsonParseError error = MustFail(std::string(100000, '['));
  EXPECT_NE(error.message.find("nesting deeper than 32"), std::string::npos);
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  error = MustFail(objects);
  EXPECT_NE(error.message.find("nesting deeper than 32"), std::string::npos);
}

TEST(Json, RejectsDuplicateKeys) {
  JsonParseError error = MustFail("{\"x\":1,\"y\":2,\"x\":3}");
  EXPECT_EQ(error.message, "duplicate key \"x\"");
  EXPECT_EQ(error.offset, 13u);
  // Keys are compared after unescaping.
  EXPECT_EQ(MustFail("{\"\\u0078\":1,\"x\":2}").message, "duplicate key \"x\"");
  // The same key in different objects is fine.
  EXPECT_TRUE(ParseJson("{\"x\":{\"x\":1}}").has_value());
}

TEST(Json, RejectsTrailingContent) {
  for (const char* doc : {"{} {}", "1 2", "[1]]", "nullx", "\"a\"b", "{}\x01", "truefalse"}) {
    EXPECT_EQ(MustFail(doc).message, "trailing content after JSON value") << doc;
  }
  EXPECT_EQ(MustFail("[1] ,").offset, 4u);
}

TEST(Json, RejectsTruncatedDocumentsWithOffset) {
  const char* docs[] = {"",          "  ", "{",   "{\"a\"", "{\"a\":", "{\"a\":1",
                        "{\"a\":1,", "[",  "[1,", "\"abc",  "tru",     "-",
                        "1.",        "1e", "1e+", "\"\\u12"};
  for (const char* doc : docs) {
    JsonParseError error = MustFail(doc);
    EXPECT_EQ(error.message, "unexpected end of input") << doc;
    EXPECT_EQ(error.offset, std::string(doc).size()) << doc;
  }
}

TEST(Json, RejectsNonStandardSyntax) {
  EXPECT_EQ(MustFail("[1,]").message, "unexpected character ']'");
  EXPECT_EQ(MustFail("{\"a\":1,}").message, "unexpected character '}'");
  EXPECT_EQ(MustFail("{\"a\":1,}").offset, 7u);
  const char* docs[] = {
      "// c\n1",       "/* c */ 1",         "[1 /* c */]", "{'a':1}", "{a:1}",         "NaN",
      "Infinity",      "-Infinity",         "[nan]",       "True",    "[,1]",          "[1 2]",
      "{\"a\" 1}",     "{\"a\":1 \"b\":2}", "\f1",         "\v1",     "\"tab\there\"", "\"nl\n\"",
      "\xEF\xBB\xBF[]" /* byte order mark */};
  for (const char* doc : docs) MustFail(doc);
  EXPECT_EQ(MustFail("\"a\x01\"").message, "unescaped control character in string");
  EXPECT_EQ(MustFail("[x]").message, "unexpected character 'x'");
  EXPECT_EQ(MustFail("[x]").offset, 1u);
}

TEST(Json, RejectsMalformedNumbers) {
  JsonParseError error = MustFail("01");
  EXPECT_EQ(error.message, "leading zero in number");
  EXPECT_EQ(error.offset, 0u);
  EXPECT_EQ(MustFail("[-012]").offset, 2u);
  MustFail("00");
  MustFail("0.1.2");
  for (const char* doc : {"+1", ".5", "1.", "1.e3", "-", "--1", "1e", "0x10", "1_000", "- 1"}) {
    MustFail(doc);
  }
  EXPECT_EQ(MustFail("1e400").message, "number out of range");
  // Valid forms that look suspicious.
  EXPECT_EQ(MustParse("0").AsInt(), 0);
  EXPECT_EQ(MustParse("-0").AsInt(), 0);
  EXPECT_DOUBLE_EQ(MustParse("0.5").AsDouble(), 0.5);
  EXPECT_DOUBLE_EQ(MustParse("1E+2").AsDouble(), 100.0);
  EXPECT_DOUBLE_EQ(MustParse("1e-2").AsDouble(), 0.01);
  EXPECT_EQ(MustParse("1e-400").AsDouble(), 0.0);  // Underflow is not an error.
}

TEST(Json, Int64Boundaries) {
  Json max = MustParse("9223372036854775807");
  ASSERT_TRUE(max.is_int());
  EXPECT_EQ(max.AsInt(), std::numeric_limits<int64_t>::max());
  Json min = MustParse("-9223372036854775808");
  ASSERT_TRUE(min.is_int());
  EXPECT_EQ(min.AsInt(), std::numeric_limits<int64_t>::min());

  Json above = MustParse("9223372036854775808");
  EXPECT_EQ(above.type(), Json::Type::kDouble);
  EXPECT_EQ(above.AsDouble(), 9223372036854775808.0);
  Json below = MustParse("-9223372036854775809");
  EXPECT_EQ(below.type(), Json::Type::kDouble);
  EXPECT_EQ(MustParse("123456789012345678901234567890").type(), Json::Type::kDouble);
  EXPECT_EQ(MustParse("1.0").type(), Json::Type::kDouble);
  EXPECT_EQ(MustParse("1e2").type(), Json::Type::kDouble);
}

TEST(Json, DoubleDumpRoundTrips) {
  EXPECT_EQ(Json(0.1).Dump(), "0.1");
  EXPECT_EQ(Json(1e300).Dump(), "1e+300");
  EXPECT_EQ(Json(2.0).Dump(), "2.0");
  EXPECT_EQ(Json(-0.0).Dump(), "-0.0");
  EXPECT_EQ(Json(0.0).Dump(), "0.0");
  EXPECT_EQ(Json(1.5).Dump(), "1.5");
  EXPECT_EQ(Json(0.1 + 0.2).Dump(), "0.30000000000000004");
  EXPECT_EQ(Json(100.0).Dump(), "100.0");  // Integral doubles print plainly, still a double.
  EXPECT_EQ(Json(-3.0).Dump(), "-3.0");
  EXPECT_EQ(Json(std::nan("")).Dump(), "null");
  EXPECT_EQ(Json(std::numeric_limits<double>::infinity()).Dump(), "null");
  EXPECT_EQ(Json(-std::numeric_limits<double>::infinity()).Dump(), "null");

  const double values[] = {0.1,
                           1e300,
                           2.0,
                           -0.0,
                           100.0,
                           1.0 / 3.0,
                           123456.789,
                           5e-324,
                           1e-7,
                           2.5e-10,
                           1e21,
                           -1e22,
                           9007199254740993.0,
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::min()};
  for (double d : values) {
    const std::string text = Json(d).Dump();
    Json parsed = MustParse(text);
    ASSERT_EQ(parsed.type(), Json::Type::kDouble) << text;
    EXPECT_EQ(parsed.AsDouble(), d) << text;
    EXPECT_EQ(std::signbit(parsed.AsDouble()), std::signbit(d)) << text;
    EXPECT_EQ(parsed.Dump(), text);
  }
}

// The text of a double is part of what audit hashes cover, so it must stay what it always
// was: "%.1f" for a whole number below 2^53, else the shortest precision whose %.*g
// round-trips (the reference below, the dumper's old algorithm), whatever faster way the dumper
// finds it.
TEST(Json, DoubleDumpIsTheShortestRoundTrippingPrintfG) {
  auto reference = [](double d) {
    char buf[32];
    if (d == std::trunc(d) && std::fabs(d) < 9007199254740992.0) {
      std::snprintf(buf, sizeof(buf), "%.1f", d);
      return std::string(buf);
    }
    for (int precision = 1; precision <= 17; ++precision) {
      std::snprintf(buf, sizeof(buf), "%.*g", precision, d);
      if (std::strtod(buf, nullptr) == d) break;
    }
    std::string text = buf;
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    return text;
  };
  std::mt19937_64 rng(20261207);
  int compared = 0;
  for (int i = 0; i < 200000; ++i) {
    // Any bit pattern (every exponent), durations in days as the reports print them, and
    // whole numbers.
    uint64_t bits = rng();
    double d = 0;
    std::memcpy(&d, &bits, sizeof(d));
    if (i % 3 == 1) d = static_cast<double>(rng() % 400'000'000'000) / 86'400'000.0;
    // Whole numbers, printed plainly ("9.0"), up to 2^53 and past it, of either sign.
    if (i % 3 == 2) {
      const auto magnitude = static_cast<int64_t>(rng() >> (1 + rng() % 63));  // < 2^63
      d = static_cast<double>(magnitude) * (rng() % 2 ? 1 : -1);
    }
    if (!std::isfinite(d)) continue;
    ASSERT_EQ(Json(d).Dump(), reference(d)) << bits;
    ++compared;
  }
  EXPECT_GT(compared, 190000);
}

TEST(Json, GetSetErase) {
  Json j;  // Null becomes an object on the first Set.
  j.Set("name", "Ana");
  j.Set("count", 3);
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.size(), 2u);
  ASSERT_NE(j.Get("name"), nullptr);
  EXPECT_EQ(j.Get("name")->AsString(), "Ana");
  EXPECT_EQ(j.Get("missing"), nullptr);
  EXPECT_TRUE(j.Has("count"));
  EXPECT_FALSE(j.Has("Count"));

  j.Set("count", 4);  // Overwrites.
  EXPECT_EQ(j.GetInt("count"), 4);
  EXPECT_EQ(j.size(), 2u);

  // Set returns the stored value, so nested containers can be filled in place.
  j.Set("nested", Json::MakeObject()).Set("deep", true);
  EXPECT_EQ(j.Dump(), "{\"count\":4,\"name\":\"Ana\",\"nested\":{\"deep\":true}}");

  EXPECT_TRUE(j.Erase("count"));
  EXPECT_FALSE(j.Erase("count"));
  EXPECT_FALSE(j.Has("count"));
  EXPECT_EQ(j.size(), 2u);

  // Non-objects have no keys.
  EXPECT_EQ(Json(1).Get("a"), nullptr);
  EXPECT_EQ(Json::MakeArray().Get("a"), nullptr);
  Json s("text");
  EXPECT_FALSE(s.Erase("a"));
}

TEST(Json, TypedGettersFallBackToDefault) {
  Json j = MustParse("{\"s\":\"x\",\"i\":7,\"d\":2.5,\"b\":true,\"n\":null}");
  EXPECT_EQ(j.GetString("s"), "x");
  EXPECT_EQ(j.GetString("i"), "");
  EXPECT_EQ(j.GetString("missing", "def"), "def");
  EXPECT_EQ(j.GetInt("i"), 7);
  EXPECT_EQ(j.GetInt("d", -1), -1);  // A double is not an int.
  EXPECT_EQ(j.GetInt("s", 9), 9);
  EXPECT_DOUBLE_EQ(j.GetDouble("d"), 2.5);
  EXPECT_DOUBLE_EQ(j.GetDouble("i"), 7.0);  // An int is a number.
  EXPECT_DOUBLE_EQ(j.GetDouble("b", 1.25), 1.25);
  EXPECT_TRUE(j.GetBool("b"));
  EXPECT_TRUE(j.GetBool("n", true));
  EXPECT_FALSE(j.GetBool("missing"));
  EXPECT_EQ(Json(5).GetInt("i", 3), 3);  // Not an object at all.
}

TEST(Json, PushAndSize) {
  Json a;  // Null becomes an array on the first Push.
  a.Push(1);
  a.Push("two");
  a.Push(Json::MakeObject());
  ASSERT_TRUE(a.is_array());
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(a.Dump(), "[1,\"two\",{}]");
  a.AsArray()[2].Set("k", false);
  EXPECT_EQ(a.Dump(), "[1,\"two\",{\"k\":false}]");
  EXPECT_EQ(Json("abc").size(), 0u);
  EXPECT_EQ(Json(3).size(), 0u);
}

TEST(Json, ErrorIsOptional) {
  EXPECT_FALSE(ParseJson("{", nullptr).has_value());
  EXPECT_TRUE(ParseJson(" \t\r\n[1] \t\r\n", nullptr).has_value());
}

#ifndef NDEBUG
TEST(JsonDeathTest, AccessorsAssertOnWrongType) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(Json(1).AsString(), "");
  EXPECT_DEATH(Json("x").AsInt(), "");
  EXPECT_DEATH(Json("x").AsDouble(), "");
  EXPECT_DEATH(Json(1).Set("k", 1), "");
}
#endif

}  // namespace
}  // namespace rsoflow
