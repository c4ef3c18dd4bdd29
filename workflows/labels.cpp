// Russian terms follow the policy's Russian text: РОС, Совет ИСО, ИСО/ЦС, мероприятие ИСО,
// Руководство 21 ИСО/МЭК, обучение и техническая помощь, обмен информацией, совместные
// обмены, План действий ИСО для развивающихся стран.
#include "workflows/labels.h"

namespace rsoflow::labels {

const LabelMap& SharedReasons() {
  static const LabelMap kLabels = {
      {"comment_required", {"A comment is required", "Требуется комментарий"}},
      {"rso_not_registered", {"The RSO is not registered", "РОС не зарегистрирована"}},
      {"rso_not_recognized",
       {"The RSO is not recognized by Council", "РОС не признана Советом ИСО"}},
      {"iso_event_does_not_list_rso",
       {"The ISO event does not list the RSO", "Мероприятие ИСО не включает эту РОС"}},
      {"timer_postponed",
       {"The event could not be decided; it will be tried again later",
        "Событие не удалось обработать; попытка будет повторена позже"}},
      // Given by the API for a Council member's event (issue 17, separation of duties).
      {"token_not_own",
       {"A Council member votes and recuses only with a session or token they obtained "
        "themselves, not one issued for them by someone else",
        "Член Совета ИСО голосует и заявляет самоотвод только через сеанс или токен, "
        "полученный им самим, а не выданный ему другим лицом"}},
      // Mandates (engine/mandate_policy.h): giving one, and acting under one.
      {"self_mandate",
       {"A user cannot give a mandate to itself", "Нельзя выдать доверенность самому себе"}},
      {"unknown_user", {"There is no such user", "Такого пользователя нет"}},
      {"user_disabled", {"The user is disabled", "Пользователь заблокирован"}},
      {"role_not_delegable",
       {"An administrator takes part in no workflow", "Администратор не участвует в процессах"}},
      {"role_mismatch",
       {"Both users must have the same role (a liaison's deputy: a liaison of the same RSO)",
        "У обоих пользователей должна быть одна роль (заместитель контактного лица — контактное "
        "лицо той же РОС)"}},
      {"mandate_chain",
       {"A delegate cannot pass a mandate on", "Представитель не может передать доверенность"}},
      {"no_mandate",
       {"No mandate in force covers this workflow today",
        "Нет доверенности, действующей сегодня для этого процесса"}},
  };
  return kLabels;
}

const LabelMap& EngineEvents() {
  static const LabelMap kLabels = {
      {"create", {"Created", "Создание"}},
      {"import", {"Imported", "Импорт"}},
      // The entries about users and tokens (workflow "accounts", accounts/account_audit.h).
      {"user_created", {"User created", "Пользователь создан"}},
      {"user_changed", {"User changed", "Пользователь изменён"}},
      {"password_changed", {"Password changed", "Пароль изменён"}},
      {"token_created", {"Token issued", "Токен выдан"}},
      {"token_revoked", {"Token revoked", "Токен отозван"}},
      {"mandate_given", {"Mandate given", "Доверенность выдана"}},
      {"mandate_revoked", {"Mandate revoked", "Доверенность отозвана"}},
  };
  return kLabels;
}

const LabelMap& AccountStates() {
  static const LabelMap kLabels = {
      {"enabled", {"Enabled", "Активен"}},
      {"disabled", {"Disabled", "Заблокирован"}},
      {"live", {"Valid", "Действует"}},
      {"revoked", {"Revoked", "Отозван"}},
  };
  return kLabels;
}

const LabelMap& Roles() {
  static const LabelMap kLabels = {
      {"secretariat", {"ISO Central Secretariat", "Центральный секретариат ИСО"}},
      {"council", {"Council member", "Член Совета ИСО"}},
      {"rso_liaison", {"RSO liaison", "Контактное лицо РОС"}},
      {"auditor", {"Auditor", "Аудитор"}},
      {"admin", {"Administrator", "Администратор"}},
      {"system", {"System", "Система"}},
  };
  return kLabels;
}

const LabelMap& InitiativeTypes() {
  static const LabelMap kLabels = {
      {"event_promotion",
       {"Promoting ISO initiatives and events", "Продвижение инициатив и мероприятий ИСО"}},
      {"engagement_strategy",
       {"Guidance on engaging members", "Указания по стратегиям вовлечения членов"}},
      {"standards_adoption",
       {"Regional adoption of International Standards (ISO/IEC Guide 21)",
        "Региональное принятие международных стандартов (Руководство 21 ИСО/МЭК)"}},
      {"training", {"Training", "Обучение"}},
      {"technical_assistance", {"Technical assistance", "Техническая помощь"}},
      {"information_sharing", {"Information sharing", "Обмен информацией"}},
      {"cooperative_exchange", {"Cooperative exchanges", "Совместные обмены"}},
      {"technical_cooperation", {"Technical cooperation", "Техническое сотрудничество"}},
      // Policy 3.2: "partners in any aspect of ISO activities" / "к любому аспекту деятельности
      // ИСО".
      {"other", {"Other aspect of ISO activities", "Другой аспект деятельности ИСО"}},
  };
  return kLabels;
}

const LabelMap& IsoEventTypes() {
  static const LabelMap kLabels = {
      {"iso_week", {"ISO Week", "Неделя ИСО"}},
      {"regional_workshop", {"Regional workshop", "Региональный семинар"}},
      {"devco_meeting", {"DEVCO meeting", "Заседание ДЕВКО"}},
      {"leadership_programme", {"Leadership programme", "Программа для руководителей"}},
      {"rso_general_assembly", {"RSO general assembly", "Генеральная ассамблея РОС"}},
      {"webinar", {"Webinar", "Вебинар"}},
      {"other", {"Other", "Другое"}},
  };
  return kLabels;
}

const LabelMap& Regions() {
  static const LabelMap kLabels = {
      {"Africa", {"Africa", "Африка"}},
      {"Americas", {"Americas", "Америка"}},
      {"Arab region", {"Arab region", "Арабский регион"}},
      {"Asia-Pacific", {"Asia-Pacific", "Азиатско-Тихоокеанский регион"}},
      {"Europe & Central Asia", {"Europe & Central Asia", "Европа и Центральная Азия"}},
  };
  return kLabels;
}

}  // namespace rsoflow::labels
