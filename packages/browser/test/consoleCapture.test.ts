import { describe, expect, it } from 'vitest';
import { captureConsole, formatConsoleArgs } from '../src/consoleCapture.js';

describe("a page's console mirrored into the run's output", () => {
  it('formats calls as the console prints them', () => {
    expect(formatConsoleArgs(['epoch %d done: %o', 3, { epoch: 3 }])).toBe('epoch 3 done: {"epoch":3}');
    expect(formatConsoleArgs(['%s/%i %f %% %cstyled', 'a', 7.9, 0.5, 'color: red', 'extra'])).toBe(
      'a/7 0.5 % styled extra',
    );
    expect(formatConsoleArgs(['loss', 0.25, true, null, undefined, [1, 2]])).toBe(
      'loss 0.25 true null undefined [1,2]',
    );
    expect(formatConsoleArgs(['%d left', 10n])).toBe('10n left');
    expect(formatConsoleArgs(['too few: %s %s', 'one'])).toBe('too few: one %s');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(formatConsoleArgs([cycle])).toBe('[object Object]');
    const error = new Error('boom');
    expect(formatConsoleArgs(['failed:', error])).toBe(`failed: ${error.stack}`);
    expect(formatConsoleArgs([])).toBe('');
  });

  it('still prints, hands each line over, and stops at release without undoing a later wrapper', () => {
    const printed: unknown[][] = [];
    const original = console.debug;
    console.debug = (...args: unknown[]) => printed.push(args);
    try {
      const lines: string[] = [];
      const release = captureConsole((text) => lines.push(text));
      console.debug('step', 1);
      expect(printed).toEqual([['step', 1]]);
      expect(lines).toEqual(['step 1\n']);
      release();
      console.debug('after');
      expect(lines).toEqual(['step 1\n']);
      expect(printed.at(-1)).toEqual(['after']);

      const again = captureConsole(() => {
        throw new Error('a broken sink');
      });
      const later = console.debug;
      const wrappedByOthers = (...args: unknown[]) => later(...args);
      console.debug = wrappedByOthers;
      console.debug('never throws'); // the capture's failure stays inside it
      again();
      expect(console.debug).toBe(wrappedByOthers);
    } finally {
      console.debug = original;
    }
  });
});
