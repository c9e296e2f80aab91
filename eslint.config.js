// Lint: typescript-eslint's recommended rules plus the architecture's import direction (tools/eslint/layers.js).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layersRule } from './tools/eslint/layers.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'docs/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { tcr: { rules: { layers: layersRule } } },
    rules: {
      'tcr/layers': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['backend/**', 'electron/**', 'test/**', 'tools/**', 'bin/**', '*.config.{js,ts}'], languageOptions: { globals: globals.node } },
  { files: ['renderer/**'], languageOptions: { globals: globals.browser } },
  { files: ['backend/**'], rules: { 'no-console': 'error' } },
);
