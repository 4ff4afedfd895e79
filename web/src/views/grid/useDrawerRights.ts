/** Which fields the record drawer lets the user write, by their role: its create rights for a new
 * record, its update rights for an existing one. */

import { useMemo } from "react";

import type { Field } from "../../api/types";
import { allowedFields, can, useSession } from "../../kernel/session";

export function useDrawerRights(collection: string): (field: Field, creating: boolean) => boolean {
  const { user } = useSession();
  return useMemo(() => {
    const canCreate = can(user, collection, "create");
    const canUpdate = can(user, collection, "update");
    const creatable = allowedFields(user, collection, "create");
    const writable = allowedFields(user, collection, "update");
    return (f: Field, creating: boolean) =>
      creating ? canCreate && (creatable === null || creatable.has(f.name)) : canUpdate && (writable === null || writable.has(f.name));
  }, [user, collection]);
}
