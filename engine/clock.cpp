#include "engine/clock.h"

#include <cstdio>

namespace rsoflow {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian, no time zone
// database, exact for every date we store.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool Digits(const std::string& s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

std::optional<int64_t> ParseDatePrefix(const std::string& s) {
  int y, m, d;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!Digits(s, 0, 4, &y) || !Digits(s, 5, 2, &m) || !Digits(s, 8, 2, &d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > DaysInMonth(y, m)) {
    return std::nullopt;
  }
  return DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

}  // namespace

int64_t SystemClock::NowMs() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::optional<std::chrono::milliseconds> SystemClock::RealWaitUntil(int64_t due_ms) const {
  const int64_t left = due_ms - NowMs();
  return std::chrono::milliseconds(left > 0 ? left : 0);
}

int64_t FakeClock::NowMs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return now_;
}

int FakeClock::OnAdvance(std::function<void()> callback) {
  std::lock_guard<std::mutex> notify(notify_mu_);
  std::lock_guard<std::mutex> lock(mu_);
  listeners_[next_handle_] = std::move(callback);
  return next_handle_++;
}

void FakeClock::RemoveListener(int handle) {
  std::lock_guard<std::mutex> notify(notify_mu_);
  std::lock_guard<std::mutex> lock(mu_);
  listeners_.erase(handle);
}

void FakeClock::Notify() {
  std::lock_guard<std::mutex> notify(notify_mu_);
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [handle, l] : listeners_) listeners.push_back(l);
  }
  for (auto& l : listeners) l();
}

void FakeClock::Advance(std::chrono::milliseconds by) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += by.count();
  }
  Notify();
}

void FakeClock::Set(int64_t now_ms) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    now_ = now_ms;
  }
  Notify();
}

std::string FormatTime(int64_t ms) {
  int64_t days = ms >= 0 ? ms / kMsPerDay : (ms - kMsPerDay + 1) / kMsPerDay;
  int64_t rem = ms - days * kMsPerDay;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  const int hh = static_cast<int>(rem / 3600000), mi = static_cast<int>(rem / 60000 % 60),
            ss = static_cast<int>(rem / 1000 % 60), frac = static_cast<int>(rem % 1000);
  if (y < 0 || y > 9999) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                  static_cast<long long>(y), m, d, hh, mi, ss, frac);
    return buf;
  }
  // Every audit entry and vote is stamped: written digit by digit, not through printf.
  char buf[25] = "0000-00-00T00:00:00.000Z";
  auto put = [&buf](int at, int width, int value) {
    for (int i = at + width - 1; i >= at; --i, value /= 10)
      buf[i] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, static_cast<int>(y));
  put(5, 2, static_cast<int>(m));
  put(8, 2, static_cast<int>(d));
  put(11, 2, hh);
  put(14, 2, mi);
  put(17, 2, ss);
  put(20, 3, frac);
  return std::string(buf, 24);
}

std::optional<int64_t> ParseDate(const std::string& text) {
  if (text.size() != 10) return std::nullopt;
  return ParseDatePrefix(text);
}

std::string FormatDate(int64_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[48];  // room for any int64 year: -O3 checks the bound (format-truncation)
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::optional<int64_t> ParseTime(const std::string& s) {
  auto days = ParseDatePrefix(s);
  if (!days) return std::nullopt;
  if (s.size() == 10) return *days * kMsPerDay;
  int hh, mm, ss;
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' ||
      !Digits(s, 11, 2, &hh) || !Digits(s, 14, 2, &mm) || !Digits(s, 17, 2, &ss) || hh > 23 ||
      mm > 59 || ss > 59) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t frac_ms = 0;
  if (s[pos] == '.') {
    ++pos;
    int scale = 100, ndigits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      frac_ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
      ++ndigits;
    }
    if (ndigits == 0) return std::nullopt;
  }
  int64_t offset_min = 0;
  if (pos == s.size() - 1 && (s[pos] == 'Z' || s[pos] == 'z')) {
    // UTC
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int oh, om;
    if (!Digits(s, pos + 1, 2, &oh) || !Digits(s, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_min = (oh * 60 + om) * (s[pos] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  const int64_t ms =
      *days * kMsPerDay + (hh * 3600 + mm * 60 + ss) * 1000LL + frac_ms - offset_min * 60000LL;
  // An offset can carry a time at the ends of years 0000-9999 out of them (year -1 or 10000 in
  // UTC), which FormatTime cannot write in a form ParseTime reads back: refused, so every time
  // accepted is one the API and the audit chain can write and read again.
  static const int64_t kFirst = DaysFromCivil(0, 1, 1) * kMsPerDay;
  static const int64_t kEnd = DaysFromCivil(10000, 1, 1) * kMsPerDay;
  if (ms < kFirst || ms >= kEnd) return std::nullopt;
  return ms;
}

int YearOf(int64_t ms) {
  int64_t days = ms >= 0 ? ms / kMsPerDay : (ms - kMsPerDay + 1) / kMsPerDay;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  return static_cast<int>(y);
}

}  // namespace rsoflow
