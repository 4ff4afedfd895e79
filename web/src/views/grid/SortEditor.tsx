/** Multi-sort: an ordered list of fields, each ascending or descending. */

import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Flex, Select, Typography } from "antd";

import type { Field } from "../../api/types";
import { fieldTitle } from "../../fields/values";
import { sortableFields, type SortKey } from "../../filters/model";
import { useT } from "../../i18n";

export function SortEditor({ fields, value, onChange }: { fields: Field[]; value: SortKey[]; onChange: (keys: SortKey[]) => void }) {
  const t = useT();
  const usable = sortableFields(fields);
  const unused = usable.filter((f) => !value.some((k) => k.field === f.name));
  return (
    <div style={{ minWidth: 360 }} data-testid="sort-editor">
      {value.length === 0 && <Typography.Text type="secondary">{t("sort.none")}</Typography.Text>}
      {value.map((key, index) => (
        <Flex key={key.field} gap={8} style={{ marginBottom: 8 }}>
          <Select
            style={{ flex: 1 }}
            aria-label={t("sort.field")}
            value={key.field}
            showSearch={{ optionFilterProp: "label" }}
            options={usable
              .filter((f) => f.name === key.field || unused.includes(f))
              .map((f) => ({ value: f.name, label: fieldTitle(f) }))}
            onChange={(field: string) => onChange(value.map((k, i) => (i === index ? { ...k, field } : k)))}
          />
          <Select
            style={{ width: 120 }}
            aria-label={t("sort.direction")}
            value={key.desc ? "desc" : "asc"}
            options={[
              { value: "asc", label: t("sort.asc") },
              { value: "desc", label: t("sort.desc") },
            ]}
            onChange={(dir: string) => onChange(value.map((k, i) => (i === index ? { ...k, desc: dir === "desc" } : k)))}
          />
          <Button type="text" aria-label={t("sort.remove")} icon={<DeleteOutlined />} onClick={() => onChange(value.filter((_, i) => i !== index))} />
        </Flex>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        disabled={unused.length === 0}
        onClick={() => {
          const next = unused[0];
          if (next) onChange([...value, { field: next.name, desc: false }]);
        }}
      >
        {t("sort.add")}
      </Button>
    </div>
  );
}
