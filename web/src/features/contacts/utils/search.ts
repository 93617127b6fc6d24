/** Wait this long after the last key before searching: one request per pause, not per letter. */
export const SEARCH_DEBOUNCE_MS = 250;
