/** Users in the admin screens without loading them all: a name looked up by id, and a select that
 * asks the server as the administrator types. */

import { Select } from "antd";
import { useEffect, useState, type CSSProperties } from "react";

import * as endpoints from "../../api/endpoints";
import { useT } from "../../i18n";
import { useUserRef, userLabel } from "../../kernel/users";
import { useLoad } from "../useLoad";

const SEARCH_DELAY_MS = 250;
const OPTIONS = 20;

/** A user's name (`#id` while it loads or when there is none). */
export function UserName({ id }: { id: number }) {
  const ref = useUserRef(id);
  return <span>{userLabel(id, ref)}</span>;
}

/** One user, searched by name, email or phone on the server (administrators). */
export function UserSelect({
  value,
  onChange,
  placeholder,
  style,
}: {
  value: number | undefined;
  onChange: (id: number | undefined) => void;
  placeholder: string;
  style?: CSSProperties;
}) {
  const t = useT();
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const found = useLoad((signal) => endpoints.searchUsers({ q: q || undefined, sort: "name", page_size: OPTIONS }, signal), q);
  const chosen = useUserRef(value);
  const options = (found.data?.data ?? []).map((u) => ({ value: u.id, label: u.name ? `${u.name} <${u.email}>` : u.email }));
  if (value !== undefined && !options.some((o) => o.value === value)) options.unshift({ value, label: userLabel(value, chosen) });
  return (
    <Select<number>
      allowClear
      showSearch={{ filterOption: false, onSearch: setTyped }}
      placeholder={placeholder}
      aria-label={placeholder}
      style={style}
      value={value}
      loading={found.loading}
      notFoundContent={found.loading ? null : t("admin.users.noMatch")}
      onChange={(id) => {
        setTyped("");
        onChange(id ?? undefined);
      }}
      options={options}
    />
  );
}
