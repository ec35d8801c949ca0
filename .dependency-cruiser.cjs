// The import graph's rules (npm run lint:deps, part of npm test): no circles, and no layer reaching
// up into one above it. From the bottom: leaves (errors, log, db, steps, media, storage, pricing,
// usage) < queue < providers, webhooks, owners < videos < pipeline < admin, api, app < routes.
/** Layers and what they may not import. */
const upward = [
  ['lib/(db|log|errors|steps|storage|media|pricing|usage)', 'lib/(queue|providers|webhooks|owners|videos|pipeline|admin|api|app)'],
  ['lib/queue', 'lib/(videos|pipeline|providers|owners|webhooks|usage|admin|api|app)'],
  ['lib/(providers|webhooks|owners)', 'lib/(videos|pipeline|admin|api|app)'],
  ['lib/videos', 'lib/(pipeline|admin|api|app)'],
  ['lib/pipeline', 'lib/(admin|api|app)'],
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle makes load order matter and hides which module owns what.',
      from: { path: '^(lib|app|components)/' },
      to: { circular: true },
    },
    ...upward.map(([from, to], i) => ({
      name: `no-upward-${i}`,
      severity: 'error',
      comment: `${from} sits below ${to}: take what it needs as an argument or a hook instead.`,
      from: { path: `^${from}(/|\\.ts$)` },
      to: { path: `^${to}(/|\\.ts$)` },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.next|\\.vercel|\\.data|test-artifacts)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
