export const musicBeds = ['none','calm','bright','pulse'] as const; export type MusicBed = (typeof musicBeds)[number];
