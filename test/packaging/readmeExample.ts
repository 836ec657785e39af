/**
 * A package README's opening, as the packaging tests read it: an install block (```sh with `npm i ...` lines)
 * followed by the first example. The consumer test installs what the install block names and runs the example.
 */

export interface CodeBlock {
  lang: string;
  code: string;
  /** 1-based line of the opening fence, for error messages. */
  line: number;
}

export interface ReadmeOpening {
  /** The package names the install block installs (flags dropped), in order. */
  installs: string[];
  example: CodeBlock;
}

const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console']);
const SCRIPT_LANGS = new Set(['js', 'javascript', 'mjs', 'ts', 'typescript']);

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    if (end < 0) throw new Error(`line ${i + 1}: a code block is never closed`);
    blocks.push({ lang: open[1], code: lines.slice(i + 1, end).join('\n'), line: i + 1 });
    i = end;
  }
  return blocks;
}

/** The `npm i`/`npm install` lines of a block, or undefined when any other command is in it. */
function installCommands(block: CodeBlock): string[][] | undefined {
  if (!SHELL_LANGS.has(block.lang)) return undefined;
  const commands = block.code
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.length > 0)
    .map((line) => line.split(/\s+/));
  const isInstall = (words: string[]) => words[0] === 'npm' && (words[1] === 'i' || words[1] === 'install');
  return commands.length > 0 && commands.every(isInstall) ? commands : undefined;
}

/**
 * The install block and the example after it. Both must come before the README's first `##` section: the
 * README opens with them. Throws with the reason when the opening does not have that shape.
 */
export function readmeOpening(markdown: string, exampleKind: 'script' | 'shell'): ReadmeOpening {
  const firstSection = markdown.split('\n').findIndex((line) => line.startsWith('## '));
  const opening = firstSection < 0 ? markdown : markdown.split('\n').slice(0, firstSection).join('\n');
  const blocks = codeBlocks(opening);
  const installIndex = blocks.findIndex((block) => installCommands(block) !== undefined);
  if (installIndex < 0) throw new Error('no install block (```sh with npm i ...) before the first ## section');
  const example = blocks[installIndex + 1];
  if (!example) throw new Error('no example block after the install block, before the first ## section');
  const langs = exampleKind === 'shell' ? SHELL_LANGS : SCRIPT_LANGS;
  if (!langs.has(example.lang)) {
    throw new Error(`line ${example.line}: the example is \`\`\`${example.lang}, expected one of ${[...langs]}`);
  }
  const installs = installCommands(blocks[installIndex])!.flatMap((words) =>
    words.slice(2).filter((word) => !word.startsWith('-')),
  );
  return { installs, example };
}

/** A package spec's name without its version (`@scope/name@^1` -> `@scope/name`). */
export function packageName(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at < 0 ? spec : spec.slice(0, at);
}

const NAMED_IMPORT = /^import\s*\{([^}]*)\}\s*from\s*(['"][^'"]+['"]);?\s*$/;
const NAMESPACE_IMPORT = /^import\s*\*\s*as\s+(\w+)\s+from\s*(['"][^'"]+['"]);?\s*$/;
const BARE_IMPORT = /^import\s*(['"][^'"]+['"]);?\s*$/;

/**
 * The CommonJS twin of an ESM example: its imports become `require` calls (named, namespace and bare
 * imports; anything else is refused so the twin never silently differs) and the rest runs in an async
 * function, since CommonJS has no top-level await. A rejection exits with code 1, like an ESM module's.
 */
export function toCommonJs(esm: string): string {
  const requires: string[] = [];
  const body: string[] = [];
  for (const line of esm.split('\n')) {
    const statement = line.replace(/^(\s*import\b.*?)\s*\/\/.*$/, '$1'); // an import's trailing comment
    const named = NAMED_IMPORT.exec(statement);
    const namespace = NAMESPACE_IMPORT.exec(statement);
    const bare = BARE_IMPORT.exec(statement);
    if (named) {
      const bindings = named[1]
        .split(',')
        .map((binding) => binding.trim())
        .filter((binding) => binding.length > 0)
        .map((binding) => binding.replace(/^(\w+)\s+as\s+(\w+)$/, '$1: $2'));
      requires.push(`const { ${bindings.join(', ')} } = require(${named[2]});`);
    } else if (namespace) {
      requires.push(`const ${namespace[1]} = require(${namespace[2]});`);
    } else if (bare) {
      requires.push(`require(${bare[1]});`);
    } else if (/^\s*import\b(?!\s*\()/.test(line)) {
      throw new Error(`toCommonJs: unsupported import form: ${line}`);
    } else {
      body.push(line);
    }
  }
  return [
    "'use strict';",
    ...requires,
    '(async () => {',
    ...body,
    '})().catch((error) => {',
    '  console.error(error);',
    '  process.exit(1);',
    '});',
    '',
  ].join('\n');
}
