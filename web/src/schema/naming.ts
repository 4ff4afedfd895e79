/** Names of collections and fields: lower snake_case, at most 30 characters, starting with a letter. */

export const NAME_PATTERN = /^[a-z][a-z0-9_]{0,29}$/;

/** A name suggested from a title (`Due date` → `due_date`); empty when the title has no Latin letters. */
export function suggestName(title: string): string {
  const base = title
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .replace(/_+$/, "")
    .slice(0, 30)
    .replace(/_+$/, "");
  return NAME_PATTERN.test(base) ? base : "";
}

/** A choice's value from its label (`In progress` → `in_progress`), else a numbered one. */
export function choiceValue(label: string, index: number): string {
  return suggestName(label) || `option_${index + 1}`;
}
