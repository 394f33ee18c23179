import { runIdForJob } from '../../src/core/tasks/run-id.js';

describe('run ids of Bull jobs', () => {
  it('is the job id when Dropflow enqueued it (a UUID)', () => {
    expect(runIdForJob('maintenance', '3f1c2b9a-0d4e-4c8b-9a7f-1e2d3c4b5a69')).toBe('3f1c2b9a-0d4e-4c8b-9a7f-1e2d3c4b5a69');
  });

  it('derives a stable, valid UUID from queue and id for jobs other producers added', () => {
    const id = runIdForJob('maintenance', 1);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(runIdForJob('maintenance', '1')).toBe(id);
    expect(runIdForJob('suppliers', 1)).not.toBe(id);
    expect(runIdForJob('maintenance', 2)).not.toBe(id);
  });
});
