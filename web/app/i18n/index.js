// Every catalogue of the app. Each area has an English and a Russian file; add one import per
// file and its name to the lists below (later areas may not redefine a key of an earlier one).
import enCore from './en/core.js';
import ruCore from './ru/core.js';
import enRegistry from './en/registry.js';
import ruRegistry from './ru/registry.js';
import enWork from './en/work.js';
import ruWork from './ru/work.js';
import enReports from './en/reports.js';
import ruReports from './ru/reports.js';
import enAdmin from './en/admin.js';
import ruAdmin from './ru/admin.js';
import enResolutions from './en/resolutions.js';
import ruResolutions from './ru/resolutions.js';
import enMandates from './en/mandates.js';
import ruMandates from './ru/mandates.js';
import enNotifications from './en/notifications.js';
import ruNotifications from './ru/notifications.js';

const en = [enCore, enRegistry, enWork, enReports, enAdmin, enResolutions, enMandates,
  enNotifications];
const ru = [ruCore, ruRegistry, ruWork, ruReports, ruAdmin, ruResolutions, ruMandates,
  ruNotifications];

export default {
  en: Object.assign({}, ...en),
  ru: Object.assign({}, ...ru),
};
