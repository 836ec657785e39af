import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { isProcessAlive } from '@runlog/core/internal';
import { describe, expect, it } from 'vitest';

describe.runIf(process.platform === 'linux')('isProcessAlive', () => {
  it('a zombie (dead, not reaped yet) is not alive, though signal 0 still reaches it', async () => {
    // `sleep 0` is backgrounded by sh, which then becomes `sleep 5`: sleep never reaps, so `sleep 0` stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [chunk] = (await once(parent.stdout!, 'data')) as [Buffer];
      const zombie = Number(chunk.toString().trim());
      const state = () => readFileSync(`/proc/${zombie}/stat`, 'latin1').split(') ')[1]?.charAt(0);
      for (let i = 0; i < 200 && state() !== 'Z'; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(state()).toBe('Z');
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(isProcessAlive(zombie)).toBe(false);
      expect(isProcessAlive(parent.pid!)).toBe(true);
    } finally {
      parent.kill();
    }
  });
});
