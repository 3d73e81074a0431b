// Accessibility checks for the browser test: axe-core (WCAG 2.0/2.1 A and
// AA rules) on what the page shows at that moment.
import { AxeBuilder } from '@axe-core/playwright';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * The serious and critical violations on `page` now, as lines naming the
 * rule, how many elements and the first few of them. `include` narrows the
 * check to part of the page (an open dialog).
 */
export async function seriousViolations(page, include) {
  // A dialog still fading in is half transparent: axe would measure the
  // contrast of its text against the backdrop. Wait for transitions to end
  // (not for endless ones, such as a progress bar).
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every(
        animation =>
          animation.playState !== 'running' ||
          animation.effect?.getTiming().iterations === Infinity,
      ),
  );
  let builder = new AxeBuilder({ page }).withTags(TAGS);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter(violation => ['serious', 'critical'].includes(violation.impact))
    .map(
      violation =>
        `${violation.id} (${violation.impact}) on ${violation.nodes.length}: ${violation.nodes
          .slice(0, 4)
          .map(
            node =>
              `${node.target.join(' ')} ${node.failureSummary?.split('\n')[1]?.trim() ?? ''}`,
          )
          .join(' | ')}`,
    );
}
