// Labels of council_ballot. Russian terms follow the policy's Russian text (Совет ИСО,
// резолюция).
#include "workflows/council_ballot/workflow.h"
#include "workflows/meta_builder.h"

namespace rsoflow::council_ballot {

void AddLabels(MetaSpec* spec) {
  spec->label = {"Council ballot", "Голосование Совета ИСО"};
  spec->state_labels = {
      {"open", {"Open for voting", "Открыто для голосования"}},
      {"approved", {"Approved", "Одобрено"}},
      {"rejected", {"Rejected", "Отклонено"}},
      {"no_quorum", {"No quorum", "Нет кворума"}},
      {"cancelled", {"Cancelled", "Отменено"}},
  };
  spec->event_labels = {
      {"vote", {"Vote", "Проголосовать"}},
      {"recuse", {"Recuse", "Заявить самоотвод"}},
      {"extend", {"Extend the deadline", "Продлить срок"}},
      {"close", {"Close the ballot", "Закрыть голосование"}},
      {"cancel", {"Cancel", "Отменить"}},
  };
  spec->reason_labels = {
      {"no_council_reviewers",
       {"There are no active Council reviewers", "Нет активных членов Совета ИСО"}},
      {"every_reviewer_conflicted",
       {"Every active Council reviewer has a conflict of interest",
        "У всех активных членов Совета ИСО конфликт интересов"}},
      {"voting_deadline_passed", {"The voting deadline has passed", "Срок голосования истёк"}},
      {"already_excluded",
       {"Excluded for a conflict of interest", "Отстранён из-за конфликта интересов"}},
      {"already_recused", {"Already recused", "Самоотвод уже заявлен"}},
      // Why a member is in a ballot's `exclusions` (DESIGN 8).
      {"affiliated_with_rso",
       {"Affiliated with the RSO the ballot decides on",
        "Аффилирован с РОС, по которой принимается решение"}},
      {"already_voted", {"Already voted", "Голос уже подан"}},
      {"deadline_not_in_future",
       {"The deadline must be in the future", "Срок должен быть в будущем"}},
      {"voting_period_too_short",
       {"The voting period is shorter than the Council's minimum",
        "Срок голосования короче минимального срока, установленного Советом ИСО"}},
      {"deadline_not_later",
       {"The new deadline must be later than the current one",
        "Новый срок должен быть позже текущего"}},
      {"ballot_still_open",
       {"The deadline has not passed and not every eligible member has voted",
        "Срок не истёк, и проголосовали не все члены, имеющие право голоса"}},
      {"ballot_decides_waiting_subject",
       {"This ballot decides an item that waits for its outcome; withdraw that item instead",
        "Голосование решает вопрос, ожидающий его итогов; вместо отмены отзовите этот вопрос"}},
  };
}

}  // namespace rsoflow::council_ballot
