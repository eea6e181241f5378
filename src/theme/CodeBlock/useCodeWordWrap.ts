import {startTransition, useCallback, useEffect, useRef, useState} from 'react';
import type {useCodeWordWrap as useThemeCodeWordWrap} from '@docusaurus/theme-common/internal';

type WordWrap = ReturnType<typeof useThemeCodeWordWrap>;

/**
 * The theme's word wrap for a code block (its button shows when the code scrolls sideways), with
 * the measuring done in a transition. The theme measures every block the moment the page comes
 * alive and sets two states on each, so that forty blocks were redrawn in one urgent task; this
 * course has no tabs, whose panels the theme's version also watched.
 */
export function useCodeWordWrap(): WordWrap {
  const [isEnabled, setIsEnabled] = useState(false);
  const [isCodeScrollable, setIsCodeScrollable] = useState(false);
  const codeBlockRef = useRef<HTMLPreElement>(null);

  const toggle = useCallback(() => {
    const code = codeBlockRef.current?.querySelector('code');
    if (!code) return;
    if (isEnabled) code.removeAttribute('style');
    else {
      code.style.whiteSpace = 'pre-wrap';
      // Even a very long word or string wraps, so that no scroll bar is left.
      code.style.overflowWrap = 'anywhere';
    }
    setIsEnabled((enabled) => !enabled);
  }, [isEnabled]);

  const measure = useCallback(() => {
    const block = codeBlockRef.current;
    if (!block) return;
    const scrollable = block.scrollWidth > block.clientWidth || block.querySelector('code')?.hasAttribute('style') === true;
    startTransition(() => setIsCodeScrollable(scrollable));
  }, []);

  useEffect(measure, [isEnabled, measure]);
  useEffect(() => {
    window.addEventListener('resize', measure, {passive: true});
    return () => window.removeEventListener('resize', measure);
  }, [measure]);

  return {codeBlockRef, isEnabled, isCodeScrollable, toggle};
}
