// The words of a notification (DESIGN 9) in the recipient's language, English or Russian: the
// in-app list's "text" and the e-mail's subject and body. Rendered when read or sent, from
// what the row recorded (its type and detail), so a state's label is the workflow's own.
//
// Thread-safety: pure functions of immutable inputs.
#pragma once

#include <string>

#include "engine/store/notification_store.h"
#include "engine/workflow_registry.h"

namespace rsoflow::api {

// "en" or "ru"; anything else reads as English.
std::string NotificationText(const WorkflowRegistry& registry, const NotificationRow& row,
                             const std::string& language);

struct MailText {
  std::string subject;
  std::string body;  // plain text, UTF-8
};

// `link` is the instance's page in the web app.
MailText NotificationMail(const WorkflowRegistry& registry, const NotificationRow& row,
                          const std::string& language, const std::string& link);

// The reason codes the webhook routes give (422), in both languages (GET /api/v1/labels).
const LabelMap& WebhookReasonLabels();

}  // namespace rsoflow::api
