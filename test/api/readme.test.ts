import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';

/** The README's walkthrough, exactly as written, pointed at a test server instead of port 8065. */
function walkthroughScript(baseUrl: string, token: string): string {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## A five-minute walkthrough'));
  const blocks = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const script = blocks.find((b) => b.includes('export MUSTER='));
  assert.ok(script, 'README walkthrough block not found');
  assert.ok(script.includes('walkthrough-token-0123456789'));
  return script.replace('http://localhost:8065', baseUrl).replaceAll('walkthrough-token-0123456789', token);
}

for (const kind of testDatabases()) {
  describe(`${kind}: README walkthrough`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind);
    });
    after(async () => {
      await h.close();
    });

    // Async: the server answering curl lives in this process, so the event loop must keep running.
    test('the curl walkthrough runs as written and finishes the run', async () => {
      const { stdout: out } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', walkthroughScript(h.url, h.admin.token)], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      const last = JSON.parse(out.slice(out.lastIndexOf('{\n')));
      assert.equal(last.current_status, 'Finished');
      assert.deepEqual(
        last.timeline.filter((t: string) => ['incident_created', 'task_state_modified', 'status_updated', 'run_finished'].includes(t)),
        ['incident_created', 'task_state_modified', 'status_updated', 'run_finished'],
      );
    });
  });
}
