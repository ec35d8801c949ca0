// The video workflow's step kinds.
export const taskKinds = ['plan', 'render', 'compose', 'webhook'] as const;
export type TaskKind = (typeof taskKinds)[number];
