/** State a step keeps on its task across attempts (e.g. a remote job id). */
export interface Checkpoint {
  get<T extends object>(): T | null;
  /** Persisted before it resolves, so a crash right after still finds it. */
  save<T extends object>(data: T): Promise<void>;
}
