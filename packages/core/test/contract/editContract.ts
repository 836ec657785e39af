import { describe, expect, it } from 'vitest';
import { CONTRACT } from './contractFacts.js';
import { type ContractContext, expectCode, expectPlainData } from './storeAccessContract.js';

/** Edits run last: they change the `edited`, `deleted` and new pending runs only. */
export function describeEditContract(context: ContractContext): void {
  describe('edits', () => {
    const edited = { project: CONTRACT.project, id: CONTRACT.edited };

    it('updates a run document and summary keys, and returns the run as stored', async () => {
      const after = await context.access.updateRun(edited, {
        name: 'renamed',
        tags: ['x', 'y'],
        notes: 'edited by the contract',
        config: { lr: 0.25 },
        summary: { set: { best: Number.NaN, note: 'hi' }, remove: ['loss'] },
      });
      expectPlainData(after, context.store);
      const read = await context.access.readRun(edited);
      for (const run of [after, read]) {
        expect(run.record).toMatchObject({ name: 'renamed', tags: ['x', 'y'], notes: 'edited by the contract' });
        expect(run.record.config).toEqual({ lr: 0.25 });
        expect(Number.isNaN(run.summary.best)).toBe(true);
        expect(run.summary.note).toBe('hi');
        expect(run.summary).not.toHaveProperty('loss');
      }
      await expectCode(context.access.updateRun(edited, { name: '' }), 'INVALID_ARGUMENT');
      await expectCode(context.access.updateRun(edited, { tags: [1 as unknown as string] }), 'INVALID_ARGUMENT');
      await expectCode(
        context.access.updateRun({ project: CONTRACT.project, id: 'nosuchrun' }, { notes: '' }),
        'RUN_NOT_FOUND',
      );
      expect((await context.access.readRun(edited)).record.name).toBe('renamed'); // refused edits wrote nothing
    });

    it('requeues and fails runs only along the allowed transitions', async () => {
      await expectCode(context.access.setRunState(edited, 'pending'), 'STATE_TRANSITION'); // finished
      const failed = { project: CONTRACT.project, id: CONTRACT.failed };
      expect((await context.access.setRunState(failed, 'pending')).state).toBe('pending');
      expect((await context.access.setRunState(failed, 'failed')).state).toBe('failed');
      await expectCode(context.access.setRunState(failed, 'running' as 'failed'), 'STATE_TRANSITION');
    });

    it('creates a pending run, refusing an id that is taken', async () => {
      const created = await context.access.createRun({
        project: CONTRACT.project,
        id: 'queued',
        name: 'queued',
        config: { lr: 1 },
      });
      expectPlainData(created, context.store);
      expect(created.state).toBe('pending');
      expect((await context.access.readRun({ project: CONTRACT.project, id: 'queued' })).record.config).toEqual({
        lr: 1,
      });
      await expectCode(context.access.createRun({ project: CONTRACT.project, id: 'queued' }), 'RUN_EXISTS');
      await expectCode(context.access.createRun({ project: CONTRACT.project, id: 'bad/id' }), 'INVALID_ARGUMENT');
    });

    it('deletes a run: it is gone from reads and listings', async () => {
      const doomed = { project: CONTRACT.project, id: CONTRACT.deleted };
      await context.access.deleteRun(doomed);
      await expectCode(context.access.readRun(doomed), 'RUN_NOT_FOUND');
      const { runs } = await context.access.listRuns({ project: CONTRACT.project });
      expect(runs.map((r) => r.record.id)).not.toContain(CONTRACT.deleted);
      await expectCode(context.access.deleteRun(doomed), 'RUN_NOT_FOUND');
    });
  });
}
