import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The README's policy guide and sign-in examples show these files as they
// are. Each block after `<!-- include: PATH -->` (or `PATH#region`, the
// lines between `// #region NAME` and `// #endregion NAME`, `# #region`
// in YAML) must equal that file or region, so a snippet that stops
// compiling, or a configuration the browser test no longer signs in with,
// fails here first. `UPDATE_README=1` rewrites the blocks from the files
// instead.
const ROOT = resolve(__dirname, '../../../..');
const README = join(ROOT, 'README.md');
const INCLUDE =
  /^( *)<!-- include: ([^\s#]+)(?:#([\w-]+))? -->\n\n\1```(\w+)\n([\s\S]*?)^\1```\n\n\1<!-- end include -->$/gm;
/** A region marker line: `// #region NAME` in code, `# #region NAME` in YAML. */
const MARKER = /^\s*(?:\/\/|#) #(end)?region\b/;

/** A file's text, or one region of it dedented, without marker lines. */
function source(path: string, region?: string): string {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const lines = text.split('\n').filter(line => !MARKER.test(line));
  if (!region) return `${lines.join('\n').trimEnd()}\n`;
  const all = text.split('\n');
  const marks = (name: string) => (line: string) =>
    MARKER.test(line) && line.trim().replace(/^(\/\/|#) /, '') === name;
  const from = all.findIndex(marks(`#region ${region}`));
  const to = all.findIndex(marks(`#endregion ${region}`));
  if (from < 0 || to < from) throw new Error(`${path} has no region ${region}`);
  const body = all.slice(from + 1, to);
  const indent = Math.min(
    ...body.filter(Boolean).map(line => line.length - line.trimStart().length),
  );
  return `${body.map(line => line.slice(indent)).join('\n')}\n`;
}

/** Indents every non-empty line, as a block inside a list item is. */
const indented = (text: string, indent: string) =>
  text.replace(/^(?=.)/gm, indent);

describe('the README examples', () => {
  const readme = readFileSync(README, 'utf8');
  const includes = [...readme.matchAll(INCLUDE)].map(
    ([, indent, path, region, , shown]) => ({ indent, path, region, shown }),
  );

  if (process.env.UPDATE_README === '1') {
    writeFileSync(
      README,
      readme.replace(
        INCLUDE,
        (
          _all,
          indent: string,
          path: string,
          region: string | undefined,
          language: string,
        ) =>
          [
            `${indent}<!-- include: ${path}${region ? `#${region}` : ''} -->`,
            '',
            `${indent}\`\`\`${language}`,
            `${indented(source(path, region), indent)}${indent}\`\`\``,
            '',
            `${indent}<!-- end include -->`,
          ].join('\n'),
      ),
    );
  }

  it.each(
    includes.map(include => [include.path, include.region ?? '', include]),
  )(
    'shows %s %s as it is',
    (_path, _region, { indent, path, region, shown }) => {
      expect(shown).toEqual(indented(source(path, region), indent));
    },
  );

  it('shows every policy file in full', () => {
    const shownInFull = includes
      .filter(include => !include.region)
      .map(include => include.path);
    const policies = readdirSync(__dirname)
      .filter(file => file.endsWith('.ts') && !file.includes('.test.'))
      .map(file => `packages/backend/src/policies/${file}`)
      .filter(path => !path.endsWith('CatalogManagerDirectory.ts'));
    expect(policies.length).toBeGreaterThanOrEqual(3);
    for (const policy of policies) expect(shownInFull).toContain(policy);
  });
});
