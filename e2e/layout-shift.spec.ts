import {builtPages, expect, expectNoFaults, rootBuild, test} from './site';
import {describeShifts, layoutShiftReport, recordLayoutShifts, scrollThrough} from './layout-shift';

/** The budget of issue 8: cumulative layout shift under 0.05 on every page, read while scrolling. */
const BUDGET = 0.05;

const viewports = {
  desktop: {width: 1280, height: 800, colorScheme: 'light'},
  phone: {width: 375, height: 740, colorScheme: 'dark'},
} as const;

// Layout does not depend on where the site is hosted: the sub-path run leaves this to the root run.
for (const path of rootBuild ? builtPages() : []) {
  for (const [name, viewport] of Object.entries(viewports)) {
    test(`/${path} on a ${name} shifts less than ${BUDGET} while scrolled through`, async ({page, faults}) => {
      test.setTimeout(120_000);
      await page.emulateMedia({colorScheme: viewport.colorScheme});
      await page.setViewportSize({width: viewport.width, height: viewport.height});
      await recordLayoutShifts(page);
      await page.goto(path);
      await scrollThrough(page);
      const report = await layoutShiftReport(page);
      expect(report.cls, `layout shift on /${path} (${name}), largest shifts:\n${describeShifts(report)}`).toBeLessThan(BUDGET);
      expectNoFaults(faults);
    });
  }
}
