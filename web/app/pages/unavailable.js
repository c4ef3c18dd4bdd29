// A page whose module is missing or failed to load: a friendly sentence, not a broken app.
import { h, mount } from '../core/dom.js';

export async function render(main, params, ctx) {
  const { t } = ctx;
  mount(main,
    h('h1', { class: 'heading-l', id: 'unavailable-title' }, t('unavailable.title')),
    h('p', { class: 'body' }, t('unavailable.text')),
    h('p', { class: 'body' }, h('a', { href: ctx.home() }, t('notfound.home'))));
}
