import {startTransition, useEffect, useState} from 'react';

/** Infima's breakpoint, as the theme's own hook: wider than this is a desktop. */
const desktopBreakpoint = 996;

export type WindowSize = 'desktop' | 'mobile' | 'ssr';

/**
 * The theme's `useWindowSize` (@docusaurus/theme-common/lib/hooks/useWindowSize), put in place of
 * the original by src/plugins/settle-in-transitions.ts. It answers 'ssr' while the page hydrates,
 * then 'mobile' or 'desktop'. On a phone that answer swaps the sidebar and the table of contents
 * for their mobile forms; the original set it in an urgent update, one long task just after
 * hydration, and here it arrives in a transition, rendered in slices.
 */
export function useWindowSize(options: {desktopBreakpoint?: number} = {}): WindowSize {
  const breakpoint = options.desktopBreakpoint ?? desktopBreakpoint;
  const [windowSize, setWindowSize] = useState<WindowSize>('ssr');
  useEffect(() => {
    const update = () => {
      const size = window.innerWidth > breakpoint ? 'desktop' : 'mobile';
      startTransition(() => setWindowSize(size));
    };
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, [breakpoint]);
  return windowSize;
}
