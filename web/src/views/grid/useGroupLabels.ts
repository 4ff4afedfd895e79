/** Names of the records a many-to-one grouping's groups point at (the aggregate API gives ids). */

import { useEffect, useState } from "react";

import * as endpoints from "../../api/endpoints";
import type { Field } from "../../api/types";
import { labelField, recordLabel } from "../../fields/relation";
import { useCatalog } from "../../kernel/catalog";
import type { GroupInfo } from "./groups";

const NONE: ReadonlyMap<string, string> = new Map();

export function useGroupLabels(field: Field | null, groups: GroupInfo[]): ReadonlyMap<string, string> {
  const { get } = useCatalog();
  const [labels, setLabels] = useState<ReadonlyMap<string, string>>(NONE);
  const target = field?.type === "many_to_one" ? field.options?.target : undefined;
  const label = labelField(target ? get(target) : undefined, field?.options?.title_field);
  const ids = groups.map((g) => g.value).filter((v): v is number => typeof v === "number");
  const key = ids.join(",");

  useEffect(() => {
    if (!target || ids.length === 0) {
      setLabels(NONE);
      return;
    }
    const controller = new AbortController();
    endpoints
      .listRecords(target, { filter: { id: { $in: ids.slice(0, 500) } }, pageSize: 500 }, controller.signal)
      .then((page) => setLabels(new Map(page.data.map((r) => [JSON.stringify(r.id), recordLabel(r, label)]))))
      .catch(() => setLabels(NONE));
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` holds the ids
  }, [target, key, label]);

  return labels;
}
