/**
 * A learner's answers to one decision tree, kept in localStorage under `course:decision:<tree id>`
 * as the list of answer ids from the root. Storage that is missing, full or holds garbage never
 * breaks the widget: reading falls back to no answers.
 */
export const storageKey = (treeId: string) => `course:decision:${treeId}`;

export function loadAnswers(storage: Storage | undefined, treeId: string): string[] {
  try {
    const raw = storage?.getItem(storageKey(treeId));
    if (!raw) return [];
    const value: unknown = JSON.parse(raw);
    const answers = (value as {answers?: unknown} | null)?.answers;
    return Array.isArray(answers) && answers.every((answer) => typeof answer === 'string') ? answers : [];
  } catch {
    return [];
  }
}

/** An empty list forgets the tree's answers instead of storing nothing. */
export function saveAnswers(storage: Storage | undefined, treeId: string, answers: readonly string[]): void {
  try {
    if (answers.length === 0) storage?.removeItem(storageKey(treeId));
    else storage?.setItem(storageKey(treeId), JSON.stringify({answers}));
  } catch {
    // Storage full or disabled: the answers live on in the page until it is closed.
  }
}
