/** The schema calls only the designer makes: checking a formula, creating an extension collection. */

import { api } from "../api/client";
import type { Collection, Extends } from "../api/types";

const path = (collection: string) => `/api/collections/${encodeURIComponent(collection)}`;

/** Resolves when the server would accept this formula in `collection`; else throws its ApiError
 * (422, `errors[].field` `expression` or `result_type`). */
export async function checkFormula(collection: string, expression: string, resultType: string, signal?: AbortSignal): Promise<void> {
  await api<unknown>("POST", `${path(collection)}/formula-check`, {
    body: { expression, result_type: resultType },
    ...(signal ? { signal } : {}),
  });
}

export async function createCollection(body: { name: string; title: string; extends?: Extends }): Promise<Collection> {
  return (await api<{ data: Collection }>("POST", "/api/collections", { body: { ...body, fields: [] } })).data;
}
