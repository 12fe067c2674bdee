import { h } from '../dom.js';

export default async function render(main, params) {
  main.append(h('h1', {}, 'audiobook'), h('p', {}, JSON.stringify(params)));
}
