import {useEffect, useMemo, useRef, useState, type ReactNode, type RefObject} from 'react';
import {
  SandpackCodeEditor,
  SandpackConsole,
  SandpackLayout,
  SandpackProvider,
  SandpackTests,
  useSandpack,
  type SandpackThemeProp,
} from '@codesandbox/sandpack-react';
import {useColorMode} from '@docusaurus/theme-common';
import useBaseUrl from '@docusaurus/useBaseUrl';
import type {ExerciseOutcomeMessage} from '@site/src/runner/protocol';
import type {ExerciseSpec} from './spec';
import {browserStorage, forgetWork, saveWork, type SavedWork} from './storage';
import Toolbar from './Toolbar';
import type {ToolbarProps} from './Toolbar';
import styles from './styles.module.css';

interface WorkspaceProps {
  id: string;
  spec: ExerciseSpec;
  saved: SavedWork | null;
  timeLimit: number;
  toolbar: Omit<ToolbarProps, 'ready'>;
  /** null when a run starts; the runner's outcome when it ends. */
  onOutcome: (outcome: ExerciseOutcomeMessage | null) => void;
  onReset: () => void;
}

/**
 * Sandpack's light and dark themes with the text colours that fell short raised to 4.6:1 or more
 * against each of the theme's surfaces (WCAG AA; axe: color-contrast): file tabs, line numbers,
 * comments and a few syntax colours. Sandpack fills in the rest from its theme of the same mode.
 */
const themes = {
  light: {
    colors: {surface1: '#ffffff', clickable: '#6a6a6a', accent: '#1f5f99', disabled: '#6a6a6a', error: '#d02314'},
    syntax: {comment: {color: '#6b6b6b', fontStyle: 'italic'}, keyword: '#734fe1', tag: '#0865d8', definition: '#5c7300', string: '#2d68ca'},
  },
  dark: {
    colors: {surface1: '#151515', base: '#989898', disabled: '#989898'},
    syntax: {comment: {color: '#999999', fontStyle: 'italic'}, static: '#d87f7b', string: '#a28ae0'},
  },
} satisfies Record<'light' | 'dark', SandpackThemeProp>;

const setAttribute = (element: Element, name: string, value: string) => element.getAttribute(name) !== value && element.setAttribute(name, value);

/**
 * Sandpack draws each file tab as a button inside an element with role="tab": a control inside a
 * control, which a screen reader announces twice (axe: nested-interactive). The button becomes the
 * tab (it already has the id the editor's tab panel is labelled by) and its wrapper only lays it
 * out. Sandpack sets aria-selected on the wrapper again whenever the active file changes, so the
 * tabs are watched and fixed again after each of its renders.
 */
function useFileTabsAsButtons(root: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = root.current;
    if (!element) return;
    const fix = () => {
      element.querySelectorAll('.sp-tab-container').forEach((wrapper) => {
        const button = wrapper.querySelector('button');
        if (!button) return;
        for (const name of ['aria-selected', 'aria-controls']) {
          const value = wrapper.getAttribute(name);
          if (value === null) continue;
          setAttribute(button, name, value);
          wrapper.removeAttribute(name);
        }
        setAttribute(button, 'role', 'tab');
        setAttribute(wrapper, 'role', 'presentation');
      });
    };
    fix();
    const observer = new MutationObserver(fix);
    observer.observe(element, {subtree: true, childList: true, attributes: true, attributeFilter: ['role', 'aria-selected', 'aria-controls']});
    return () => observer.disconnect();
  }, [root]);
}

