import { h } from '../dom.js';

export default async function render(main, params) {
  main.append(h('h1', {}, 'search'), h('p', {}, JSON.stringify(params)));
}
