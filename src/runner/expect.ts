import * as chai from 'chai';
import {GLOBAL_EXPECT, JestAsymmetricMatchers, JestChaiExpect, JestExtend, setState} from '@vitest/expect';

/**
 * Vitest's `expect` (Jest's matchers on top of chai), the assertion library the hidden tests use:
 * `expect(x).toBe(y)`, `toEqual`, `toThrow`, `resolves` / `rejects`, `toBeCloseTo`, …
 */
chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

export const expect = chai.expect;
setState({assertionCalls: 0, isExpectingAssertions: false, expectedAssertionsNumber: null}, expect as unknown as Parameters<typeof setState>[1]);
(globalThis as Record<symbol, unknown>)[GLOBAL_EXPECT] = expect;
