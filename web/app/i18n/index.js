// Every catalogue of the app. Each area has an English and a Russian file; add one import per
// file and its name to the lists below (later areas may not redefine a key of an earlier one).
import enCore from './en/core.js';
import ruCore from './ru/core.js';

const en = [enCore];
const ru = [ruCore];

export default {
  en: Object.assign({}, ...en),
  ru: Object.assign({}, ...ru),
};
