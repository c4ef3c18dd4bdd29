#include "accounts/authenticator.h"

#include "accounts/auth.h"

namespace rsoflow::accounts {

Actor ActorOf(const UserRecord& u) {
  return Actor{u.id, u.username, u.role, u.rso_id, u.affiliated_rso_ids};
}

Authenticator::Authenticator(Engine& engine, SessionPolicy policy)
    : engine_(engine), policy_(policy) {}

Result<Principal> Authenticator::Authenticate(const std::string& token) {
  if (token.empty() || token.size() > 256) return Status::Unauthenticated("no valid token");
  const std::string hash = auth::TokenHash(token);
  const int64_t now = engine_.clock().NowMs();
  std::unique_lock<std::mutex> lock(mu_);
  auto it = cache_.find(hash);
  // A lookup that overlapped a ForgetUser may have read the user as it was before the change
  // that call announced: it reads again (a change is rare, so this loop ends).
  while (it == cache_.end()) {
    const uint64_t forgotten = forgotten_;
    lock.unlock();
    auto record = engine_.store().GetTokenByHash(hash);
    if (!record.ok()) {
      if (record.status().code() == Status::Code::kNotFound) {
        return Status::Unauthenticated("unknown token");
      }
      return record.status();
    }
    auto user = engine_.store().GetUser(record->user_id);
    if (!user.ok()) return Status::Unauthenticated("the token's user no longer exists");
    Entry e;
    e.token = *record;
    e.user = *user;
    e.last_used = e.stored_last_used = record->last_used_at.value_or(record->created_at);
    lock.lock();
    if (forgotten != forgotten_) {
      it = cache_.find(hash);
      continue;
    }
    if (cache_.size() >= policy_.cache_capacity) cache_.clear();
    it = cache_.emplace(hash, std::move(e)).first;
  }
  Entry& e = it->second;
  if (e.token.revoked_at || revoked_.count(e.token.id) > 0) {
    return Status::Unauthenticated("the token was revoked");
  }
  if (e.token.expires_at && now >= *e.token.expires_at) {
    return Status::Unauthenticated("the token has expired");
  }
  if (e.user.disabled) return Status::Unauthenticated("the account is disabled");
  if (e.token.kind == "session" && now - e.last_used >= policy_.idle_ms) {
    return Status::Unauthenticated("the session expired after 30 minutes without use");
  }
  e.last_used = std::max(e.last_used, now);
  if (now - e.stored_last_used >= policy_.touch_interval_ms) {
    e.stored_last_used = now;
    const std::string id = e.token.id;
    // Not awaited: a lost touch only makes the stored idle clock more conservative.
    engine_.SubmitJob([id, now](Store& store) -> Result<Json> {
      RSOFLOW_RETURN_IF_ERROR(store.TouchToken(id, now));
      return Json();
    });
  }
  return Principal{ActorOf(e.user), e.user, e.token.id, e.token.created_by};
}

Result<accounts::IssuedToken> Authenticator::StartSession(const UserRecord& user) {
  accounts::Acting self;  // a session is the user's own: its login
  self.actor = ActorOf(user);
  return accounts::IssueToken(engine_, user.id, "session", "session",
                              engine_.clock().NowMs() + policy_.absolute_ms, self);
}

Status Authenticator::Revoke(const std::string& token_id, const accounts::Acting* audited_as) {
  RSOFLOW_RETURN_IF_ERROR(accounts::RevokeToken(engine_, token_id, audited_as));
  std::lock_guard<std::mutex> lock(mu_);
  revoked_.insert(token_id);
  for (auto it = cache_.begin(); it != cache_.end();) {
    it = it->second.token.id == token_id ? cache_.erase(it) : std::next(it);
  }
  return Status::Ok();
}

void Authenticator::ForgetUser(const std::string& user_id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++forgotten_;
  for (auto it = cache_.begin(); it != cache_.end();) {
    it = it->second.user.id == user_id ? cache_.erase(it) : std::next(it);
  }
}

}  // namespace rsoflow::accounts
