import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'tcr/layers').map((message) => message.message);
}

describe('lint > layers', () => {
  const cases: [file: string, code: string, expected: RegExp][] = [
    ['backend/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n", /never imports electron/],
    ['backend/keypool/x.ts', "import { b } from '../bus/index.js';\nexport const a = b;\n", /backend\/keypool may not import backend\/bus/],
    ['backend/contracts/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n", /must not import Node built-ins/],
    ['backend/core/x.ts', "import { c } from '../config/index.js';\nexport const a = c;\n", /backend\/core may not import backend\/config/],
    ['renderer/src/x.ts', "import { c } from '../../backend/config/index.js';\nexport const a = c;\n", /may import only backend\/contracts/],
    ['renderer/src/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n", /renderer must not import Node built-ins/],
    ['electron/x.ts', "import { l } from '../backend/core/logger.js';\nexport const a = l;\n", /may import only backend\/contracts/],
  ];

  for (const [file, code, expected] of cases) {
    it(`refuses in ${file}: ${code.split('\n')[0]}`, async () => {
      expect(await layerErrors(file, code)).toEqual([expect.stringMatching(expected)]);
    });
  }

  it('allows the directions the architecture allows', async () => {
    expect(await layerErrors('renderer/src/x.ts', "import { box } from '../../backend/contracts/index.js';\nexport const a = box;\n")).toEqual([]);
    expect(await layerErrors('backend/keypool/x.ts', "import { c } from '../config/index.js';\nexport const a = c;\n")).toEqual([]);
    expect(await layerErrors('backend/cli/x.ts', "import { k } from '../keypool/index.js';\nexport const a = k;\n")).toEqual([]);
  });
});
