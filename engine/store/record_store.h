// RecordStore: the generic domain records (engine/record.h: RSOs, ISO events, ...) and the
// named counters that number things, one part of the Store (engine/store.h).
//
// The writer side (Insert/Update, *ForWrite, NextCounter) is called only by the engine's
// writer thread inside a transaction; the reader side is thread-safe and sees the last
// committed state. A storage failure is Code::kUnavailable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/record.h"
#include "engine/status.h"

namespace rsoflow {

// Filters of ListRecordsWhere; an empty one matches everything.
struct RecordFilter {
  std::string region;          // the data's "region"
  std::string kind;            // the data's "kind"
  std::string state;           // the state of the record's latest instance of state_workflow
  std::string state_workflow;  // (an instance's rso_id is its record's id)
};

class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // ---- writer side ----
  // InsertRecord returns the new id; a taken (kind, key) is kDuplicate.
  virtual Result<std::string> InsertRecord(const Record& record) = 0;
  virtual Status UpdateRecord(const Record& record) = 0;
  virtual Result<Record> GetRecordForWrite(const std::string& kind, const std::string& id) = 0;
  // The next value of the counter `name` (1 first).
  virtual Result<int64_t> NextCounter(const std::string& name) = 0;

  // ---- reader side (thread-safe) ----
  virtual Result<Record> GetRecord(const std::string& kind, const std::string& id) = 0;
  // Records of a kind with id greater than after_id, by id.
  virtual Result<std::vector<Record>> ListRecords(const std::string& kind, int64_t after_id,
                                                  int limit) = 0;
  // The same, only those matching `filter`: a range read of an index on the region or kind.
  virtual Result<std::vector<Record>> ListRecordsWhere(const std::string& kind,
                                                       const RecordFilter& filter, int64_t after_id,
                                                       int limit) = 0;
};

}  // namespace rsoflow
