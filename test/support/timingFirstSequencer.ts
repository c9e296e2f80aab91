// Vitest's order (slowest first, from the last run's cache; alphabetical-ish on a fresh clone) with the
// timing-bound cluster test moved to the front of its project: on a fresh clone it ran after the broker-heavy tests
// on the shared broker and met a 429 four seconds in, before its kill (2 of 2 CI runs on 2026-12-02), while run
// first or alone it passed every time. Until that is explained (issue 13), it runs on the broker as it starts.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const FIRST = /schedulerCluster\.test\.ts$/;

export default class TimingFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((file) => FIRST.test(file.moduleId)), ...sorted.filter((file) => !FIRST.test(file.moduleId))];
  }
}
