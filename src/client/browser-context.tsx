import {createContext, startTransition, useEffect, useState, type ReactNode} from 'react';

/**
 * Docusaurus's `useIsBrowser()` context (@docusaurus/core/lib/client/browserContext), put in place
 * of the original by src/plugins/settle-in-transitions.ts. It is false while the page hydrates, so
 * that the first client render matches the server's, and true after. The original turns it true in
 * an urgent update, which React renders in one uninterrupted task; here it is a transition, which
 * React renders in slices that let the browser answer input in between.
 */
export const Context = createContext(false);

export function BrowserContextProvider({children}: {children: ReactNode}): ReactNode {
  const [isBrowser, setIsBrowser] = useState(false);
  useEffect(() => {
    startTransition(() => setIsBrowser(true));
  }, []);
  return <Context.Provider value={isBrowser}>{children}</Context.Provider>;
}
