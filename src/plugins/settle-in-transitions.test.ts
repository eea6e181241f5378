import {existsSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import settleInTransitionsPlugin, {originalModule} from './settle-in-transitions';

describe('settle-in-transitions', () => {
  it('aliases both Docusaurus modules, as imported without an extension, to files of ours', () => {
    const config = settleInTransitionsPlugin().configureWebpack!({} as never, false, {} as never, {} as never) as {resolve: {alias: Record<string, string>}};
    const entries = Object.entries(config.resolve.alias);
    expect(entries.map(([from]) => from.replace(/.*node_modules\//, ''))).toEqual(['@docusaurus/core/lib/client/browserContext$', '@docusaurus/theme-common/lib/hooks/useWindowSize$']);
    for (const [, to] of entries) expect(existsSync(to), to).toBe(true);
  });

  it('stops the build, naming the module, when an original moved or lost an export', () => {
    expect(() => originalModule('@docusaurus/core', 'lib/client/noSuchModule', [])).toThrow(/@docusaurus\/core has no lib\/client\/noSuchModule\.js/);
    expect(() => originalModule('@docusaurus/core', 'lib/client/browserContext', ['Context', 'Renamed'])).toThrow(/browserContext\.js no longer exports Renamed/);
  });
});
