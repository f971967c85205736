// The order the suite's files start in. Vitest's default runs the files it has no timings for (a clean
// clone, as CI runs) largest first, project by project: the fast lane, then the slow one, so a short file
// that runs longest (the bench's quick pass) started last and left the other core idle for half a minute or
// more. On two workers, longest first ends soonest: the files below start first, in this order, and the
// rest fill the other core in Vitest's own order.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The slowest files, longest first, as timed in a full run (npm test): seconds of the slowest one first. */
export const longestFirst = [
  'test/docs/browser.test.ts',
  'test/package/pack.test.ts',
  'test/bench/bench.test.ts',
  'test/mock/persistence.test.ts',
  'test/docs/site.test.ts',
  'test/mock/flows.test.ts',
  'test/mock/server-cli.test.ts',
  'test/web-sdk/browser.test.ts',
  'test/release/publish.test.ts',
  'test/docs/start.test.ts',
  'test/mock/soak.test.ts',
  'test/contract/validators.test.ts',
  'test/contract/uncertainty.test.ts',
  'test/release/release.test.ts',
  'test/mock/robustness.test.ts',
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const rank = (file: TestSpecification) => {
      const at = longestFirst.indexOf(relative(root, file.moduleId).split('\\').join('/'));
      return at === -1 ? longestFirst.length : at;
    };
    // A stable sort: the files not listed keep the order Vitest gave them.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
