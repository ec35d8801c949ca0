// bench:http:maps reads V8's map log: events in the window are grouped by what made them, and each
// code address is named by the code-creation event whose range holds it.
import { describe, expect, it } from 'vitest';
import { mapSources } from '@/bench/http/map-log';

const code = [
  'code-creation,JS,13,100,0x1000,0x100,get signal node:internal/abort_controller:383:13,0x9,*',
  'code-creation,JS,13,101,0x2000,0x80,bind node:async_hooks:231:7,0x9,~',
];
const map = (event: string, pc: string, reason: string, property: string) => `map,${event},200,0xa,0xb,${pc},1,2,${reason},${property}`;

describe('mapSources', () => {
  it('groups the window\'s map events by event, reason, property and function, most frequent first', () => {
    const before = map('Transition', '0x1010', 'prototype', 'kAborted');
    const window = [
      'map-create,200,0xb', map('Transition', '0x1010', 'prototype', 'symbol("kAborted" hash 1)'),
      'map-create,200,0xc', map('Transition', '0x10f0', 'prototype', 'symbol("kAborted" hash 1)'),
      map('Normalize', '0x2040', 'NormalizeAndCopyAsPrototype', ''),
      map('Normalize', '0x9999', 'NormalizeAndCopyAsPrototype', ''),
      'map-details,200,0xb,…', 'code-creation,JS,13,300,0x3000,0x10,late,0x9,~', '',
    ];
    const r = mapSources([...code, before, ...window], window);
    expect(r.events).toBe(4);
    expect(r.created).toBe(2);
    expect(r.sources).toEqual([
      { event: 'Transition', reason: 'prototype', property: 'symbol("kAborted" hash 1)', at: 'get signal node:internal/abort_controller:383:13', count: 2 },
      { event: 'Normalize', reason: 'NormalizeAndCopyAsPrototype', property: '', at: 'bind node:async_hooks:231:7', count: 1 },
      // Outside every known code range: the raw address, not the nearest function below it.
      { event: 'Normalize', reason: 'NormalizeAndCopyAsPrototype', property: '', at: 'pc 0x9999', count: 1 },
    ]);
  });

  it('skips lines cut short while the process was writing them', () => {
    const r = mapSources(['code-creation,JS,13,1,0x10'], ['map,Transition,1,0xa', map('Transition', 'zz', '', 'x')]);
    expect(r.events).toBe(1);
    expect(r.sources[0]).toMatchObject({ at: 'pc zz', count: 1 });
  });
});
