/** A file that cannot be read as a spreadsheet; its message says why, in words a user can act on. */
export class UnreadableFile extends Error {}
