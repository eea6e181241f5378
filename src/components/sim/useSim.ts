import {useEffect, useState} from 'react';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import {callSim} from './client';
import type {SimApi, SimMethod} from './worker-api';

/** A widget's state, as `data-state` shows it (DESIGN.md's DOM contract). */
export type SimState = 'idle' | 'running' | 'done' | 'error';

export interface SimCall<T> {
  state: SimState;
  value: T | null;
  error: string | null;
  /** performance.now() when the call behind `value` was made: a widget times its reruns from it. */
  startedAt: number;
}

/**
 * Calls the simulator in its Worker whenever `enabled` and the arguments (compared as JSON) change;
 * the last value stays on screen while a rerun is under way.
 */
export function useSim<M extends SimMethod>(enabled: boolean, method: M, ...args: Parameters<SimApi[M]>): SimCall<ReturnType<SimApi[M]>> {
  const {siteConfig} = useDocusaurusContext();
  const key = JSON.stringify(args);
  const [call, setCall] = useState<SimCall<ReturnType<SimApi[M]>>>({state: 'idle', value: null, error: null, startedAt: 0});
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    const startedAt = performance.now();
    setCall((previous) => ({...previous, state: 'running', error: null}));
    callSim(siteConfig.baseUrl, method, ...(JSON.parse(key) as Parameters<SimApi[M]>)).then(
      (value) => current && setCall({state: 'done', value, error: null, startedAt}),
      (error: Error) => current && setCall((previous) => ({...previous, state: 'error', error: error.message})),
    );
    return () => {
      current = false;
    };
  }, [enabled, method, key, siteConfig.baseUrl]);
  return call;
}
