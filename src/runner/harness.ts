import type {TestResult} from './protocol';

/**
 * A small test runner with the shape of Jest's and Vitest's (`describe`, `it` / `test`,
 * `beforeEach`, `afterEach`), reporting through Sandpack's test events so that SandpackTests
 * draws the results. Tests run one after another, awaiting async ones.
 */
type Body = () => unknown;

interface Suite {
  readonly name: string;
  readonly children: Array<Suite | Case>;
  readonly beforeEach: Body[];
  readonly afterEach: Body[];
}

interface Case {
  readonly name: string;
  readonly body: Body;
}

export type Emit = (event: Record<string, unknown>) => void;

export class Harness {
  private root: Suite = newSuite('');
  private current: Suite = this.root;
  private path = '';
  passed = 0;
  failed = 0;

  constructor(private readonly emit: Emit, private readonly describeError: (error: unknown) => TestResult['errors'][number]) {}

  /** The globals a test file sees. */
  globals() {
    const it = (name: string, body: Body) => {
      this.current.children.push({name: String(name), body});
      this.emit({event: 'add_test', testName: String(name), path: this.path});
    };
    return {
      describe: (name: string, body: () => void) => {
        const suite = newSuite(String(name));
        this.current.children.push(suite);
        const parent = this.current;
        this.current = suite;
        this.emit({event: 'describe_start', blockName: suite.name});
        try {
          body();
        } finally {
          this.emit({event: 'describe_end'});
          this.current = parent;
        }
      },
      it,
      test: it,
      beforeEach: (body: Body) => void this.current.beforeEach.push(body),
      afterEach: (body: Body) => void this.current.afterEach.push(body),
    };
  }

  /** Collects a test file's tests: `load` evaluates the file, which calls the globals. */
  collect(path: string, load: () => void): void {
    this.root = newSuite('');
    this.current = this.root;
    this.path = path;
    load();
  }

  /** Runs what the last `collect` found. */
  async run(): Promise<void> {
    await this.runSuite(this.root, [], [], []);
  }

  private async runSuite(suite: Suite, blocks: string[], before: Body[], after: Body[]): Promise<void> {
    const beforeAll = [...before, ...suite.beforeEach];
    const afterAll = [...suite.afterEach, ...after];
    for (const child of suite.children) {
      if ('children' in child) {
        await this.runSuite(child, [...blocks, child.name], beforeAll, afterAll);
        continue;
      }
      const test: TestResult = {name: child.name, blocks, path: this.path, status: 'running', errors: []};
      this.emit({event: 'test_start', test: {...test}});
      const start = performance.now();
      try {
        for (const hook of beforeAll) await hook();
        await child.body();
      } catch (error) {
        test.errors.push(this.describeError(error));
      }
      // As in Jest, the afterEach hooks run whether or not the test passed.
      for (const hook of afterAll) {
        try {
          await hook();
        } catch (error) {
          test.errors.push(this.describeError(error));
        }
      }
      test.status = test.errors.length ? 'fail' : 'pass';
      if (test.errors.length) this.failed++;
      else this.passed++;
      test.duration = Math.round(performance.now() - start);
      this.emit({event: 'test_end', test});
    }
  }
}

function newSuite(name: string): Suite {
  return {name, children: [], beforeEach: [], afterEach: []};
}
