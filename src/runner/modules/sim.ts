/**
 * `@course/sim`: the course's CPython simulator, for exercises about Python's own behaviour:
 *
 *   import {Machine, cpu, io, withLock} from '@course/sim';
 *
 * The whole public API of src/sim (see its index.ts); it is loaded only by exercises that import it.
 */
export * from '../../sim';
