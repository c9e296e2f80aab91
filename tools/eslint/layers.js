// ESLint rule `tcr/layers`: which part of the tree may import which (ARCHITECTURE.md, STYLE.md "Layout").
// Hand-written because our imports name `.js` files that exist as `.ts`, which path-zone plugins only
// resolve with an extra resolver; here a layer is simply the first folder under backend/, and the
// table below is the architecture in data.
import path from 'node:path';

/** backend folder → backend folders it may import (besides itself). Unlisted folders may import contracts and core. */
export const BACKEND_LAYERS = {
  contracts: [],
  core: ['contracts'],
  config: ['contracts', 'core'],
  metrics: ['contracts', 'core', 'config', 'bus', 'keypool', 'detection', 'expander', 'assess', 'scheduler', 'results', 'alerts'],
  bus: ['contracts', 'core', 'config'],
  keypool: ['contracts', 'core', 'config'],
  llmsim: ['contracts', 'core', 'config', 'keypool'],
  detection: ['contracts', 'core', 'config', 'bus'],
  expander: ['contracts', 'core', 'config', 'bus'],
  assess: ['contracts', 'core', 'config', 'keypool'],
  scheduler: ['contracts', 'core', 'config', 'bus', 'keypool', 'assess'],
  alerts: ['contracts', 'core', 'config'],
  results: ['contracts', 'core', 'config', 'bus', 'alerts'],
  gateway: ['contracts', 'core', 'config', 'bus', 'results', 'alerts', 'keypool'],
  ops: ['contracts', 'core', 'alerts'],
  bench: ['contracts', 'core', 'config', 'bus', 'keypool', 'llmsim', 'detection', 'expander', 'assess', 'scheduler', 'results', 'alerts'],
  cli: ['*'],
  '.': ['*'],
};

const NODE_BUILTIN = /^node:|^(fs|path|os|child_process|http|https|net|crypto|stream|worker_threads|url|util|events)(\/|$)/;

function areaOf(file, root) {
  const relative = path.relative(root, file).split(path.sep);
  if (relative[0] === 'backend') return { area: 'backend', layer: relative.length > 2 ? relative[1] : '.' };
  return { area: relative[0] };
}

function check(importer, specifier, root) {
  const from = areaOf(importer, root);
  const isRelative = specifier.startsWith('.');
  const target = isRelative ? areaOf(path.resolve(path.dirname(importer), specifier), root) : null;

  if (from.area === 'renderer' || from.area === 'electron' || (from.area === 'backend' && from.layer === 'contracts')) {
    if (NODE_BUILTIN.test(specifier) && from.area !== 'electron') return `${from.area === 'renderer' ? 'renderer' : 'backend/contracts'} must not import Node built-ins ("${specifier}")`;
    if (target?.area === 'backend' && target.layer !== 'contracts') return `${from.area}/ may import only backend/contracts, not backend/${target.layer}`;
  }
  if (from.area === 'backend') {
    if (specifier === 'electron' || specifier.startsWith('electron/')) return 'backend/ must run under plain Node: it never imports electron';
    if (specifier === 'react' || specifier.startsWith('react-dom')) return 'backend/ must not import React';
    if (target && target.area !== 'backend') return `backend/ must not import from ${target.area}/`;
    if (target && target.layer !== from.layer) {
      const allowed = BACKEND_LAYERS[from.layer] ?? ['contracts', 'core'];
      if (!allowed.includes('*') && !allowed.includes(target.layer)) {
        return `backend/${from.layer} may not import backend/${target.layer} (allowed: ${allowed.join(', ') || 'nothing'})`;
      }
    }
  }
  return null;
}

export const layersRule = {
  meta: { type: 'problem', docs: { description: 'enforce the import direction between runtimes and pipeline stages' }, schema: [] },
  create(context) {
    const root = context.cwd;
    const report = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      const message = check(context.filename, specifier, root);
      if (message) context.report({ node, message });
    };
    return {
      ImportDeclaration: (node) => report(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && report(node, node.source.value),
      ExportAllDeclaration: (node) => report(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && report(node, node.source.value),
    };
  },
};