/** Sandpack's own editor, tests panel and console, talking to the site's runner page. */
export default function Workspace(props: WorkspaceProps): ReactNode {
  const {spec, saved, timeLimit} = props;
  const {colorMode} = useColorMode();
  const workspace = useRef<HTMLDivElement>(null);
  useFileTabsAsButtons(workspace);
  const runnerPath = useBaseUrl('/runner/');
  // Sandpack needs an absolute bundler URL (it is a postMessage target).
  const bundlerURL = useMemo(() => new URL(`${runnerPath}?timeLimit=${timeLimit}`, window.location.href).href, [runnerPath, timeLimit]);
  const files = useMemo(
    () =>
      Object.fromEntries(
        Object.entries(spec.files).map(([path, file]) => [
          path,
          {code: saved?.files[path] ?? file.code, hidden: file.hidden, readOnly: file.readOnly, active: path === spec.active},
        ]),
      ),
    [spec, saved],
  );
  const visibleFiles = Object.keys(spec.files).filter((path) => !spec.files[path].hidden);

  return (
    <SandpackProvider
      template="vanilla-ts"
      files={files}
      theme={themes[colorMode]}
      options={{bundlerURL, visibleFiles, activeFile: spec.active, recompileMode: 'immediate', initMode: 'immediate'}}
    >
      <div ref={workspace} className={styles.workspace}>
        <SandpackLayout className={styles.layout}>
          <SandpackCodeEditor className={styles.editor} showTabs showLineNumbers />
          <div className={styles.panels}>
            <SandpackTests className={styles.tests} watchMode={false} showWatchButton={false} showVerboseButton={false} />
            <SandpackConsole className={styles.console} showHeader resetOnPreviewRestart maxMessageCount={250} />
          </div>
        </SandpackLayout>
      </div>
      <Controls {...props} />
    </SandpackProvider>
  );
}

function Controls({id, spec, saved, toolbar, onOutcome, onReset}: WorkspaceProps): ReactNode {
  const {sandpack, listen, dispatch} = useSandpack();
  const [ready, setReady] = useState(false);
  const [storageNote, setStorageNote] = useState<string | null>(null);
  const result = useRef(saved?.result ?? null);
  const visible = Object.keys(spec.files).filter((path) => !spec.files[path].hidden);
  const codeOf = (path: string) => sandpack.files[path]?.code ?? '';

  const save = () => {
    const ok = saveWork(browserStorage(), id, spec.version, {
      files: Object.fromEntries(visible.map((path) => [path, codeOf(path)])),
      result: result.current,
    });
    setStorageNote(ok ? null : 'Your work could not be saved in this browser (its storage is full or switched off).');
  };

  // The listener lives as long as the client; it reaches this render's functions through a ref.
  const latest = useRef({save, onOutcome});
  latest.current = {save, onOutcome};
  useEffect(
    () =>
      listen((message) => {
        const data = message as unknown as {type: string};
        if (data.type === 'done') setReady(true);
        if (data.type === 'exercise-outcome') {
          const outcome = message as unknown as ExerciseOutcomeMessage;
          result.current = {outcome: outcome.outcome, passed: outcome.passed, failed: outcome.failed};
          latest.current.onOutcome(outcome);
          latest.current.save();
        }
      }),
    [listen],
  );

  // Autosave: every edit, a moment after the typing stops.
  const edited = visible.map(codeOf).join('\u0000');
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const timer = setTimeout(() => latest.current.save(), 300);
    return () => clearTimeout(timer);
  }, [edited]);

  const run = () => {
    onOutcome(null);
    dispatch({type: 'run-all-tests'});
  };

  const replaceCode = (code: Record<string, string>) => {
    for (const [path, text] of Object.entries(code)) sandpack.updateFile(path, text);
  };

  const reset = () => {
    if (!window.confirm('Reset this exercise to its starter code? Your changes will be lost.')) return;
    replaceCode(Object.fromEntries(visible.map((path) => [path, spec.files[path].code])));
    result.current = null;
    forgetWork(browserStorage(), id, spec.version);
    onReset();
  };

  const loadSolution = () => {
    const untouched = visible.every((path) => codeOf(path) === spec.files[path].code || codeOf(path) === spec.solution[path]);
    if (!untouched && !window.confirm('Replace your code with the solution? Your changes will be lost.')) return;
    replaceCode(spec.solution);
  };

  return (
    <>
      <Toolbar {...toolbar} ready={ready} onRun={run} onReset={reset} onLoadSolution={loadSolution} />
      {storageNote && (
        <p className={styles.problem} role="status">
          {storageNote}
        </p>
      )}
    </>
  );
}
