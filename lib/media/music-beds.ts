// The music beds the compose step can lay under the narration, made offline from chord progressions.
export const musicBeds = ['none', 'calm', 'bright', 'pulse'] as const;
export type MusicBed = (typeof musicBeds)[number];
