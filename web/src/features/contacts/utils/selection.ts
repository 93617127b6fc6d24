/**
 * Which rows are ticked: some ids, or every contact the filters match ("select all
 * matching"), which can be far more than are loaded.
 */
export interface Selection {
  ids: Set<string>;
  matching: boolean;
}

export const NOTHING_SELECTED: Selection = { ids: new Set(), matching: false };

export function toggleOne(selection: Selection, id: string, loaded: string[]): Selection {
  // Unticking one row out of "all matching" leaves the other loaded rows ticked.
  const ids = new Set(selection.matching ? loaded : selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, matching: false };
}

export function toggleLoaded(selection: Selection, loaded: string[]): Selection {
  const all = selection.matching || (loaded.length > 0 && loaded.every((id) => selection.ids.has(id)));
  return all ? NOTHING_SELECTED : { ids: new Set(loaded), matching: false };
}

export function selectedCount(selection: Selection, total: number | undefined): number {
  return selection.matching ? (total ?? 0) : selection.ids.size;
}
